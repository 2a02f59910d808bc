// Starts the Kubernetes API fixture on 127.0.0.1 and sends boolean, integer and watch-list query options as clients
// put them on the wire (fetch), checking what comes back is what kube-apiserver answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, TESTDATA, waitFor } from './helpers';

const NS = 'shop';

describe('query options against the Kubernetes API fixture', () => {
  let fixture: KubeFixture;
  let pod: string;
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${fixture.url}${path}`, { headers: { 'User-Agent': 'fleetdeck-test', ...headers }, signal: AbortSignal.timeout(10_000) });

  /** The first line of a response body (a watch sends one JSON event per line), without waiting for its end. */
  async function firstLine(res: Response): Promise<string> {
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 100 && !text.includes('\n'); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    return text.split('\n')[0]!;
  }

  before(async () => {
    fixture = await KubeFixture.start({ controller: FAST, load: [TESTDATA] });
    pod = await waitFor('a running web pod', async () => {
      const list = (await (await get(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb&fieldSelector=status.phase%3DRunning`)).json()) as {
        items: { metadata: { name: string } }[];
      };
      return list.items[0]?.metadata.name;
    });
  });
  after(async () => {
    await fixture.stop();
  });

  test('watch=True, 1, t, yes and a bare watch stream events; false, False, 0 list', async () => {
    for (const v of ['True', 'true', '1', 't', 'yes', '']) {
      const res = await get(`/api/v1/namespaces/${NS}/pods?watch=${v}&timeoutSeconds=5`);
      assert.equal(res.status, 200, `watch=${v}`);
      const ev = JSON.parse(await firstLine(res)) as { type: string; object: { kind: string } };
      assert.equal(ev.type, 'ADDED', `watch=${v} streams events`);
      assert.equal(ev.object.kind, 'Pod');
    }
    for (const v of ['false', 'False', 'FALSE', '0']) {
      const res = await get(`/api/v1/namespaces/${NS}/pods?watch=${v}`);
      assert.equal(((await res.json()) as { kind: string }).kind, 'PodList', `watch=${v} lists`);
    }
  });

  test('allowWatchBookmarks=True sends bookmarks', async () => {
    const f2 = await KubeFixture.start({ controller: FAST, bookmarkIntervalMs: 50 });
    try {
      const res = await fetch(`${f2.url}/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=True&timeoutSeconds=5`, {
        signal: AbortSignal.timeout(10_000),
      });
      const ev = JSON.parse(await firstLine(res)) as { type: string; object: { kind: string } };
      assert.equal(ev.type, 'BOOKMARK');
    } finally {
      await f2.stop();
    }
  });

  test('log options: timestamps=True, follow=1, previous=yes are all true', async () => {
    const stamped = await (await get(`/api/v1/namespaces/${NS}/pods/${pod}/log?timestamps=True&tailLines=1`)).text();
    assert.match(stamped, /^\d{4}-\d\d-\d\dT[\d:.]+Z \{/, 'timestamps=True prefixes a timestamp');
    const plain = await (await get(`/api/v1/namespaces/${NS}/pods/${pod}/log?timestamps=False&tailLines=1`)).text();
    assert.match(plain, /^\{/, 'timestamps=False does not');
    const followed = await get(`/api/v1/namespaces/${NS}/pods/${pod}/log?follow=1&tailLines=0`);
    assert.ok(JSON.parse(await firstLine(followed)), 'follow=1 keeps streaming new lines');
    const previous = await get(`/api/v1/namespaces/${NS}/pods/${pod}/log?previous=yes`);
    assert.equal(previous.status, 400);
    assert.match(((await previous.json()) as { message: string }).message, /previous terminated container "web" in pod .* not found/);
  });

  test('pretty: ParseBool values, unparsable ones ignored; curl gets indented JSON unasked', async () => {
    const body = async (path: string, ua?: string): Promise<string> => (await get(path, ua ? { 'User-Agent': ua } : {})).text();
    assert.match(await body('/api/v1/namespaces/default?pretty=True'), /^\{\n {2}"apiVersion"/);
    assert.match(await body('/api/v1/namespaces/default?pretty=yes'), /^\{"apiVersion"/);
    assert.match(await body('/api/v1/namespaces/default?pretty=0', 'curl/8.5.0'), /^\{"apiVersion"/);
    assert.match(await body('/api/v1/namespaces/default', 'curl/8.5.0'), /^\{\n {2}"apiVersion"/);
  });

  test('an integer option that does not parse is a 400 BadRequest Status', async () => {
    const res = await get(`/api/v1/namespaces/${NS}/pods?limit=ten`);
    assert.equal(res.status, 400);
    const st = (await res.json()) as { kind: string; reason: string; message: string };
    assert.equal(st.kind, 'Status');
    assert.equal(st.reason, 'BadRequest');
    assert.equal(st.message, 'strconv.ParseInt: parsing "ten": invalid syntax');
  });

  test('sendInitialEvents: refused on a list, needs resourceVersionMatch=NotOlderThan, ends the initial events with a bookmark', async () => {
    const onList = await get(`/api/v1/namespaces/${NS}/pods?sendInitialEvents=true`);
    assert.equal(onList.status, 422);
    assert.equal(
      ((await onList.json()) as { message: string }).message,
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    );
    const noMatch = await get(`/api/v1/namespaces/${NS}/pods?watch=1&sendInitialEvents=true`);
    assert.equal(noMatch.status, 422);
    assert.match(((await noMatch.json()) as { message: string }).message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);

    const pods = ((await (await get(`/api/v1/namespaces/${NS}/pods`)).json()) as { items: unknown[] }).items.length;
    const res = await get(
      `/api/v1/namespaces/${NS}/pods?watch=1&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5`,
    );
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let text = '';
    for (let i = 0; i < 200 && !text.includes('BOOKMARK'); i++) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const events = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { annotations?: Record<string, string> } } });
    const bookmark = events.findIndex((e) => e.type === 'BOOKMARK');
    assert.ok(events.slice(0, bookmark).every((e) => e.type === 'ADDED'));
    assert.ok(bookmark >= pods, 'every pod is sent before the bookmark');
    assert.equal(events[bookmark]!.object.metadata.annotations?.['k8s.io/initial-events-end'], 'true');
  });

  test('dryRun accepts All only', async () => {
    const post = (q: string): Promise<Response> =>
      fetch(`${fixture.url}/api/v1/namespaces/${NS}/configmaps?${q}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ metadata: { name: 'dry' }, data: { a: 'b' } }),
      });
    const bad = await post('dryRun=true');
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { message: string }).message, /dryRun: Unsupported value: \[\]string\{"true"\}: supported values: "All"/);
    assert.equal((await post('dryRun=All')).status, 201);
    assert.equal((await get(`/api/v1/namespaces/${NS}/configmaps/dry`)).status, 404, 'a dry run stores nothing');
  });
});

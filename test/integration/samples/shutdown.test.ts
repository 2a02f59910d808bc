// Starts: user-service containers on the real Docker engine (one unique project per test, ports on 127.0.0.1),
// SIGTERMs them during a slow request, with half-sent requests, and under keep-alive load; removes them after.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, describe, test } from 'node:test';
import type Docker from 'dockerode';
import { startSamples, stopSamples } from '../../../main/core/samples';
import { keepAliveLoad, sendHalfRequest } from '../../unit/services-sample/helpers';
import { dockerOrSkip, ensureSampleImages, getJson, sleep, uniqueProject } from './helpers';

const engine = await dockerOrSkip();

/** SIGTERM must end the container with 0 this soon when nothing slow is in flight. */
const EXIT_WITHIN_MS = 2000;

describe('graceful shutdown in a container', { skip: engine.skip }, () => {
  const docker = engine.docker!;
  const projects: string[] = [];
  after(() => Promise.all(projects.map((project) => stopSamples(docker, { project }))));

  async function oneUserService(tag: string, env: Record<string, string> = {}) {
    await ensureSampleImages(docker);
    const project = uniqueProject(tag);
    projects.push(project);
    const started = await startSamples(docker, {
      project,
      replicas: { 'user-service': 1, 'order-service': 0 },
      env: { 'user-service': env },
    });
    const [instance] = started.instances;
    assert.ok(instance);
    return { instance, container: docker.getContainer(instance.id) };
  }

  /**
   * Sends SIGTERM and returns when it was sent; `exited` gives the exit code and how long after SIGTERM the
   * process ended, by the engine's own record (State.FinishedAt), without the API's round trips.
   */
  function terminate(container: Docker.Container) {
    const sentAt = performance.now();
    const sentAtWall = Date.now();
    const exited = container
      .kill({ signal: 'SIGTERM' })
      .then(() => container.wait() as Promise<{ StatusCode: number }>)
      .then(async (r) => {
        const finished = Date.parse((await container.inspect()).State.FinishedAt);
        return { code: r.StatusCode, ms: finished - sentAtWall };
      });
    return { sentAt, exited };
  }

  test('SIGTERM during a slow request lets it finish, then the process exits 0', async () => {
    const { instance, container } = await oneUserService('sigterm', { FAULT_LATENCY_MS: '1500' });
    const slow = getJson(`${instance.url}/user/7`, 8000);
    await sleep(400); // the request is in flight, sleeping in the injected latency
    const t0 = Date.now();
    await container.kill({ signal: 'SIGTERM' });
    const res = await slow;
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: 7, name: 'User 7' });
    const exit = (await container.wait()) as { StatusCode: number };
    assert.equal(exit.StatusCode, 0);
    assert.ok(Date.now() - t0 < 10_000, 'exited within 10 s');
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    assert.match(logs, /"msg":"shutting down/);
    assert.match(logs, /"url":"\/user\/7","route":"\/user\/:id","status":200/);
    assert.match(logs, /"msg":"shutdown complete"/);
  });

  test('SIGTERM with half-sent requests: they get 408, the container exits 0 within 2 s', async (t) => {
    const { instance, container } = await oneUserService('sigterm-half');
    const halves = [await sendHalfRequest(instance.hostPort, 'headers'), await sendHalfRequest(instance.hostPort, 'body')];
    try {
      await sleep(300); // both halves have reached the service through the port forwarding
      const { exited } = terminate(container);
      const [headers, body] = await Promise.all(halves.map((h) => h.outcome));
      const { code, ms } = await exited;
      t.diagnostic(`exit ${code} ${ms} ms after SIGTERM; half headers answered ${headers!.status}, half body answered ${body!.status}`);
      assert.equal(code, 0, `exit code (after ${ms} ms)`);
      assert.ok(ms < EXIT_WITHIN_MS, `exited ${ms} ms after SIGTERM, expected < ${EXIT_WITHIN_MS}`);
      assert.equal(headers!.status, 408, `half headers: ${JSON.stringify(headers!.raw.slice(0, 80))}`);
      assert.equal(body!.status, 408, `half body: ${JSON.stringify(body!.raw.slice(0, 80))}`);
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      assert.match(logs, /"msg":"shutdown complete"/);
    } finally {
      for (const h of halves) h.destroy();
    }
  });

  test('SIGTERM under keep-alive load (8 clients): every sent request is answered, the container exits 0 within 2 s', async (t) => {
    const { instance, container } = await oneUserService('sigterm-load');
    const idleAgent = new Agent({ keepAlive: true });
    try {
      // A keep-alive connection that sits idle at SIGTERM: it must be closed at once, not held open.
      const { closed: idleClosed } = await new Promise<{ closed: Promise<number> }>((resolve, reject) => {
        const req = request({ port: instance.hostPort, host: '127.0.0.1', path: '/health', agent: idleAgent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ closed }));
        });
        const closed = new Promise<number>((r) => req.once('socket', (s) => s.once('close', () => r(performance.now()))));
        req.on('error', reject).end();
      });
      let stop: ReturnType<typeof terminate> | undefined;
      const report = await keepAliveLoad({
        port: instance.hostPort,
        path: '/user/7',
        clients: 8,
        maxRequests: 4000,
        maxMs: 5000,
        proxied: true, // Docker's port forwarding accepts connections for the container, even once it stopped listening
        trigger: { afterAnswers: 300, afterMs: 2000, action: () => (stop = terminate(container)).sentAt },
      });
      assert.ok(stop, `SIGTERM was sent mid-load (answered ${report.answered})`);
      const { code, ms } = await stop.exited;
      const idleClosedMs = Math.round((await idleClosed) - stop.sentAt);
      t.diagnostic(
        `sent ${report.sent}, answered ${report.answered} (${report.answeredClose} with Connection: close), ` +
          `refused ${report.refused}, unanswered ${report.unanswered.length}; ` +
          `${report.connectionsToldToClose} of ${report.connections} connections told to close; ` +
          `idle keep-alive socket closed after ${idleClosedMs} ms; exit ${code} after ${ms} ms; load ran ${report.durationMs} ms`,
      );
      assert.deepEqual(report.unanswered, [], 'requests sent on an open connection that got no answer');
      assert.equal(report.connectionsToldToClose, report.connections, 'every connection got Connection: close on its last answer');
      assert.equal(report.reusedAfterClose, 0, 'no socket reused after it delivered Connection: close');
      assert.deepEqual(Object.keys(report.statuses), ['200']);
      assert.ok(idleClosedMs < 1000, `the idle keep-alive connection was closed ${idleClosedMs} ms after SIGTERM`);
      assert.equal(code, 0, `exit code (after ${ms} ms)`);
      assert.ok(ms < EXIT_WITHIN_MS, `exited ${ms} ms after SIGTERM, expected < ${EXIT_WITHIN_MS}`);
    } finally {
      idleAgent.destroy();
    }
  });
});

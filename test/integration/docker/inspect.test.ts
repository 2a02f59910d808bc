// Starts: one base-image container with a health check that fails and a password in its
// environment, under a unique project label; removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { InstanceInspect } from '../../../main/common/model';
import type { Core } from '../../../main/core/core';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';

const skip = skipReason();
const project = `fdinsp${randomBytes(3).toString('hex')}`;
const name = `${project}-db-client-1`;
let core: Core;
const base = () => docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];

before(async () => {
  if (skip) return;
  core = await testCore();
});
after(() => {
  if (skip) return;
  core?.stop();
  removeProject(project);
});

async function inspectWhen(pred: (i: InstanceInspect) => boolean, ms = 20_000): Promise<InstanceInspect> {
  const end = Date.now() + ms;
  let last: InstanceInspect | undefined;
  while (Date.now() < end) {
    last = await core.api.methods['instances.inspect']({ envId: 'docker:local', instance: name });
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`inspect never matched; last health: ${JSON.stringify(last?.health)}`);
}

test('inspect tells why a container is unhealthy and keeps its password back until asked', { skip }, async (t) => {
  const image = base();
  if (!image) return t.skip('no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)');
  docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--label',
    'dev.fleetdeck.service=db-client',
    '-e',
    'DB_PASSWORD=hunter2',
    '-e',
    'LOG_LEVEL=debug',
    '-p',
    '127.0.0.1::5000',
    '--restart',
    'on-failure:3',
    '--health-cmd',
    'echo "db unreachable: connect ECONNREFUSED 127.0.0.1:5432"; echo "retrying in 1s"; exit 1',
    '--health-interval',
    '1s',
    '--health-retries',
    '2',
    image,
    'node',
    '-e',
    'setInterval(() => {}, 1e9)',
  );
  await untilServices(core, (l) => l.some((s) => s.instances.some((i) => i.name === name)));

  const got = await inspectWhen((i) => i.health?.status === 'unhealthy');
  assert.equal(got.kind, 'container');
  assert.equal(got.instance, name);
  assert.ok(got.health!.failingStreak >= 2, `failing streak ${got.health!.failingStreak}`);
  const run = got.health!.runs.at(-1)!;
  assert.equal(run.exitCode, 1);
  // What the check printed, line by line: the reason a user came for.
  assert.match(run.output, /db unreachable: connect ECONNREFUSED 127\.0\.0\.1:5432\nretrying in 1s/);

  const fact = (label: string) => got.facts.find((f) => f.label === label)?.value;
  assert.equal(fact('Image'), image);
  assert.match(fact('State') ?? '', /running \(unhealthy\)/);
  assert.equal(fact('Command'), `node -e 'setInterval(() => {}, 1e9)'`);
  assert.equal(fact('Restart policy'), 'on-failure (at most 3 retries)');
  assert.match(fact('Health check') ?? '', /db unreachable/);
  assert.equal(fact('Health interval'), '1s');
  assert.equal(fact('Health retries'), '2');
  assert.equal(fact('OOM killed'), 'no');

  const pw = got.env.find((e) => e.name === 'DB_PASSWORD');
  assert.deepEqual(pw, { name: 'DB_PASSWORD', secret: true });
  assert.deepEqual(
    got.env.find((e) => e.name === 'LOG_LEVEL'),
    { name: 'LOG_LEVEL', value: 'debug', secret: false },
  );
  assert.ok(!JSON.stringify(got).includes('hunter2'), 'the password is nowhere in the answer, raw view included');
  const raw = JSON.parse(got.raw.text) as { Config: { Env: string[] }; Name: string };
  assert.equal(got.raw.format, 'json');
  assert.equal(raw.Name, `/${name}`);
  assert.ok(raw.Config.Env.includes('DB_PASSWORD=••••••'));
  assert.ok(raw.Config.Env.includes('LOG_LEVEL=debug'));
  assert.equal(got.labels['dev.fleetdeck.service'], 'db-client');
  assert.ok(got.ports.some((p) => p.containerPort === 5000 && p.hostIp === '127.0.0.1' && p.hostPort));
  assert.ok(got.networks.some((n) => n.name === 'bridge'));

  const revealed = await core.api.methods['instances.revealEnv']({ envId: 'docker:local', instance: name, name: 'DB_PASSWORD' });
  assert.deepEqual(revealed, { name: 'DB_PASSWORD', value: 'hunter2' });
  await assert.rejects(
    async () => core.api.methods['instances.revealEnv']({ envId: 'docker:local', instance: name, name: 'NOPE' }),
    (e: Error) => /has no variable NOPE/.test(e.message),
  );
});

test('a container that prints escape sequences in its health check shows them as text', { skip }, async (t) => {
  const image = base();
  if (!image) return t.skip('no fleetdeck/node-base image');
  const evil = `${project}-evil-1`;
  docker(
    'run',
    '-d',
    '--name',
    evil,
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--health-cmd',
    `printf 'ok\\033]52;c;aGk=\\007 \\033[2Jline two\\nline three'; exit 1`,
    '--health-interval',
    '1s',
    '--health-retries',
    '1',
    image,
    'node',
    '-e',
    'setInterval(() => {}, 1e9)',
  );
  await untilServices(core, (l) => l.some((s) => s.instances.some((i) => i.name === evil)));
  const end = Date.now() + 20_000;
  let got: InstanceInspect | undefined;
  while (Date.now() < end && !got?.health?.runs.length) {
    got = await core.api.methods['instances.inspect']({ envId: 'docker:local', instance: evil });
    await new Promise((r) => setTimeout(r, 250));
  }
  const out = got!.health!.runs.at(-1)!.output;
  assert.ok(!out.includes('\x1b'), `no escape reaches the page: ${JSON.stringify(out)}`);
  assert.match(out, /\^\[\]52;c;aGk=\^G \^\[\[2Jline two\nline three/);
});

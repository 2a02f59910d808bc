// Inspect's pure parts on recorded payloads: what is kept back, and that only plain text gets out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import fc from 'fast-check';
import type { V1Pod } from '@kubernetes/client-node';
import { shellWords, toInspect } from '../../../main/core/docker/inspect';
import { MASK, looksSecret, plainLines } from '../../../main/core/inspect/secret-env';
import { toPodInspect } from '../../../main/core/kubernetes/kube-inspect';
import { whyUnhealthy } from '../../../renderer/src/features/inspect/why';
import { anyControl, hostileText, show } from '../common/hostile-text';

function container(over: { env?: string[]; output?: string } = {}): Docker.ContainerInspectInfo {
  return {
    Id: 'a'.repeat(64),
    Name: '/shop-api-1',
    Created: '2026-12-01T10:00:00.123456789Z',
    Image: `sha256:${'b'.repeat(64)}`,
    RestartCount: 2,
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 1,
      ExitCode: 0,
      Error: '',
      StartedAt: '2026-12-01T10:00:01Z',
      FinishedAt: '0001-01-01T00:00:00Z',
      Health: {
        Status: 'unhealthy',
        FailingStreak: 3,
        Log: [{ Start: '2026-12-01T10:00:05Z', End: '2026-12-01T10:00:05.2Z', ExitCode: 1, Output: over.output ?? 'db unreachable\n' }],
      },
    },
    Config: {
      Image: 'shop/api:1',
      Env: over.env ?? ['DB_PASSWORD=hunter2', 'LOG_LEVEL=debug', 'EMPTY='],
      Cmd: ['node', 'server.js', '--name', "it's"],
      Entrypoint: ['docker-entrypoint.sh'],
      WorkingDir: '/app',
      User: '',
      Labels: { 'dev.fleetdeck.service': 'api' },
      Healthcheck: { Test: ['CMD-SHELL', 'curl -f localhost:5000/healthz'], Interval: 2e9, Timeout: 0, Retries: 0 },
    },
    HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } },
    Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', Mode: 'z', RW: true, Propagation: '' }],
    NetworkSettings: { Ports: {}, Networks: { shop_default: { Aliases: ['api', 'aaaaaaaaaaaa'] } } },
  } as unknown as Docker.ContainerInspectInfo;
}

test('secret-looking names are kept back by name, in any case', () => {
  for (const n of ['DB_PASSWORD', 'passwd', 'API_TOKEN', 'aws_secret_access_key', 'SENTRY_DSN', 'TLS_CERT', 'SESSION_SECRET', 'AuthHeader', 'PRIVATE_KEY'])
    assert.ok(looksSecret(n), n);
  for (const n of ['LOG_LEVEL', 'PORT', 'HOST', 'NODE_VERSION', 'PATH']) assert.ok(!looksSecret(n), n);
});

test('a container: facts as a shell shows them, secret values nowhere, raw JSON masked', () => {
  const x = toInspect('docker:local', container());
  const fact = (l: string) => x.facts.find((f) => f.label === l)?.value;
  assert.equal(fact('Command'), `node server.js --name 'it'\\''s'`);
  assert.equal(fact('Entrypoint'), 'docker-entrypoint.sh');
  assert.equal(fact('Restart policy'), 'on-failure (at most 5 retries)');
  assert.equal(fact('Image ID'), 'bbbbbbbbbbbb');
  assert.equal(fact('User'), 'root (the image’s default)');
  assert.equal(fact('Health check'), 'curl -f localhost:5000/healthz (in a shell)');
  assert.equal(fact('Health interval'), '2s');
  assert.equal(fact('Health timeout'), '30s (default)');
  assert.equal(fact('Health retries'), '3');
  assert.equal(fact('Finished'), undefined, 'never finished: no 0001-01-01');
  assert.deepEqual(x.env, [
    { name: 'DB_PASSWORD', secret: true },
    { name: 'LOG_LEVEL', value: 'debug', secret: false },
    { name: 'EMPTY', value: '', secret: false },
  ]);
  assert.deepEqual(x.health, {
    status: 'unhealthy',
    failingStreak: 3,
    runs: [{ start: Date.parse('2026-12-01T10:00:05Z'), end: Date.parse('2026-12-01T10:00:05.2Z'), exitCode: 1, output: 'db unreachable' }],
  });
  assert.deepEqual(x.mounts, [{ source: 'data', destination: '/data', mode: 'rw', type: 'volume' }]);
  assert.deepEqual(x.networks, [{ name: 'shop_default', aliases: ['api', 'aaaaaaaaaaaa'] }]);
  assert.ok(!JSON.stringify(x).includes('hunter2'));
  assert.deepEqual((JSON.parse(x.raw.text) as { Config: { Env: string[] } }).Config.Env, [`DB_PASSWORD=${MASK}`, 'LOG_LEVEL=debug', 'EMPTY=']);
});

test('health output and env values from a container reach the page as plain text, line breaks kept only where meant', () => {
  fc.assert(
    fc.property(hostileText, hostileText, (output, value) => {
      const x = toInspect('docker:local', container({ output, env: [`LOG_LEVEL=${value}`] }));
      const out = x.health!.runs[0]!.output;
      for (const line of out.split('\n')) assert.equal(anyControl(line), undefined, `health output line ${show(line)}`);
      const v = x.env[0]!.value!;
      assert.equal(anyControl(v), undefined, show(v));
      assert.ok(!v.includes('\n'), 'a value is one line');
      for (const line of x.raw.text.split('\n')) assert.equal(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/.exec(line), null, show(line));
    }),
    { numRuns: 300 },
  );
  assert.equal(plainLines('a\tb\r\nc\x1b[2Jd'), 'a    b\nc^[[2Jd');
});

test('shellWords quotes what a shell would need quoted', () => {
  assert.equal(shellWords(['sh', '-c', 'echo hi && exit 1']), `sh -c 'echo hi && exit 1'`);
  assert.equal(shellWords(['/usr/bin/env', 'A=b', 'x.js']), '/usr/bin/env A=b x.js');
});

function pod(): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'api-7d9-x2x4q',
      namespace: 'shop',
      uid: 'u1',
      creationTimestamp: new Date('2026-12-01T10:00:00Z'),
      managedFields: [{ manager: 'kubectl' }],
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: { containers: [{ name: 'api', env: [{ name: 'API_TOKEN', value: 'tok-1' }] }] },
        }),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9', uid: 'r1', controller: true }],
    },
    spec: {
      nodeName: 'node-a',
      containers: [
        {
          name: 'api',
          image: 'shop/api:2',
          env: [
            { name: 'API_TOKEN', value: 'tok-1' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
        },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [api]' }],
      containerStatuses: [
        {
          name: 'api',
          image: 'shop/api:2',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=api' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-12-01T10:05:00Z') } },
        },
      ],
    },
  } as V1Pod;
}

test('a crashing pod: why first, the literal token masked in the spec and in the last-applied annotation', () => {
  let dumped: V1Pod | undefined;
  const x = toPodInspect('kube:c', pod(), [], (o) => {
    dumped = o;
    return 'kind: Pod\ncreationTimestamp: 2026-12-01T10:00:00.000Z\n';
  });
  assert.equal(dumped!.metadata!.managedFields, undefined);
  assert.equal(dumped!.spec!.containers[0]!.env![0]!.value, MASK);
  assert.ok(!dumped!.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']!.includes('tok-1'));
  assert.equal(x.raw.text, 'kind: Pod\ncreationTimestamp: 2026-12-01T10:00:00Z\n');
  assert.ok(!JSON.stringify(x).includes('tok-1'));
  assert.deepEqual(x.env, [
    { name: 'API_TOKEN', secret: true },
    { name: 'DB_PASSWORD', secret: true, from: 'secret db/password' },
  ]);
  assert.ok(x.conditions!.some((c) => c.type === 'Container api' && c.status === 'Waiting' && c.reason === 'CrashLoopBackOff'));
  const why = whyUnhealthy(x)!;
  assert.match(why.title, /not ready/);
  assert.ok(why.lines.some((l) => l.includes('CrashLoopBackOff') && l.includes('back-off 40s')));
  assert.ok(
    why.lines.some((l) => l.includes('Error, exit code 1')),
    'the last crash, while it is not ready',
  );
});

test('an unhealthy container: why is the failing run with its output', () => {
  const why = whyUnhealthy(toInspect('docker:local', container({ output: 'db unreachable: connect ECONNREFUSED\nretry 3' })))!;
  assert.match(why.title, /health check fails \(3 times in a row\)/);
  assert.equal(why.output, 'db unreachable: connect ECONNREFUSED\nretry 3');
  const healthy = container();
  healthy.State.Health = { Status: 'healthy', FailingStreak: 0, Log: [] };
  assert.equal(whyUnhealthy(toInspect('docker:local', healthy)), undefined);
});

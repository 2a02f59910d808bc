// `fleetdeck top`: its parsing, the table a user reads, the --json shape scripts rely on, and when a
// point counts as measured; all fed services and points as the core would send them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError, helpText, parseCommand } from '../../../main/cli/args';
import { isMeasured } from '../../../main/cli/top';
import { formatTop, topRows } from '../../../main/cli/top-format';
import type { Environment, Instance, MetricPoint, Service } from '../../../main/common/model';
import { DOCKER_CAPS } from '../../helpers/capabilities';
import { anyControl, show } from '../common/hostile-text';

const OSC52 = '\x1b]52;c;SlNPTkNMSVA=\x07';

function instance(name: string, state: Instance['state'] = 'running', ports: Instance['ports'] = []): Instance {
  return { id: `id-${name}`, shortId: 'c0ffee', name, image: 'img', state, health: 'none', createdAt: 0, ports, restartCount: 0 };
}

function service(name: string, instances: Instance[], extra: Partial<Service> = {}): Service {
  return {
    id: `docker:local/shop/${name}`,
    envId: 'docker:local',
    name,
    project: 'shop',
    group: 'fleetdeck',
    image: 'img',
    instances,
    desired: instances.length,
    running: instances.length,
    healthy: 0,
    unhealthy: 0,
    createdAt: 0,
    scalable: true,
    ...extra,
  };
}

const DOCKER: Environment = {
  id: 'docker:local',
  name: 'Docker (local)',
  kind: 'docker',
  endpoint: 'unix:///var/run/docker.sock',
  state: 'connected',
  capabilities: DOCKER_CAPS,
} as Environment;
const KUBE = { ...DOCKER, id: 'kube:ctx', kind: 'kubernetes' } as Environment;

const order = service('order', [instance('shop-order-1'), instance('shop-order-2'), instance('shop-order-3', 'exited')], {
  breakers: [
    { instance: 'shop-order-1', breaker: 'user-service', state: 'open' },
    { instance: 'shop-order-2', breaker: 'user-service', state: 'closed' },
  ],
});
const orderPoint: MetricPoint = {
  t: 1,
  cpuPercent: 30,
  memMiB: 150,
  instances: {
    'shop-order-1': { cpuPercent: 12.5, memMiB: 70.25, rxKBps: 1.5, txKBps: 2, rps: 10, errorsPerSecond: 0.5, p95Ms: 40 },
    'shop-order-2': { cpuPercent: 17.5, memMiB: 79.75, rxKBps: 0.5, txKBps: 1, rps: 5, errorsPerSecond: 0, p95Ms: 95 },
  },
};

test('top parses its flags like the other commands; bad ones are usage errors', () => {
  assert.deepEqual(parseCommand(['top']), { cmd: 'top', json: false, watch: false, target: {} });
  assert.deepEqual(parseCommand(['top', '--json', '-w', '--context', 'dev', '-n', 'shop']), {
    cmd: 'top',
    json: true,
    watch: true,
    target: { context: 'dev', namespace: 'shop' },
  });
  assert.deepEqual(parseCommand(['top', '--watch', '-A']), { cmd: 'top', json: false, watch: true, target: { allNamespaces: true } });
  assert.throws(() => parseCommand(['top', 'web']), UsageError);
  assert.throws(() => parseCommand(['top', '--sort', 'cpu']), UsageError);
  assert.deepEqual(parseCommand(['top', '--help']), { cmd: 'help', topic: 'top' });
  assert.match(helpText('top'), /\{service, env, instances: \[\{name, cpuPercent, memMiB, rxKBps, txKBps, rps,/);
  assert.match(helpText(), /^ {2}top\s+CPU, memory/m);
});

test('--json: one object per service with each running instance and its breakers; unknown figures are null', () => {
  const idle = service('idle', [instance('shop-idle-1')]);
  const rows = topRows([order, idle], new Map([[order.id, orderPoint]]));
  assert.deepEqual(JSON.parse(JSON.stringify(rows)), [
    {
      service: 'shop/order',
      env: 'docker:local',
      instances: [
        {
          name: 'shop-order-1',
          cpuPercent: 12.5,
          memMiB: 70.25,
          rxKBps: 1.5,
          txKBps: 2,
          rps: 10,
          errorsPerSecond: 0.5,
          p95Ms: 40,
          breakers: [{ breaker: 'user-service', state: 'open' }],
        },
        {
          name: 'shop-order-2',
          cpuPercent: 17.5,
          memMiB: 79.75,
          rxKBps: 0.5,
          txKBps: 1,
          rps: 5,
          errorsPerSecond: 0,
          p95Ms: 95,
          breakers: [{ breaker: 'user-service', state: 'closed' }],
        },
      ],
    },
    {
      service: 'shop/idle',
      env: 'docker:local',
      instances: [
        { name: 'shop-idle-1', cpuPercent: null, memMiB: null, rxKBps: null, txKBps: null, rps: null, errorsPerSecond: null, p95Ms: null, breakers: [] },
      ],
    },
  ]);
});

test('the table: a service line with its totals (p95 the slowest), its instances under it, columns aligned', () => {
  const kubePoint: MetricPoint = { t: 1, cpuPercent: 2, memMiB: 40, instances: { 'users-abc': { cpuPercent: 2, memMiB: 40 } } };
  const users = service('users', [instance('users-abc')]);
  const gone = service('gone', [instance('shop-gone-1', 'exited')], { desired: 0, running: 0 });
  const list = [order, users, gone];
  const out = formatTop(
    topRows(
      list,
      new Map([
        [order.id, orderPoint],
        [users.id, kubePoint],
      ]),
    ),
    list,
  );
  const lines = out.split('\n');
  assert.match(lines[0]!, /^NAME\s+CPU %\s+MEM MiB\s+NET RX KB\/s\s+NET TX KB\/s\s+RPS\s+5XX\/S\s+P95 ms\s+BREAKERS$/);
  assert.match(lines[1]!, /^shop\/order\s+30\.00%\s+150\.0\s+2\.0\s+3\.0\s+15\.0\s+0\.50\s+95\s+user-service:open \(1\/2\)$/);
  assert.match(lines[2]!, /^ {2}shop-order-1\s+12\.50%\s+70\.3\s+1\.5\s+2\.0\s+10\.0\s+0\.50\s+40\s+user-service:open$/);
  assert.match(lines[3]!, /^ {2}shop-order-2\s+17\.50%\s+79\.8\s+0\.5\s+1\.0\s+5\.0\s+0\.00\s+95\s+user-service:closed$/);
  assert.ok(!out.includes('shop-order-3'), 'an exited instance is not listed, as docker stats lists running containers');
  assert.match(lines[4]!, /^shop\/users\s+2\.00%\s+40\.0\s+-\s+-\s+-\s+-\s+-\s+-$/, 'no network or requests: "-", not 0');
  assert.match(lines[6]!, /^shop\/gone\s+-.*no running instance$/);
  // Every column starts where its header does.
  const at = (l: string, word: string) => l.indexOf(word);
  const cpuAt = at(lines[0]!, 'CPU %');
  for (const l of lines.slice(1, 6)) assert.match(l.slice(cpuAt), /^\d+\.\d\d%/, l);
  const p95At = at(lines[0]!, 'P95 ms');
  assert.equal(lines[2]!.slice(p95At, p95At + 2), '40');
});

test('names and breaker names from containers are shown, not obeyed: one line per row, no control character', () => {
  const bad = service(`api${OSC52}`, [instance(`web-1\x1b[2J\nFORGED`)], {
    project: `shop\u202e`,
    breakers: [{ instance: `web-1\x1b[2J\nFORGED`, breaker: `db${OSC52}`, state: 'half_open' }],
  });
  const point: MetricPoint = { t: 1, cpuPercent: 1, memMiB: 1, instances: { [`web-1\x1b[2J\nFORGED`]: { cpuPercent: 1, memMiB: 1, rxKBps: 0, txKBps: 0 } } };
  const out = formatTop(topRows([bad], new Map([[bad.id, point]])), [bad]);
  assert.equal(out.split('\n').length, 3, show(out));
  for (const l of out.split('\n')) assert.equal(anyControl(l), undefined, show(l));
  assert.match(out, /shop<U\+202E>\/api\^\[\]52;c;SlNPTkNMSVA=\^G/);
  assert.match(out, /web-1\^\[\[2J↵FORGED/);
  assert.match(out, /db\^\[\]52;c;SlNPTkNMSVA=\^G:half_open/);
});

test('a Docker point counts once every running instance has two stats samples, and request figures or 12 s of waiting', () => {
  const published = [{ containerPort: 5000, protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 49153 }];
  const s = service('order', [instance('shop-order-1', 'running', published), instance('shop-order-2', 'running', published)]);
  const one = (f: object) => ({ t: 1, cpuPercent: 0, memMiB: 0, instances: { 'shop-order-1': { cpuPercent: 1, memMiB: 1, ...f } } });
  assert.equal(isMeasured(DOCKER, s, { since: 0 }, 1000), false, 'no point yet');
  const oneSample = { cpuPercent: 1, memMiB: 1 };
  const twoSamples = { cpuPercent: 1, memMiB: 1, rxKBps: 0, txKBps: 0 };
  const both = (a: object, b: object): MetricPoint => ({
    t: 1,
    cpuPercent: 0,
    memMiB: 0,
    instances: { 'shop-order-1': a, 'shop-order-2': b } as MetricPoint['instances'],
  });
  assert.equal(isMeasured(DOCKER, s, { since: 0, point: one(twoSamples) }, 9000), false, 'an instance missing from the point');
  assert.equal(isMeasured(DOCKER, s, { since: 0, point: both(twoSamples, oneSample) }, 9000), false, 'one sample: CPU is not a rate yet');
  assert.equal(isMeasured(DOCKER, s, { since: 0, point: both(twoSamples, twoSamples) }, 1000), false, 'request figures may still come');
  assert.equal(isMeasured(DOCKER, s, { since: 0, point: both({ ...twoSamples, rps: 1 }, { ...twoSamples, rps: 0 }) }, 1000), true);
  assert.equal(isMeasured(DOCKER, s, { since: 0, point: both(twoSamples, twoSamples) }, 12000), true, 'no /metrics: not waited for past 12 s');
  const unpublished = service('order', [instance('shop-order-1'), instance('shop-order-2')]);
  assert.equal(
    isMeasured(DOCKER, unpublished, { since: 0, point: both(twoSamples, twoSamples) }, 1000),
    true,
    'no loopback port: never scraped, not waited for',
  );
  assert.equal(isMeasured(KUBE, s, { since: 0, point: both(oneSample, oneSample) }, 0), true, 'the metrics API gives rates over its own window');
  assert.equal(isMeasured(KUBE, s, { since: 0, problem: 'This cluster serves no metrics.k8s.io' }, 0), true);
  assert.equal(isMeasured(DOCKER, service('none', [instance('x', 'exited')]), { since: 0 }, 0), true, 'nothing running: nothing to wait for');
});

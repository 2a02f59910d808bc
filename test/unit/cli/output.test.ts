// What the CLI prints, on a TTY and in a pipe: the table and log output functions, fed what
// containers and clusters may say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatEnvironments } from '../../../main/cli/envs';
import { logOutput } from '../../../main/cli/logs';
import { errorLine } from '../../../main/cli/output';
import { formatServices, label, scaledLine } from '../../../main/cli/services';
import { instanceColours } from '../../../main/common/log-format';
import type { Environment, Instance, LogEvent, Service } from '../../../main/common/model';
import { jsonText } from '../../../main/common/output-policy';
import { toEntry } from '../../../main/core/logs/entry';
import { anyControl, anyField, hostileJsonLine, hostileText, show, unsafeOutsideColours } from '../common/hostile-text';
import { DOCKER_CAPS } from '../../helpers/capabilities';

const OSC52 = '\x1b]52;c;SlNPTkNMSVA=\x07';

function instance(name: string, image: string): Instance {
  return {
    id: 'c0ffee',
    shortId: 'c0ffee',
    name,
    image,
    state: 'running',
    health: 'none',
    createdAt: 0,
    ports: [{ containerPort: 5000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }],
    restartCount: 0,
  };
}

function service(name: string, project: string | undefined, image: string, instances: Instance[], group: Service['group'] = 'fleetdeck'): Service {
  return {
    id: `docker:local/${project ?? 'container'}/${name}`,
    envId: 'docker:local',
    name,
    ...(project === undefined ? {} : { project }),
    group,
    image,
    instances,
    desired: instances.length,
    running: instances.length,
    healthy: 0,
    unhealthy: 0,
    createdAt: 0,
    scalable: true,
  };
}

/** Every character a line may hold in a table: no control at all. */
function tableIsSafe(out: string, rows: number, input: unknown): void {
  const lines = out.split('\n');
  assert.equal(lines.length, rows, `one line per row: ${show(out)} from ${show(JSON.stringify(input))}`);
  for (const l of lines) assert.equal(anyControl(l), undefined, `${show(l)} from ${show(JSON.stringify(input))}`);
}

test('fleetdeck ls: a label holding ESC]52 is shown, not obeyed', () => {
  const out = formatServices([service(`api${OSC52}`, `shop\x1b[2J`, `img\r\nFORGED`, [instance(`web-1${OSC52}`, 'img')])]);
  assert.doesNotMatch(out, /\x1b|\x07/, show(out));
  assert.match(out, /^shop\^\[\[2J\/api\^\[\]52;c;SlNPTkNMSVA=\^G\s+fleetdeck\s+1\/1/m);
  assert.match(out, /img↵FORGED/);
  assert.equal(out.split('\n').length, 3);
});

test('fleetdeck scale and error lines quote names through the policy', () => {
  const s = service(`api${OSC52}`, 'shop', 'img', []);
  assert.equal(label(s), 'shop/api^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(scaledLine(s, 3), 'shop/api^[]52;c;SlNPTkNMSVA=^G scaled to 3 (0/0 running)');
  assert.equal(errorLine(`No service named "x${OSC52}\ny".`), 'fleetdeck: No service named "x^[]52;c;SlNPTkNMSVA=^G↵y".');
});

test('property: the ls table has one line per row and no control character, whatever names, labels and images hold', () => {
  const inst = fc.tuple(anyField, anyField).map(([n, i]) => instance(n, i));
  const svc = fc
    .tuple(
      anyField,
      fc.option(anyField, { nil: undefined }),
      anyField,
      fc.array(inst, { maxLength: 3 }),
      fc.constantFrom<Service['group']>('compose', 'fleetdeck', 'standalone', 'deployment'),
    )
    .map(([n, p, i, is, g]) => service(n, p, i, is, g));
  fc.assert(
    fc.property(fc.array(svc, { minLength: 1, maxLength: 4 }), (list) => {
      tableIsSafe(formatServices(list), 1 + list.length + list.reduce((n, s) => n + s.instances.length, 0), list);
      for (const s of list) assert.equal(anyControl(scaledLine(s, 2)), undefined);
    }),
    { numRuns: 500 },
  );
});

test('property: the envs table has no control character, whatever versions and problems the engines answered', () => {
  const env = fc
    .tuple(anyField, anyField, fc.option(anyField, { nil: undefined }), fc.option(hostileText, { nil: undefined }))
    .map(([name, endpoint, version, problem]): Environment => ({
      id: 'docker:x',
      kind: 'docker',
      name,
      endpoint,
      state: 'unreachable',
      since: 0,
      capabilities: DOCKER_CAPS,
      ...(version === undefined ? {} : { version }),
      ...(problem ? { problem } : {}),
    }));
  fc.assert(
    fc.property(fc.array(env, { minLength: 1, maxLength: 3 }), (list) => {
      const out = formatEnvironments(list);
      const problems = list.filter((e) => e.problem).length;
      tableIsSafe(out, 1 + list.length + (problems ? 1 + problems : 0), list);
    }),
    { numRuns: 500 },
  );
});

test('property: errorLine is one line with no control character', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, anyField), (m) => assert.equal(anyControl(errorLine(m)), undefined, show(m))),
    { numRuns: 1000 },
  );
});

test('property: fleetdeck logs writes one LF-ended line per entry: only colours on a TTY, nothing at all in a pipe', () => {
  const line = fc.oneof(hostileText, hostileJsonLine);
  fc.assert(
    fc.property(fc.array(fc.tuple(line, anyField), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), fc.boolean(), (lines, colour, raw, merged) => {
      const event: LogEvent = { kind: 'lines', entries: lines.map(([l, who]) => toEntry(l, who, 'stdout')) };
      const out = logOutput(event, instanceColours(), { colour, raw, merged });
      const written = out.split('\n');
      assert.equal(written.pop(), '', 'ends with a line end');
      assert.equal(written.length, lines.length, show(out));
      for (const w of written) {
        if (colour) assert.equal(unsafeOutsideColours(w), undefined, show(w));
        else assert.equal(anyControl(w.replace(/\t/g, ' ')), undefined, show(w));
      }
    }),
    { numRuns: 1000 },
  );
  assert.equal(
    logOutput({ kind: 'dropped', count: 3 }, instanceColours(), { colour: false, raw: false, merged: true }),
    ' … 3 lines not shown: the connection could not keep up \n',
  );
  assert.equal(logOutput({ kind: 'instance', name: 'x', event: 'ended' }, instanceColours(), { colour: true, raw: false, merged: true }), '');
});

test('--json escapes C1 and line separators too, and stays the same JSON', () => {
  const list = [service(`api\u009b2J\u2028${OSC52}`, 'shop', 'img', [])];
  const out = jsonText(list);
  assert.deepEqual(JSON.parse(out), list);
  assert.equal(anyControl(out.replace(/\n */g, '')), undefined, show(out));
});

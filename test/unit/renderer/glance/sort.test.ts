import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextSort, parseSort, sortRows, type SortRow, type SortState } from '../../../../renderer/src/features/glance/sort';
import { inst, row, svc } from './fixtures';

const names = (rows: SortRow[]) => rows.map((r) => r.service.name);

test('by name: A to Z on the first click, Z to A on the second, numbers in names in their order', () => {
  const rows = ['web-10', 'api', 'web-2', 'Cache'].map((n) => ({ service: svc(n), glance: undefined }));
  const first = nextSort(undefined, 'name');
  assert.deepEqual(first, { key: 'name', dir: 'asc' });
  assert.deepEqual(names(sortRows(rows, first)), ['api', 'Cache', 'web-2', 'web-10']);
  const second = nextSort(first, 'name');
  assert.deepEqual(second, { key: 'name', dir: 'desc' });
  assert.deepEqual(names(sortRows(rows, second)), ['web-10', 'web-2', 'Cache', 'api']);
  assert.deepEqual(nextSort(second, 'name'), first);
});

test('a figure sorts highest first on its first click; a service with nothing measured is last either way', () => {
  const a = svc('a');
  const b = svc('b');
  const c = svc('c');
  const rows: SortRow[] = [
    { service: a, glance: row(a, { cpuPercent: 4 }) },
    { service: b, glance: row(b) },
    { service: c, glance: row(c, { cpuPercent: 40 }) },
  ];
  const cpu = nextSort(undefined, 'cpu');
  assert.equal(cpu.dir, 'desc');
  assert.deepEqual(names(sortRows(rows, cpu)), ['c', 'a', 'b']);
  assert.deepEqual(names(sortRows(rows, nextSort(cpu, 'cpu'))), ['a', 'c', 'b']);
  const noFigures = rows.map((r) => ({ service: r.service, glance: undefined }));
  assert.deepEqual(names(sortRows(noFigures, cpu)), ['a', 'b', 'c'], 'ties fall back to the name, so the order never shuffles');
});

test('CPU without the latest second uses the newest point of its sparkline', () => {
  const a = svc('a');
  const b = svc('b');
  const spark = new Array<number | null>(30).fill(null);
  spark[28] = 70;
  const rows: SortRow[] = [
    { service: a, glance: row(a, { cpuPercent: 10 }) },
    { service: b, glance: row(b, { cpu: spark }) },
  ];
  assert.deepEqual(names(sortRows(rows, { key: 'cpu', dir: 'desc' })), ['b', 'a']);
});

test('errors, p95 and requests sort by their figures', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((n) => svc(n));
  const rows: SortRow[] = [
    { service: a!, glance: row(a!, { errorRate: 0.2, p95Ms: 10, requestsPerSecond: 1 }) },
    { service: b!, glance: row(b!, { errorRate: 0, p95Ms: 300, requestsPerSecond: 9 }) },
    { service: c!, glance: row(c!, { errorRate: 0.01, p95Ms: 40 }) },
  ];
  assert.deepEqual(names(sortRows(rows, { key: 'errors', dir: 'desc' })), ['a', 'c', 'b']);
  assert.deepEqual(names(sortRows(rows, { key: 'p95', dir: 'desc' })), ['b', 'c', 'a']);
  assert.deepEqual(names(sortRows(rows, { key: 'rps', dir: 'desc' })), ['b', 'a', 'c']);
});

test('health sorted its first way puts what needs a look on top: Degraded, then unhealthy, healthy last', () => {
  const healthy = svc('healthy');
  const sick = svc('sick', { instances: [inst(1), inst(2, { health: 'unhealthy' })] });
  const degraded = svc('degraded', { degraded: { reason: 'circuit breaker user-service open on order-service-1' } });
  const rows = [healthy, sick, degraded].map((service) => ({ service, glance: undefined }));
  assert.deepEqual(names(sortRows(rows, nextSort(undefined, 'health'))), ['degraded', 'sick', 'healthy']);
});

test('instances: more ready first, then more wanted; age: youngest first', () => {
  const three = svc('three', { createdAt: 3_000 });
  const two = svc('two', { instances: [inst(1), inst(2), inst(3, { state: 'exited', exitCode: 1, health: 'none' })], createdAt: 1_000 });
  const one = svc('one', { instances: [inst(1)], createdAt: 2_000 });
  const rows = [one, two, three].map((service) => ({ service, glance: undefined }));
  const byInstances = names(sortRows(rows, { key: 'instances', dir: 'desc' }));
  // two: 2 ready of 3 wanted; three: 2 ready of 2; one: 1 of 1.
  assert.deepEqual(byInstances, ['two', 'three', 'one']);
  assert.deepEqual(names(sortRows(rows, nextSort(undefined, 'age'))), ['three', 'one', 'two']);
});

test('the Overview sorts by environment name, then service name', () => {
  const rows: SortRow[] = [
    { service: svc('web', { envId: 'kube:prod' }), glance: undefined, envName: 'prod' },
    { service: svc('api', { envId: 'docker:local' }), glance: undefined, envName: 'Docker (local)' },
    { service: svc('api', { envId: 'kube:prod' }), glance: undefined, envName: 'prod' },
  ];
  const sorted = sortRows(rows, { key: 'environment', dir: 'asc' });
  assert.deepEqual(
    sorted.map((r) => `${r.envName} ${r.service.name}`),
    ['Docker (local) api', 'prod api', 'prod web'],
  );
});

test('a remembered sort is read back only when it names a column and a direction', () => {
  const s: SortState = { key: 'p95', dir: 'desc' };
  assert.deepEqual(parseSort(JSON.stringify(s)), s);
  assert.equal(parseSort(null), undefined);
  assert.equal(parseSort('not json'), undefined);
  assert.equal(parseSort('{"key":"colour","dir":"asc"}'), undefined);
  assert.equal(parseSort('{"key":"name","dir":"sideways"}'), undefined);
  assert.equal(parseSort('{"key":"environment","dir":"asc"}', ['name', 'cpu']), undefined, 'a column this table does not have');
});

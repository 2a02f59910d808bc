// Which environment and service a command means: pure, no engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../main/cli/args';
import { chooseEnvironment, exitCodeOf, resolveInstance, resolveService } from '../../../main/cli/target';
import { ApiError } from '../../../main/common/errors';
import type { Environment, Service } from '../../../main/common/model';
import { DOCKER_CAPS } from '../../helpers/capabilities';

const docker: Environment = {
  id: 'docker:local',
  kind: 'docker',
  name: 'Docker (local)',
  endpoint: 'unix:///x',
  state: 'connected',
  since: 0,
  capabilities: DOCKER_CAPS,
};
const kube: Environment = { ...docker, id: 'kube:prod', kind: 'kubernetes', name: 'prod', capabilities: { ...DOCKER_CAPS, namespaces: true } };
const svc = (id: string, name: string, project?: string, group: Service['group'] = 'compose'): Service =>
  ({
    id,
    envId: 'docker:local',
    name,
    group,
    image: 'img',
    instances: [],
    desired: 1,
    running: 1,
    healthy: 1,
    unhealthy: 0,
    createdAt: 0,
    scalable: true,
    ...(project ? { project } : {}),
  }) as Service;

test('--context names a kube environment, --env any; the local engine is the default', () => {
  assert.equal(chooseEnvironment({}, [docker, kube]).id, 'docker:local');
  assert.equal(chooseEnvironment({ context: 'prod', namespace: 'shop' }, [docker, kube]).id, 'kube:prod');
  assert.equal(chooseEnvironment({ env: 'kube:prod' }, [docker, kube]).id, 'kube:prod');
});

test('an unknown context is NOT_FOUND listing the known ones; conflicting flags are usage errors', () => {
  assert.throws(
    () => chooseEnvironment({ context: 'staging' }, [docker, kube]),
    (e) => e instanceof ApiError && e.code === 'NOT_FOUND' && /staging/.test(e.message) && /kube:prod/.test(e.hint ?? ''),
  );
  assert.throws(() => chooseEnvironment({ env: 'docker:local', context: 'prod' }, [docker, kube]), UsageError);
  assert.throws(() => chooseEnvironment({ namespace: 'a', allNamespaces: true, context: 'prod' }, [docker, kube]), UsageError);
  assert.throws(
    () => chooseEnvironment({ namespace: 'shop' }, [docker, kube]),
    (e) => e instanceof UsageError && /has no namespaces/.test(e.message),
  );
});

test('services resolve by id, name, or project/name; ambiguity says how to be precise', () => {
  const list = [svc('a', 'web', 'shop'), svc('b', 'web', 'blog'), svc('c', 'db', 'shop'), svc('d', 'tool', undefined, 'standalone')];
  assert.equal(resolveService(list, 'db').id, 'c');
  assert.equal(resolveService(list, 'blog/web').id, 'b');
  assert.equal(resolveService(list, 'container/tool').id, 'd');
  assert.equal(resolveService(list, 'a').id, 'a');
  assert.throws(
    () => resolveService(list, 'web'),
    (e) => e instanceof ApiError && e.code === 'INVALID_PARAMS' && /shop\/web, blog\/web/.test(e.message),
  );
  assert.throws(
    () => resolveService(list, 'cache'),
    (e) => e instanceof ApiError && e.code === 'NOT_FOUND',
  );
});

test('instances resolve by name or an id prefix', () => {
  const s = {
    ...svc('a', 'web', 'shop'),
    instances: [
      { id: 'abcdef123456', name: 'shop-web-1' },
      { id: 'abcd99999999', name: 'shop-web-2' },
    ],
  } as Service;
  assert.equal(resolveInstance([s], 'shop-web-2').instance.id, 'abcd99999999');
  assert.equal(resolveInstance([s], 'abcde').instance.name, 'shop-web-1');
  assert.throws(
    () => resolveInstance([s], 'abcd'),
    (e) => e instanceof ApiError && /matches 2/.test(e.message),
  );
});

test('exit codes follow the error: not found 3, unreachable 4, interrupted 130, bad input 2, else 1', () => {
  assert.equal(exitCodeOf(new ApiError('NOT_FOUND', 'x')), 3);
  assert.equal(exitCodeOf(new ApiError('UNREACHABLE', 'x')), 4);
  assert.equal(exitCodeOf(new ApiError('CANCELLED', 'x')), 130);
  assert.equal(exitCodeOf(new ApiError('INVALID_PARAMS', 'x')), 2);
  assert.equal(exitCodeOf(new ApiError('TIMEOUT', 'x')), 1);
});

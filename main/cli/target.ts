/**
 * Which environment, namespace and service a command means, from `--env`, kubectl's `--context`
 * and `-n`, and a name as people type it. Pure: tested without an engine.
 */
import { ApiError } from '../common/errors';
import type { Environment, Instance, Service } from '../common/model';
import { plainText } from '../common/output-policy';
import { UsageError, type TargetOptions } from './args';

export const DEFAULT_ENV = 'docker:local';

export function chooseEnvironment(t: TargetOptions, envs: Environment[]): Environment {
  if (t.env && t.context) throw new UsageError('give either --env or --context, not both.');
  if (t.namespace && t.allNamespaces) throw new UsageError('give either -n/--namespace or -A/--all-namespaces, not both.');
  const id = t.context ? `kube:${t.context}` : (t.env ?? DEFAULT_ENV);
  const env = envs.find((e) => e.id === id);
  if (!env) {
    const known = envs.map((e) => e.id).join(', ');
    throw new ApiError(
      'NOT_FOUND',
      t.context ? `No Kubernetes context "${t.context}" in your kubeconfig.` : `No environment "${id}".`,
      `Known: ${known || 'none'}. "fleetdeck envs" lists them.`,
    );
  }
  if ((t.namespace || t.allNamespaces) && !env.capabilities.namespaces) {
    throw new UsageError(`${env.name} has no namespaces; -n and -A apply to Kubernetes contexts.`);
  }
  return env;
}

/** A service by id, by name, or as `project/name` (`namespace/name` for Kubernetes) where the name alone is ambiguous. */
export function resolveService(list: Service[], ref: string): Service {
  const exact = list.find((s) => s.id === ref);
  if (exact) return exact;
  // Names are shown through the output policy: typed raw or as shown, a name finds its service.
  const [a, b] = (ref.includes('/') ? ref.split('/', 2) : [undefined, ref]).map((x) => (x === undefined ? x : plainText(x)));
  const hits = list.filter((s) => s.name === b && (a === undefined || s.project === a || (a === 'container' && s.group === 'standalone')));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new ApiError('NOT_FOUND', `No service named "${ref}".`, 'Run "fleetdeck ls" to see the services.');
  throw new ApiError(
    'INVALID_PARAMS',
    `"${ref}" names ${hits.length} services: ${hits.map((s) => `${s.project ?? 'container'}/${s.name}`).join(', ')}.`,
    'Name it as project/service (namespace/name for Kubernetes).',
  );
}

/** An instance by name, id, or an id prefix of 4 or more hex digits. */
export function resolveInstance(list: Service[], ref: string): { service: Service; instance: Instance } {
  const prefix: { service: Service; instance: Instance }[] = [];
  for (const service of list) {
    for (const instance of service.instances) {
      if (instance.id === ref || instance.name === ref || instance.name === plainText(ref)) return { service, instance };
      if (ref.length >= 4 && /^[0-9a-f]+$/.test(ref) && instance.id.startsWith(ref)) prefix.push({ service, instance });
    }
  }
  if (prefix.length === 1) return prefix[0]!;
  if (prefix.length > 1) throw new ApiError('INVALID_PARAMS', `"${ref}" matches ${prefix.length} instances.`, 'Give more of the id.');
  throw new ApiError('NOT_FOUND', `No service or instance named "${ref}".`, 'Run "fleetdeck ls" to see them.');
}

/** Exit codes, as `fleetdeck help` documents them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, unreachable: 4, interrupted: 130 } as const;

export function exitCodeOf(e: ApiError): number {
  if (e.code === 'NOT_FOUND') return EXIT.notFound;
  if (e.code === 'UNREACHABLE') return EXIT.unreachable;
  if (e.code === 'CANCELLED') return EXIT.interrupted;
  if (e.code === 'INVALID_PARAMS') return EXIT.usage;
  return EXIT.failed;
}

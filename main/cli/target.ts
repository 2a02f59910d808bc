/**
 * Which environment, namespace and service a command means, from `--env`, kubectl's `--context`
 * and `-n`, and a name as people type it. Pure: tested without an engine.
 */
import { ApiError } from '../common/errors';
import type { Environment } from '../common/model';
import { UsageError, type TargetOptions } from './args';

export { resolveInstance, resolveService } from '../common/service-ref';

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

/** Exit codes, as `fleetdeck help` documents them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, unreachable: 4, interrupted: 130 } as const;

export function exitCodeOf(e: ApiError): number {
  if (e.code === 'NOT_FOUND') return EXIT.notFound;
  if (e.code === 'UNREACHABLE') return EXIT.unreachable;
  if (e.code === 'CANCELLED') return EXIT.interrupted;
  if (e.code === 'INVALID_PARAMS') return EXIT.usage;
  return EXIT.failed;
}

/**
 * A service or instance as people type it, resolved against a list: by id, by name, or as
 * `project/name` (`namespace/name` for Kubernetes). One rule for the CLI and the engines.
 */
import { ApiError } from './errors';
import type { Instance, Service } from './model';
import { plainText } from './output-policy';

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

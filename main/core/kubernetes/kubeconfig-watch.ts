/**
 * kubeconfig changes under a running panel: `kubectl config use-context`, a cloud CLI adding a
 * cluster, a token refreshed by a login. Lens and Headlamp pick these up without a restart, so
 * Fleetdeck watches the files too and reloads what changed.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type * as K8s from '@kubernetes/client-node';

/** Calls `onChange` (debounced) whenever one of `paths` is written, created, renamed or removed; returns how to stop. */
export function watchFiles(paths: readonly string[], onChange: () => void, debounceMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref?.();
  };
  // The folder, not the file: editors and kubectl replace the file by a rename, which ends a watch on the file itself.
  const byDir = new Map<string, Set<string>>();
  for (const p of paths) {
    const d = dirname(p);
    if (!byDir.has(d)) byDir.set(d, new Set());
    byDir.get(d)!.add(basename(p));
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        // kubectl writes through a temporary and a lock file beside the config: those alone are not a change.
        if (!name || names.has(name.toString())) fire();
      });
      w.on('error', () => {});
      watchers.push(w);
    } catch {
      // A folder that does not exist yet (~/.kube before the first cluster): nothing to watch.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

/**
 * Per context, a digest of everything that decides how it is reached: its cluster (server, CA,
 * TLS options), its user (token, keys, exec plugin) and its namespace. A context whose digest
 * changed is reconnected; only digests are kept, never the credentials themselves.
 */
export function contextDigests(kc: K8s.KubeConfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of kc.getContexts()) {
    const material = JSON.stringify({ context: c, cluster: kc.getCluster(c.cluster) ?? null, user: kc.getUser(c.user) ?? null });
    out.set(c.name, createHash('sha256').update(material).digest('hex'));
  }
  return out;
}

/** What a reload does: contexts to add, to drop, and to make afresh (their connection changed). */
export function diffContexts(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): { added: string[]; removed: string[]; changed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [name, digest] of after) {
    const was = before.get(name);
    if (was === undefined) added.push(name);
    else if (was !== digest) changed.push(name);
  }
  for (const name of before.keys()) if (!after.has(name)) removed.push(name);
  return { added, removed, changed };
}

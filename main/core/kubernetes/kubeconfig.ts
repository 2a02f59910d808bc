/**
 * Kubernetes contexts from the user's kubeconfig, as kubectl finds them. Only names,
 * server URLs and namespaces leave this module: tokens, keys and exec plugins stay here.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export function kubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = env.KUBECONFIG?.split(delimiter).filter(Boolean);
  return list?.length ? list : [join(homedir(), '.kube', 'config')];
}

export interface KubeContextInfo {
  name: string;
  server: string;
  namespace: string;
}

type ClientNode = typeof import('@kubernetes/client-node');
let loaded: Promise<ClientNode> | undefined;
/** client-node is large and ESM-only; load it only when a kubeconfig exists. */
export function clientNode(): Promise<ClientNode> {
  loaded ??= import('@kubernetes/client-node');
  return loaded;
}

export async function loadKubeConfig(env: NodeJS.ProcessEnv = process.env) {
  const paths = kubeconfigPaths(env).filter((p) => existsSync(p));
  if (paths.length === 0) return undefined;
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  for (const [i, p] of paths.entries()) {
    const one = new k8s.KubeConfig();
    one.loadFromFile(p, { onInvalidEntry: 'filter' });
    if (i === 0) {
      kc.loadFromString(one.exportConfig());
      continue;
    }
    // As kubectl merges KUBECONFIG: the first file to name a cluster, user or context wins
    // (client-node's mergeConfig throws on a repeated name instead).
    for (const c of one.getClusters()) if (!kc.getCluster(c.name)) kc.addCluster(c);
    for (const u of one.getUsers()) if (!kc.getUser(u.name)) kc.addUser(u);
    for (const c of one.getContexts()) if (!kc.getContextObject(c.name)) kc.addContext(c);
    if (!kc.getCurrentContext() && one.getCurrentContext()) kc.setCurrentContext(one.getCurrentContext());
  }
  return kc;
}

export function listContexts(kc: import('@kubernetes/client-node').KubeConfig): KubeContextInfo[] {
  return kc.getContexts().map((c) => ({
    name: c.name,
    server: displayServer(kc.getCluster(c.cluster)?.server ?? ''),
    namespace: c.namespace ?? 'default',
  }));
}

/**
 * A cluster's server URL as the window may show it: kubeconfigs in the wild carry credentials
 * in it (`https://user:pass@host`, `?access_token=…` behind some proxies), so user info, query
 * and fragment never leave this module. What does not parse as a URL is cut at anything that
 * could hold them.
 */
export function displayServer(server: string): string {
  try {
    const u = new URL(server);
    if (!u.host) throw new Error('no host'); // `user:pass@host` parses as scheme `user:`
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return server.replace(/^([a-z][\w+.-]*:\/\/)?[^/?#]*@/i, '$1').replace(/[?#].*$/s, '');
  }
}

/** A KubeConfig of its own per context: client-node looks auth up from the *current* context. */
export async function configFor(kc: import('@kubernetes/client-node').KubeConfig, context: string) {
  const k8s = await clientNode();
  const own = new k8s.KubeConfig();
  own.loadFromString(kc.exportConfig());
  own.setCurrentContext(context);
  return own;
}

/** Asks the cluster for its version: the cheapest call that proves we can reach and authenticate. */
export async function probeCluster(kc: import('@kubernetes/client-node').KubeConfig, timeoutMs = 5000) {
  const k8s = await clientNode();
  const api = kc.makeApiClient(k8s.VersionApi);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const v = await Promise.race([
      api.getCode(),
      new Promise<never>((_, rej) => ac.signal.addEventListener('abort', () => rej(new Error(`no answer in ${timeoutMs / 1000} s`)))),
    ]);
    return { version: v.gitVersion, platform: v.platform };
  } finally {
    clearTimeout(timer);
  }
}

/** client-node errors carry whole HTTP dumps; users get one short clause. */
export function describeKubeError(e: unknown): string {
  const x = e as { code?: number | string; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof x?.code === 'number') {
    if (x.code === 401) return 'the cluster refused the credentials (401)';
    if (x.code === 403) return 'access forbidden (403)';
    return `HTTP ${x.code}`;
  }
  if (x?.cause?.code) return x.cause.code === 'ECONNREFUSED' ? 'connection refused' : x.cause.code;
  const first = (x?.message ?? String(e)).split('\n')[0] ?? '';
  // Network errors quote the URL they tried, credentials and all.
  return first.replace(/[a-z][\w+.-]*:\/\/\S+/gi, (url) => displayServer(url)).slice(0, 200);
}

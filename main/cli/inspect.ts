/**
 * `fleetdeck inspect INSTANCE`: a container or a pod summarised as `docker inspect` and
 * `kubectl describe pod` would, through the same instances.inspect call as the window's tab.
 */
import type { ApiClient } from '../common/api-client';
import { ApiError } from '../common/errors';
import type { Environment, InstanceInspect } from '../common/model';
import { jsonText, plainText } from '../common/output-policy';
import type { Command, TargetOptions } from './args';
import { settledEnvironments, type Io } from './commands';
import { age } from './services';
import { chooseEnvironment, EXIT, resolveInstance } from './target';

const CONNECT_MS = 15_000;
const MASKED = '••••••';

export async function inspect(client: ApiClient, c: Extract<Command, { cmd: 'inspect' }>, io: Io): Promise<number> {
  const env = await connectedEnvironment(client, c.target);
  const list = await client.call('services.list', { envId: env.id });
  const { instance } = resolveInstance(c.target.namespace ? list.filter((s) => s.project === c.target.namespace) : list, c.instance);
  const got = await client.call('instances.inspect', { envId: env.id, instance: instance.id });
  io.out(`${c.json ? jsonText(got) : formatInspect(got)}\n`);
  return EXIT.ok;
}

async function connectedEnvironment(client: ApiClient, t: TargetOptions): Promise<Environment> {
  const wanted = chooseEnvironment(t, await client.call('environments.list', {}));
  const list = await settledEnvironments(client, CONNECT_MS, (l) => l.some((e) => e.id === wanted.id && e.state !== 'connecting'));
  const env = list.find((e) => e.id === wanted.id) ?? wanted;
  if (env.state !== 'connected') {
    throw new ApiError(
      'UNREACHABLE',
      env.problem ?? `${env.name} is not reachable.`,
      env.kind === 'docker' ? 'Start the engine and try again.' : 'Check the cluster and your kubeconfig credentials.',
    );
  }
  if (t.namespace) await client.call('environments.setNamespaces', { id: env.id, namespaces: [t.namespace] });
  return env;
}

/**
 * The human form: sections as `kubectl describe` prints them, the health check (the answer to
 * "why unhealthy") right after the summary. Every line passes the output policy here too, since
 * a pipe may be a terminal later.
 */
export function formatInspect(x: InstanceInspect, now = Date.now()): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', `${title}:`, ...lines.map((l) => `  ${l}`));
  };
  const facts: [string, string][] = [
    ['Name', x.instance],
    ['Kind', x.kind],
    ['Environment', x.envId],
    ...x.facts.map((f): [string, string] => [f.label, f.value]),
  ];
  const w = Math.max(...facts.map(([l]) => l.length)) + 2;
  out.push(...facts.map(([l, v]) => `${`${l}:`.padEnd(w)}${v}`));

  if (x.health) {
    const lines = [`Status: ${x.health.status}, failing streak ${x.health.failingStreak}`];
    for (const r of [...x.health.runs].reverse()) {
      const took = r.end ? ` in ${((r.end - r.start) / 1000).toFixed(1)} s` : '';
      lines.push(`${iso(r.start)}  exit ${r.exitCode}${took}${r.exitCode === 0 ? '' : '  (failed)'}`);
      for (const l of (r.output || '(no output)').split('\n')) lines.push(`    ${l}`);
    }
    section('Health check (newest first)', lines);
  }
  if (x.conditions?.length) {
    section(
      'Conditions',
      table(
        ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
        x.conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']),
      ),
    );
  }
  if (x.events) {
    section(
      'Events',
      x.events.length
        ? table(
            ['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'],
            x.events.map((e) => [e.type, e.reason, `${age(now - e.last)}${e.count > 1 ? ` (x${e.count})` : ''}`, e.source ?? '', e.message]),
          )
        : ['<none>'],
    );
  }
  section(
    'Environment',
    x.env.map((e) =>
      e.from
        ? `${e.name}: <${e.from}>${e.secret ? ' (secret)' : ''}`
        : `${e.name}=${e.secret ? `${MASKED} (kept back: the window's Show reveals it)` : (e.value ?? '')}`,
    ),
  );
  section(
    'Ports',
    x.ports.map((p) => (p.hostPort ? `${p.hostIp ?? '0.0.0.0'}:${p.hostPort} -> ${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)),
  );
  section(
    'Mounts',
    x.mounts.map((m) => `${m.destination} from ${m.source} (${m.mode}${m.type ? `, ${m.type}` : ''})`),
  );
  section(
    'Networks',
    x.networks.map((n) => (n.aliases?.length ? `${n.name} (aliases: ${n.aliases.join(', ')})` : n.name)),
  );
  section(
    'Labels',
    Object.entries(x.labels).map(([k, v]) => `${k}=${v}`),
  );
  return out.map((l) => plainText(l)).join('\n');
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  return [head, ...rows].map((r) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

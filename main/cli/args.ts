/** Command-line parsing for `fleetdeck`: pure, so it is tested without starting anything. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { LogLevel } from '../common/model';
import { parseTime } from './time';

/** Which environment a command acts on: `--env ID`, or kubectl's `--context` and `-n`. */
export interface TargetOptions {
  /** An environment id as `fleetdeck envs` prints it: `docker:local`, `kube:<context>`. */
  env?: string;
  /** A kubeconfig context, as kubectl's `--context`. */
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

export type Command =
  | { cmd: 'serve'; port: number; host: string; allowRemote: boolean }
  | { cmd: 'envs'; json: boolean }
  | { cmd: 'ls'; json: boolean; target: TargetOptions }
  | { cmd: 'scale'; service: string; replicas: number; wait: boolean; yes: boolean; json: boolean; timeoutS: number; target: TargetOptions }
  | { cmd: 'restart'; service: string; json: boolean; target: TargetOptions }
  | {
      cmd: 'logs';
      /** A service or instance; absent with --request (every service). */
      ref?: string;
      follow: boolean;
      /** Lines of history: per instance when following, in all otherwise. */
      tail: number;
      since?: number;
      until?: number;
      grep?: string;
      level?: LogLevel;
      request?: string;
      raw: boolean;
      json: boolean;
      target: TargetOptions;
    }
  | { cmd: 'inspect'; instance: string; json: boolean; target: TargetOptions }
  | { cmd: 'top'; json: boolean; watch: boolean; target: TargetOptions }
  | { cmd: 'alerts'; what: 'alerts' | 'rules'; json: boolean }
  | { cmd: 'version' }
  | { cmd: 'help'; topic?: keyof typeof HELP };

export class UsageError extends Error {}

const TARGET_HELP = `  --env ID            An environment as "fleetdeck envs" lists it (default docker:local)
  --context NAME      A Kubernetes context from your kubeconfig (kubectl's --context)
  -n, --namespace NS  The namespace to look in (Kubernetes; default: the context's)
  -A, --all-namespaces  Every namespace (Kubernetes)`;

const HELP = {
  serve: `Usage: fleetdeck serve [--port N] [--host H] [--allow-remote]

Serves the panel and its API on http://127.0.0.1:7420 and prints the URL with its access token.
  --port N            Port (default 7420; 0 picks a free one)
  --host H            Address to listen on (default 127.0.0.1)
  --allow-remote      Allow a non-loopback --host (anyone with the token controls your containers)`,
  envs: `Usage: fleetdeck envs [--json]

Lists the environments (Docker engines, Kubernetes contexts), whether each is reachable, and why not.`,
  ls: `Usage: fleetdeck ls [--env ID | --context NAME] [-n NS | -A] [--json]

Lists the services of an environment and their instances.
${TARGET_HELP}
  --json              The services as JSON`,
  scale: `Usage: fleetdeck scale SERVICE REPLICAS [--env ID | --context NAME] [-n NS] [--no-wait] [--yes] [--timeout S] [--json]

Scales a service (name, project/name or namespace/name) and waits until every replica is ready,
printing progress on stderr. Scaling to 0 asks first on a terminal.
${TARGET_HELP}
  --no-wait           Return once the engine has the new count, without waiting for readiness
  --yes, -y           Do not ask before scaling to 0
  --timeout S         How long to wait for readiness (default 90)
  --json              The service afterwards, as JSON`,
  restart: `Usage: fleetdeck restart SERVICE [--env ID | --context NAME] [-n NS] [--json]

Restarts every instance of a service one at a time, each becoming ready before the next
(Kubernetes: a rollout restart), printing progress on stderr.
${TARGET_HELP}
  --json              The service afterwards, as JSON`,
  logs: `Usage: fleetdeck logs SERVICE|INSTANCE [-f] [--since T] [--until T] [--grep Q] [--level L] [--tail N]
                    [--env ID | --context NAME] [-n NS] [--raw] [--json]
       fleetdeck logs --request ID

Prints the stored lines of every instance of a service, merged and prefixed (as stern does), or of
one instance, oldest first; with -f, follows them live until Ctrl+C. Lines are stored while the
window or "fleetdeck serve" runs, and outlive containers and pods that were replaced.
${TARGET_HELP}
  -f, --follow        Follow live (history first: --tail lines per instance)
  --since T           Lines from T on: 30s, 10m, 2h, 7d ago, or a time (2026-12-02T10:00:00Z)
  --until T           Lines before T (same forms)
  --grep Q            Only lines matching Q, in the search language (docs/log-search.md): words,
                      "phrases", field:value, -word, /regex/
  --level L           Only lines at level L and above (trace, debug, info, warn, error, fatal)
  --request ID        Every line of every service with this request id, in time order
  --tail N            The last N lines (default 50 with -f, per instance; 1000 otherwise)
  --raw               JSON lines as they were written, not as message key=value
  --json              One JSON object per line (time, instance, stream, level, text)`,
  inspect: `Usage: fleetdeck inspect INSTANCE [--env ID | --context NAME -n NS] [--json]

Describes one container or pod (name or id, as "fleetdeck ls" lists it): image, command, state,
restart policy, its health check with the output of the last runs (why it is unhealthy), conditions
and events (Kubernetes), environment, ports, mounts, networks and labels. Values of variables whose
names look secret (password, token, key…) are kept back.
${TARGET_HELP.split('\n').slice(0, 3).join('\n')}
  --json              Everything as JSON (secret-looking values kept back there too)`,
  top: `Usage: fleetdeck top [--env ID | --context NAME] [-n NS | -A] [--json] [--watch]

Shows each service and its running instances with CPU % (of one core, as docker stats), memory
(MiB, page cache left out, as docker stats), network received and sent (KB/s), requests per
second, 5xx per second and p95 latency (ms; from the instance's Prometheus /metrics, probes left
out) and circuit breaker states. A service's line sums its instances (p95: the slowest one's).
Waits until every instance was measured twice (at most 20 s), printing progress on stderr.
Kubernetes: CPU and memory from the cluster's metrics API, as kubectl top pod; no network or requests.
${TARGET_HELP}
  -w, --watch         Redraw every 2 s until Ctrl+C
  --json              An array, one object per service:
                      {service, env, instances: [{name, cpuPercent, memMiB, rxKBps, txKBps, rps,
                      errorsPerSecond, p95Ms, breakers: [{breaker, state}]}]}; a figure not known
                      is null; with --watch, one array per redraw`,
  alerts: `Usage: fleetdeck alerts [--json]
       fleetdeck alerts rules [--json]

Prints the alerts firing now, then the most recent past ones (time, service, what happened), or
the alert rules. Rules are evaluated while the window or "fleetdeck serve" runs; this command
reads what they stored in the state folder (alerts-history.json, alerts.json) and evaluates
nothing itself. Edit rules in the window's Alerts view (see docs/alerts.md).
  --json              The alerts (or rules) as JSON`,
} as const;

export const USAGE = `Usage: fleetdeck <command> [options]

Commands:
  serve [--port N] [--host H] [--allow-remote]
                      Serve the panel and its API on http://127.0.0.1:7420 (prints the URL with its access token)
  envs [--json]       List environments (Docker engines, Kubernetes contexts) and whether each is reachable
  ls                  List services and their instances
  scale SERVICE N     Scale a service to N replicas and wait until they are ready
  restart SERVICE     Restart a service's instances one at a time (rolling)
  logs SERVICE|INSTANCE
                      Follow the logs of every instance of a service (merged, prefixed) or of one instance
  inspect INSTANCE    Describe a container or pod: health-check output, events, environment (secrets kept back)
  top                 CPU, memory, network, requests, 5xx, p95 and breakers of every service and instance
  alerts [rules]      Print firing and recent alerts (as the window or serve stored them), or the alert rules
  version             Print the version
  help [COMMAND]      Show this help, or a command's (also: fleetdeck COMMAND --help)

ls, scale, restart, logs, inspect and top act on the local Docker engine unless given --env ID or
--context NAME (with -n NS or -A for namespaces); --json prints JSON.

Exit codes: 0 done; 1 the operation failed (engine error, timeout); 2 usage error;
3 no such environment, service or instance; 4 the environment is unreachable; 130 interrupted.

Environment: DOCKER_HOST, KUBECONFIG, FLEETDECK_TOKEN (fixed token for serve).`;

export function helpText(topic?: keyof typeof HELP): string {
  return topic ? HELP[topic] : USAGE;
}

const TARGET_OPTIONS = {
  env: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
} as const satisfies ParseArgsOptionsConfig;

export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  if (cmd && Object.hasOwn(HELP, cmd) && (rest.includes('--help') || rest.includes('-h'))) return { cmd: 'help', topic: cmd as keyof typeof HELP };
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h': {
      const topic = rest[0];
      if (topic === undefined) return { cmd: 'help' };
      if (!Object.hasOwn(HELP, topic)) throw new UsageError(`no command "${topic}". Run "fleetdeck help" for the list.`);
      return { cmd: 'help', topic: topic as keyof typeof HELP };
    }
    case 'version':
    case '--version':
    case '-v':
      return { cmd: 'version' };
    case 'serve': {
      const { values } = parse(rest, {
        port: { type: 'string', default: '7420' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-remote': { type: 'boolean', default: false },
      });
      const port = Number(values.port);
      if (!/^\d+$/.test(String(values.port)) || port > 65535) {
        throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
      }
      const host = String(values.host);
      if (!host || /[\s/]/.test(host)) throw new UsageError(`--host must be an address such as 127.0.0.1, not "${host}".`);
      return { cmd: 'serve', port, host, allowRemote: Boolean(values['allow-remote']) };
    }
    case 'envs': {
      const { values } = parse(rest, { json: { type: 'boolean', default: false } });
      return { cmd: 'envs', json: Boolean(values.json) };
    }
    case 'ls': {
      const { values } = parse(rest, { ...TARGET_OPTIONS, json: { type: 'boolean', default: false } });
      return { cmd: 'ls', json: Boolean(values.json), target: targetOf(values) };
    }
    case 'scale': {
      const { values, positionals } = parse(
        rest,
        {
          ...TARGET_OPTIONS,
          'no-wait': { type: 'boolean', default: false },
          yes: { type: 'boolean', short: 'y', default: false },
          json: { type: 'boolean', default: false },
          timeout: { type: 'string', default: '90' },
        },
        true,
      );
      const [service, count, ...extra] = positionals;
      if (!service || count === undefined || extra.length) throw new UsageError('usage: fleetdeck scale SERVICE REPLICAS, e.g. fleetdeck scale web 3');
      if (!/^\d+$/.test(count)) throw new UsageError(`replicas must be a whole number of 0 or more, not "${count}".`);
      const timeout = String(values.timeout);
      if (!/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600)
        throw new UsageError(`--timeout must be a whole number of seconds from 1 to 3600, not "${timeout}".`);
      return {
        cmd: 'scale',
        service,
        replicas: Number(count),
        wait: !values['no-wait'],
        yes: Boolean(values.yes),
        json: Boolean(values.json),
        timeoutS: Number(timeout),
        target: targetOf(values),
      };
    }
    case 'restart': {
      const { values, positionals } = parse(rest, { ...TARGET_OPTIONS, json: { type: 'boolean', default: false } }, true);
      const [service, ...extra] = positionals;
      if (!service || extra.length) throw new UsageError('usage: fleetdeck restart SERVICE, e.g. fleetdeck restart web');
      return { cmd: 'restart', service, json: Boolean(values.json), target: targetOf(values) };
    }
    case 'logs': {
      const { values, positionals } = parse(
        rest,
        {
          ...TARGET_OPTIONS,
          follow: { type: 'boolean', short: 'f', default: false },
          tail: { type: 'string' },
          since: { type: 'string' },
          until: { type: 'string' },
          grep: { type: 'string' },
          level: { type: 'string' },
          request: { type: 'string' },
          raw: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
        true,
      );
      const [ref, ...extra] = positionals;
      const request = values.request?.trim();
      if (extra.length || (!ref && !request) || (ref && request))
        throw new UsageError('usage: fleetdeck logs SERVICE|INSTANCE [-f] [--since 10m], or fleetdeck logs --request ID; e.g. fleetdeck logs web -f');
      const follow = Boolean(values.follow);
      if (follow && request) throw new UsageError('--request prints the stored lines of one request; it does not follow (drop -f).');
      const tail = values.tail ?? (follow ? '50' : '1000');
      if (!/^\d+$/.test(tail) || Number(tail) > 10_000) throw new UsageError(`--tail must be a whole number from 0 to 10000, not "${tail}".`);
      const now = Date.now();
      const since = values.since !== undefined ? timeOption('--since', values.since, now) : undefined;
      const until = values.until !== undefined ? timeOption('--until', values.until, now) : undefined;
      if (since !== undefined && until !== undefined && until <= since) throw new UsageError('--until must be after --since.');
      if (follow && until !== undefined) throw new UsageError('--until ends in the past: it cannot be followed (drop -f).');
      const level = values.level?.toLowerCase();
      if (level !== undefined && !LEVELS.includes(level as LogLevel))
        throw new UsageError(`--level must be one of ${LEVELS.join(', ')}, not "${values.level}".`);
      return {
        cmd: 'logs',
        ...(ref ? { ref } : {}),
        follow,
        tail: Number(tail),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(values.grep !== undefined ? { grep: values.grep } : {}),
        ...(level ? { level: level as LogLevel } : {}),
        ...(request ? { request } : {}),
        raw: Boolean(values.raw),
        json: Boolean(values.json),
        target: targetOf(values),
      };
    }
    case 'inspect': {
      const { values, positionals } = parse(rest, { ...TARGET_OPTIONS, json: { type: 'boolean', default: false } }, true);
      const [instance, ...extra] = positionals;
      if (!instance || extra.length) throw new UsageError('usage: fleetdeck inspect INSTANCE, e.g. fleetdeck inspect shop-web-1');
      if (values['all-namespaces']) throw new UsageError('inspect looks at one instance: name its namespace with -n, not -A.');
      return { cmd: 'inspect', instance, json: Boolean(values.json), target: targetOf(values) };
    }
    case 'top': {
      const { values } = parse(rest, { ...TARGET_OPTIONS, json: { type: 'boolean', default: false }, watch: { type: 'boolean', short: 'w', default: false } });
      return { cmd: 'top', json: Boolean(values.json), watch: Boolean(values.watch), target: targetOf(values) };
    }
    case 'alerts': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false } }, true);
      const [what, ...extra] = positionals;
      if (extra.length || (what !== undefined && what !== 'rules'))
        throw new UsageError('usage: fleetdeck alerts [--json], or fleetdeck alerts rules [--json]');
      return { cmd: 'alerts', what: what === 'rules' ? 'rules' : 'alerts', json: Boolean(values.json) };
    }
    default:
      throw new UsageError(`unknown command "${cmd}". Run "fleetdeck help" for the list.`);
  }
}

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

function timeOption(flag: string, value: string, now: number): number {
  const t = parseTime(value, now);
  if (t === undefined) throw new UsageError(`${flag} takes a duration ago (30s, 10m, 2h, 7d) or a time (2026-12-02T10:00:00Z), not "${value}".`);
  return t;
}

function targetOf(v: { env?: unknown; context?: unknown; namespace?: unknown; 'all-namespaces'?: unknown }): TargetOptions {
  const t: TargetOptions = {};
  for (const [k, name] of [
    ['env', 'env'],
    ['context', 'context'],
    ['namespace', 'namespace'],
  ] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string' || !x.trim()) throw new UsageError(`--${name} needs a value.`);
    t[k] = x.trim();
  }
  if (v['all-namespaces']) t.allNamespaces = true;
  return t;
}

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true as const, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '.'));
  }
}

/** Command-line parsing for `fleetdeck`: pure, so it is tested without starting anything. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

export type Command =
  | { cmd: 'serve'; port: number; host: string; allowRemote: boolean }
  | { cmd: 'envs'; json: boolean }
  | { cmd: 'ls'; json: boolean }
  | { cmd: 'scale'; service: string; replicas: number; wait: boolean }
  | { cmd: 'logs'; target: string; tail: number; raw: boolean }
  | { cmd: 'version' }
  | { cmd: 'help' };

export class UsageError extends Error {}

export const USAGE = `Usage: fleetdeck <command> [options]

Commands:
  serve [--port N] [--host H] [--allow-remote]
                      Serve the panel and its API on http://127.0.0.1:7420 (prints the URL with its access token)
  envs [--json]       List environments (Docker engines, Kubernetes contexts) and whether each is reachable
  ls [--json]         List services and their instances on the local Docker engine
  scale SERVICE N [--no-wait]
                      Scale a service (name, or project/name) to N replicas and wait until they are up
  logs SERVICE|INSTANCE [--tail N] [--raw]
                      Follow the logs of every instance of a service (merged, prefixed) or of one instance
  version             Print the version
  help                Show this help

Environment: DOCKER_HOST, KUBECONFIG, FLEETDECK_TOKEN (fixed token for serve).`;

export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { cmd: 'help' };
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
      const { values } = parse(rest, { json: { type: 'boolean', default: false } });
      return { cmd: 'ls', json: Boolean(values.json) };
    }
    case 'scale': {
      const { values, positionals } = parseArgs({ args: rest, options: { 'no-wait': { type: 'boolean', default: false } }, allowPositionals: true, strict: false });
      const [service, count, ...extra] = positionals;
      if (!service || count === undefined || extra.length) throw new UsageError('usage: fleetdeck scale SERVICE REPLICAS, e.g. fleetdeck scale web 3');
      if (!/^\d+$/.test(count)) throw new UsageError(`replicas must be a whole number of 0 or more, not "${count}".`);
      return { cmd: 'scale', service, replicas: Number(count), wait: !values['no-wait'] };
    }
    case 'logs': {
      let parsed;
      try {
        parsed = parseArgs({ args: rest, options: { tail: { type: 'string', default: '50' }, raw: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
      } catch (e) {
        throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '.'));
      }
      const { values, positionals } = parsed;
      const [target, ...extra] = positionals;
      if (!target || extra.length) throw new UsageError('usage: fleetdeck logs SERVICE|INSTANCE [--tail N], e.g. fleetdeck logs web');
      if (!/^\d+$/.test(String(values.tail)) || Number(values.tail) > 10_000) throw new UsageError(`--tail must be a whole number from 0 to 10000, not "${values.tail}".`);
      return { cmd: 'logs', target, tail: Number(values.tail), raw: Boolean(values.raw) };
    }
    default:
      throw new UsageError(`unknown command "${cmd}". Run "fleetdeck help" for the list.`);
  }
}

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true as const, allowPositionals: false as const });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, '.'));
  }
}

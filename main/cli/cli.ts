/** `fleetdeck`: the command line over the same core as the window. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP_VERSION } from '../core/app-info';
import { Core } from '../core/core';
import { isLoopback, startServer } from '../server/server';
import { USAGE, UsageError, parseCommand, type Command } from './args';
import { formatEnvironments, settledEnvironments } from './envs';
import { followFromCli } from './logs';
import { formatServices, scaleAndWait, scaledLine } from './services';
import { ApiError, formatError } from '../common/errors';
import { jsonText, plainText } from '../common/output-policy';
import { errorLine } from './output';

export async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, 2);
    throw e;
  }
  switch (command.cmd) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'version':
      console.log(APP_VERSION);
      return 0;
    case 'envs': {
      const core = await new Core({ mode: 'cli' }).start();
      try {
        const list = await settledEnvironments(core);
        console.log(command.json ? jsonText(list) : formatEnvironments(list));
        return 0;
      } finally {
        core.stop();
      }
    }
    case 'logs':
      return withDocker(async (core) => {
        const ac = new AbortController();
        process.once('SIGINT', () => ac.abort());
        process.once('SIGTERM', () => ac.abort());
        await followFromCli(core, command.target, { tail: command.tail, raw: command.raw, colour: Boolean(process.stdout.isTTY) }, (t) => process.stdout.write(t), ac.signal);
        return 0;
      });
    case 'ls':
    case 'scale':
      return withDocker(async (core) => {
        if (command.cmd === 'ls') {
          const list = core.services.list();
          console.log(command.json ? jsonText(list) : formatServices(list));
          return 0;
        }
        const s = await scaleAndWait(core, command.service, command.replicas, command.wait);
        console.log(scaledLine(s, command.replicas));
        return 0;
      });
    case 'serve':
      return serve(command);
  }
}

/** Runs `fn` once the local engine is connected and its containers are listed; one clear line when it is not. */
async function withDocker(fn: (core: Core) => Promise<number>): Promise<number> {
  const core = await new Core({ mode: 'cli' }).start();
  try {
    const list = await settledEnvironments(core);
    const docker = list.find((e) => e.id === 'docker:local');
    if (docker?.state !== 'connected') return fail(docker?.problem ?? 'the Docker engine is not reachable.', 1);
    if (!(await core.discovery.whenSynced(15_000))) return fail('the Docker engine answers but did not list its containers within 15 s.', 1);
    return await fn(core);
  } catch (e) {
    if (e instanceof ApiError) return fail(formatError(e.toBody()), 1);
    throw e;
  } finally {
    core.stop();
  }
}

async function serve(c: Extract<Command, { cmd: 'serve' }>): Promise<number> {
  if (!isLoopback(c.host) && !c.allowRemote) {
    return fail(`refusing to listen on ${c.host}: anyone who can reach it and has the token controls your containers. Add --allow-remote to do it anyway.`, 2);
  }
  const staticDir = rendererDir();
  const core = await new Core({ mode: 'serve' }).start();
  let running;
  try {
    running = await startServer({ core, staticDir, port: c.port, host: c.host, token: process.env.FLEETDECK_TOKEN || undefined });
  } catch (e) {
    core.stop();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') return fail(`port ${c.port} on ${c.host} is in use; pick another with --port.`, 1);
    if (err.code === 'EADDRNOTAVAIL') return fail(`${c.host} is not an address of this machine.`, 1);
    throw e;
  }
  if (!isLoopback(c.host)) {
    console.error(`fleetdeck: warning: listening on ${plainText(c.host)}, reachable from other machines; keep the token secret.`);
  }
  if (!existsSync(staticDir)) console.error('fleetdeck: warning: the renderer is not built; run "npm run build".');
  console.log(`Fleetdeck is serving at ${running.openUrl}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  core.stop();
  return 0;
}

/** dist/main/cli.js serves dist/renderer; running from source, the same build folder. */
function rendererDir(): string {
  if (process.env.FLEETDECK_RENDERER_DIR) return process.env.FLEETDECK_RENDERER_DIR;
  const candidates = ['../renderer', '../../dist/renderer'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

/** Messages quote names and what engines answered: one line, through the output policy. */
function fail(message: string, code: number): number {
  console.error(errorLine(message));
  return code;
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(errorLine(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)));
      process.exit(1);
    },
  );
}

/** `fleetdeck`: the command line over the same core as the window. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP_VERSION } from '../core/app-info';
import { Core } from '../core/core';
import { isLoopback, startServer } from '../server/server';
import { createInterface } from 'node:readline/promises';
import { UsageError, helpText, parseCommand, type Command } from './args';
import { envs, logs, ls, restart, scale, type Io } from './commands';
import { inspect } from './inspect';
import { top } from './top';
import { alerts } from './alerts';
import { ApiError, formatError } from '../common/errors';
import { plainText } from '../common/output-policy';
import { errorLine } from './output';
import { openSession } from './session';
import { EXIT, exitCodeOf } from './target';

export async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, EXIT.usage);
    throw e;
  }
  switch (command.cmd) {
    case 'help':
      console.log(helpText(command.topic));
      return EXIT.ok;
    case 'version':
      console.log(APP_VERSION);
      return EXIT.ok;
    case 'serve':
      return serve(command);
    default:
      return withSession(command);
  }
}

type SessionCommand = Exclude<Command, { cmd: 'help' | 'version' | 'serve' }>;

/** Runs a command over an in-process API session; errors become one line and an exit code. */
async function withSession(c: SessionCommand): Promise<number> {
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const io: Io = {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    colour: Boolean(process.stdout.isTTY),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
    signal: ac.signal,
  };
  const session = await openSession();
  try {
    switch (c.cmd) {
      case 'envs':
        return await envs(session.client, c, io);
      case 'ls':
        return await ls(session.client, c, io);
      case 'scale':
        return await scale(session.client, c, io);
      case 'restart':
        return await restart(session.client, c, io);
      case 'logs':
        return await logs(session.client, c, io);
      case 'inspect':
        return await inspect(session.client, c, io);
      case 'top':
        return await top(session.client, c, io);
      case 'alerts':
        return await alerts(session.client, c, io);
    }
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, EXIT.usage);
    if (e instanceof ApiError) return fail(formatError(e.toBody()), exitCodeOf(e));
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    session.close();
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
  await core.close(); // what was collected is stored before the process ends
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

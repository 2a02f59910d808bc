// A Fleetdeck core in a process of its own, driven over stdin/stdout (one JSON object a line),
// so a test can SIGKILL it in the middle of an operation, as a crash would.
// argv: STATE_DIR SERVICE_REF. The core starts on the first line (so a process can be spawned
// ahead, its imports done, while another still runs); then {op:'scale', n}, {op:'restart'},
// {op:'healthy', n, ms}, {op:'exit'}.
import { createInterface } from 'node:readline';
import { Core } from '../../main/core/core';
import type { Service } from '../../main/common/model';

const [stateDir, ref] = process.argv.slice(2) as [string, string];
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
if ((await lines.next()).done) process.exit(0);
const t0 = Date.now();

const core = new Core({ mode: 'cli', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' }, stateDir });
await core.start();
if (!(await core.discovery.whenSynced(20_000))) {
  say({ ev: 'fatal', error: 'not synced in 20 s' });
  process.exit(1);
}
const synced = Date.now();
const services = core.services as typeof core.services & { whenRecovered?: () => Promise<void> };
if (typeof services.whenRecovered === 'function') await services.whenRecovered();
else await quiet(700, 20_000); // a core without recovery: whatever it does on its own is over once the list is still
const find = (): Service | undefined => {
  try {
    return core.services.resolve(ref);
  } catch {
    return undefined;
  }
};
const shown = find();
// The engine's running containers: what the crash tests compare with `docker ps` (Service.running counts only ready ones).
const up = (s: Service | undefined) => s?.instances.filter((i) => i.state === 'running').length ?? 0;
say({ ev: 'ready', startMs: synced - t0, recoverMs: Date.now() - synced, running: shown ? up(shown) : undefined, desired: shown?.desired });
let last = '';
core.services.on('change', () => {
  const s = find();
  const now = JSON.stringify({ running: up(s), total: s?.instances.length ?? 0 });
  if (now !== last) say({ ev: 'progress', ...JSON.parse((last = now)) });
});

const summary = (s: Service) => ({ running: up(s), desired: s.desired, states: s.instances.map((i) => i.state) });

for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const line = next.value;
  const cmd = JSON.parse(line) as { op: string; n?: number; ms?: number };
  try {
    if (cmd.op === 'exit') break;
    const id = core.services.resolve(ref).id;
    if (cmd.op === 'healthy') {
      say({ ev: 'done', ok: await until((s) => s.healthy === cmd.n && s.running === cmd.n, cmd.ms ?? 30_000) });
      continue;
    }
    const run = cmd.op === 'scale' ? core.services.scale(id, cmd.n!) : core.services.rollingRestart(id);
    // The operation has begun (its synchronous part ran) before the test hears of it.
    await new Promise((r) => setImmediate(r));
    say({ ev: 'begun', at: Date.now() });
    say({ ev: 'done', ok: true, ...summary(await run) });
  } catch (e) {
    say({ ev: 'done', ok: false, error: (e as Error).message });
  }
}
core.stop();
process.exit(0);

function until(pred: (s: Service) => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      const s = find();
      if (s && pred(s)) finish(true);
    };
    const finish = (v: boolean) => {
      clearTimeout(t);
      core.services.off('change', check);
      resolve(v);
    };
    const t = setTimeout(() => finish(false), ms);
    core.services.on('change', check);
    check();
  });
}

/** Resolves once the services list has not changed for `stillMs`, or after `maxMs`. */
function quiet(stillMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let still = setTimeout(finish, stillMs);
    const cap = setTimeout(finish, maxMs);
    const bump = () => {
      clearTimeout(still);
      still = setTimeout(finish, stillMs);
    };
    core.services.on('change', bump);
    function finish() {
      clearTimeout(still);
      clearTimeout(cap);
      core.services.off('change', bump);
      resolve();
    }
  });
}

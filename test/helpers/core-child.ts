// The test's side of core-child-main.ts: a Fleetdeck core in a child process that can be killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./core-child-main.ts', import.meta.url));

export interface ChildEvent {
  ev: 'ready' | 'begun' | 'done' | 'progress' | 'fatal';
  [k: string]: unknown;
}

export class CoreChild {
  readonly events: ChildEvent[] = [];
  private readonly proc: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  readonly exited: Promise<void>;

  constructor(stateDir: string, serviceRef: string) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', MAIN, stateDir, serviceRef], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdin!.on('error', () => {}); // writing to a killed child: its exit is what the test looks at
    let buf = '';
    this.proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          this.events.push(JSON.parse(line) as ChildEvent);
        } catch {
          continue; // not ours (a library printing): ignored
        }
        for (const w of [...this.waiters]) w();
      }
    });
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', () => {
        for (const w of [...this.waiters]) w();
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** The first event after index `from` that satisfies `pred`; rejects after `ms` or if the child dies first. */
  next(pred: (e: ChildEvent) => boolean, ms: number, from = 0): Promise<ChildEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.slice(from).find(pred);
        if (hit) return finish(() => resolve(hit));
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
          finish(() => reject(new Error(`the child exited (${this.proc.exitCode ?? this.proc.signalCode}) before the event; stderr: ${this.stderr}`)));
        }
      };
      const finish = (f: () => void) => {
        clearTimeout(t);
        this.waiters.delete(check);
        f();
      };
      const t = setTimeout(
        () =>
          finish(() => reject(new Error(`no such event from the child in ${ms} ms; got ${JSON.stringify(this.events.slice(from))}; stderr: ${this.stderr}`))),
        ms,
      );
      this.waiters.add(check);
      check();
    });
  }

  /** Starts the core (the process may have been spawned ahead) and waits until it has synced and recovered. */
  start(ms = 60_000): Promise<ChildEvent> {
    return this.next((e) => e.ev === 'ready', ms, this.send({ op: 'start' }));
  }

  send(cmd: object): number {
    const from = this.events.length;
    this.proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
    return from;
  }

  /** Runs a command to its end: its 'done' event. */
  async run(cmd: object, ms: number): Promise<ChildEvent> {
    return this.next((e) => e.ev === 'done', ms, this.send(cmd));
  }

  /** SIGKILL, as a crash: nothing of the child's own runs after it. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  async exit(ms = 10_000): Promise<void> {
    this.send({ op: 'exit' });
    const t = setTimeout(() => this.proc.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(t);
  }
}

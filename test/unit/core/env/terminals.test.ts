import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TerminalEvent } from '../../../../main/common/api';
import { ApiError } from '../../../../main/common/errors';
import { Terminals, type TerminalOutput, type TerminalSession } from '../../../../main/core/env/terminals';

/** A session that records what the registry asks of it; `out` is how the "shell" speaks. */
function fake() {
  const calls: string[] = [];
  let out!: TerminalOutput;
  let resolve!: (s: TerminalSession) => void;
  let reject!: (e: Error) => void;
  const session: TerminalSession = {
    shell: 'sh',
    write: (d) => void calls.push(`write ${d}`),
    resize: async (c, r) => void calls.push(`resize ${c}x${r}`),
    hold: (h) => void calls.push(`hold ${h}`),
    close: () => void calls.push('close'),
  };
  const start = (o: TerminalOutput) => {
    out = o;
    return new Promise<TerminalSession>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  };
  return { calls, session, start, out: () => out, ready: () => resolve(session), fail: (m: string) => reject(new Error(m)) };
}

const tick = () => new Promise((r) => setImmediate(r));

test('ready names the terminal and shell; output before it follows it; keys, sizes and flow reach the session by id', async () => {
  const t = new Terminals();
  const f = fake();
  const events: TerminalEvent[] = [];
  t.open({ start: f.start, emit: (e) => events.push(e) });
  f.out().data(Buffer.from('# '));
  f.ready();
  await tick();
  const ready = events[0]!;
  assert.ok(ready.kind === 'ready' && /^[0-9a-f-]{36}$/.test(ready.terminalId) && ready.shell === 'sh');
  assert.deepEqual(events[1], { kind: 'data', data: '# ' });
  t.input(ready.terminalId, 'ls\r');
  await t.resize(ready.terminalId, 120, 40);
  t.flow(ready.terminalId, true);
  t.flow(ready.terminalId, false);
  assert.deepEqual(f.calls, ['write ls\r', 'resize 120x40', 'hold true', 'hold false']);
  assert.equal(t.size, 1);
});

test('UTF-8 split across chunks arrives whole', async () => {
  const t = new Terminals();
  const f = fake();
  const data: string[] = [];
  t.open({ start: f.start, emit: (e) => e.kind === 'data' && data.push(e.data) });
  f.ready();
  await tick();
  const euro = Buffer.from('€');
  f.out().data(euro.subarray(0, 1));
  f.out().data(euro.subarray(1));
  assert.equal(data.join(''), '€');
});

test('a backed-up pipe holds the shell until it drains below the low mark', async () => {
  const t = new Terminals();
  const f = fake();
  let backlog = 0;
  t.open({ start: f.start, emit: () => {}, backlog: () => backlog });
  f.ready();
  await tick();
  backlog = 2 << 20;
  f.out().data(Buffer.from('x'));
  assert.deepEqual(f.calls, ['hold true']);
  backlog = 512 << 10; // still above the low mark
  await new Promise((r) => setTimeout(r, 120));
  assert.deepEqual(f.calls, ['hold true']);
  backlog = 0;
  await new Promise((r) => setTimeout(r, 120));
  assert.deepEqual(f.calls, ['hold true', 'hold false']);
});

test('the viewer’s pause and the pipe’s are kept apart: the shell resumes only when neither holds it', async () => {
  const t = new Terminals();
  const f = fake();
  let backlog = 0;
  let id = '';
  t.open({ start: f.start, emit: (e) => e.kind === 'ready' && (id = e.terminalId), backlog: () => backlog });
  f.ready();
  await tick();
  t.flow(id, true);
  backlog = 2 << 20;
  f.out().data(Buffer.from('x'));
  backlog = 0;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(f.calls.at(-1), 'hold true', 'the viewer still holds it');
  t.flow(id, false);
  assert.equal(f.calls.at(-1), 'hold false');
});

test('exit ends it: the id is then unknown (NOT_FOUND, with what to do)', async () => {
  const t = new Terminals();
  const f = fake();
  const events: TerminalEvent[] = [];
  t.open({ start: f.start, emit: (e) => events.push(e) });
  f.ready();
  await tick();
  const id = (events[0] as { terminalId: string }).terminalId;
  f.out().exit(3);
  assert.deepEqual(events.at(-1), { kind: 'exit', code: 3 });
  assert.throws(
    () => t.input(id, 'x'),
    (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND' && e.hint === 'Open a new terminal.',
  );
  f.out().data(Buffer.from('late'));
  f.out().exit(0);
  assert.equal(events.length, 2, 'nothing after exit');
});

test('a shell that cannot start says why, without ready', async () => {
  const t = new Terminals();
  const f = fake();
  const events: TerminalEvent[] = [];
  t.open({ start: f.start, emit: (e) => events.push(e) });
  f.fail('This container has no shell.');
  await tick();
  assert.deepEqual(events, [{ kind: 'exit', code: null, message: 'This container has no shell.' }]);
  assert.equal(t.size, 0);
});

test('closed while starting, the session is closed as soon as it is there, and nothing is emitted', async () => {
  const t = new Terminals();
  const f = fake();
  const events: TerminalEvent[] = [];
  const close = t.open({ start: f.start, emit: (e) => events.push(e) });
  close();
  f.ready();
  await tick();
  assert.deepEqual(f.calls, ['close']);
  assert.deepEqual(events, []);
  assert.equal(t.size, 0);
});

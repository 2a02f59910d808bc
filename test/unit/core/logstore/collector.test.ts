// The collector against a fake engine and a fake store: what it asks the engine for after the store lost lines.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Instance, LogEntry, Service } from '../../../../main/common/model';
import type { EnvironmentDriver, FollowOptions } from '../../../../main/core/env/driver';
import { LogCollector } from '../../../../main/core/logstore/collector';
import type { InstanceMark, LineOfSource, LogStore } from '../../../../main/core/logstore/types';

const tick = () => new Promise((r) => setTimeout(r, 10));

function fakeEnv() {
  const follows: { options: FollowOptions; emit(e: LogEntry[]): void; stopped: boolean }[] = [];
  const instance = { id: 'c1', name: 'web-1', state: 'running', startedAt: 1 } as Instance;
  const service = { id: 'local/p/web', name: 'web', envId: 'docker:local', instances: [instance] } as unknown as Service;
  const services = Object.assign(new EventEmitter(), { list: () => [service] });
  const env = Object.assign(new EventEmitter(), {
    id: 'docker:local',
    kind: 'docker',
    state: 'connected',
    services,
    followInstance: (_i: Instance, options: FollowOptions, onEntries: (e: LogEntry[]) => void) => {
      const f = { options, emit: onEntries, stopped: false };
      follows.push(f);
      return () => (f.stopped = true);
    },
  }) as unknown as EnvironmentDriver;
  return { env, follows };
}

function fakeStore() {
  const stored: LineOfSource[] = [];
  let lost: (() => void) | undefined;
  const store: LogStore = {
    append: (lines) => lines.length,
    appendFrom: (_src, lines) => (stored.push(...lines), lines.length),
    room: () => Promise.resolve(),
    onLost: (fn) => ((lost = fn), () => (lost = undefined)),
    flush: () => Promise.resolve(),
    search: () => Promise.resolve({ hits: [], more: false, scanned: 0, tookMs: 0 }),
    histogram: (s) => Promise.resolve({ from: s.from, step: 1, counts: [] }),
    around: () => Promise.resolve([]),
    mark: (): Promise<InstanceMark | undefined> => {
      const last = stored.at(-1);
      return Promise.resolve(last ? { t: last.t, atT: stored.filter((l) => l.t === last.t).map((l) => l.text) } : undefined);
    },
    stats: () => Promise.resolve({ lines: stored.length, bytes: 0 }),
    close: () => Promise.resolve(),
  };
  return { store, stored, loseLines: (n: number) => (stored.splice(-n), lost?.()) };
}

const line = (t: number): LogEntry => ({ t, instance: 'web-1', stream: 'stdout', text: `line ${t}` });

test('when the store loses lines it had taken, the follower comes back from the last line stored, so none are missing', async () => {
  const { env, follows } = fakeEnv();
  const { store, stored, loseLines } = fakeStore();
  const envs = Object.assign(new EventEmitter(), { all: () => [env] });
  const collector = new LogCollector(store, envs, join(mkdtempSync(join(tmpdir(), 'fd-collector-')), 'scopes.json'));
  collector.start();
  try {
    await tick();
    assert.equal(follows.length, 1);
    follows[0]!.emit([1, 2, 3, 4, 5].map(line));
    // The store's worker died with the last two lines.
    loseLines(2);
    await tick();
    assert.ok(follows[0]!.stopped, 'the first follow is let go');
    assert.equal(follows.length, 2, 'the instance is followed again');
    assert.equal(follows[1]!.options.sinceMs, 3, 'from the last line stored');
    follows[1]!.emit([3, 4, 5, 6].map(line));
    assert.deepEqual(
      stored.map((l) => l.t),
      [1, 2, 3, 4, 5, 6],
      'each line once',
    );
  } finally {
    collector.stop();
  }
});

// Many viewers of one instance's logs share one engine stream (a fake follow counts them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instance, LogEntry } from '../../../../main/common/model';
import { sharedFollow } from '../../../../main/core/logs/shared-follow';
import type { FollowInstance } from '../../../../main/core/env/driver';

function engine() {
  const streams: { instance: string; tail: number; emit(e: LogEntry[]): void; end(): void; stopped: boolean }[] = [];
  const follow: FollowInstance = (i, options, onEntries, onEnd) => {
    const s = { instance: i.id, tail: options.tail, emit: onEntries, end: () => onEnd(), stopped: false };
    streams.push(s);
    return () => (s.stopped = true);
  };
  return { follow, streams, open: () => streams.filter((s) => !s.stopped) };
}
const inst = (id: string) => ({ id, name: `web-${id}` }) as Instance;
const line = (t: number, text = `line ${t}`): LogEntry => ({ t, instance: 'web-a', stream: 'stdout', text });
const tick = () => new Promise((r) => setImmediate(r));

test('300 viewers of one instance open one engine stream, and all of them get every line', () => {
  const e = engine();
  const follow = sharedFollow(e.follow);
  const got = Array.from({ length: 300 }, () => [] as LogEntry[]);
  const stops = got.map((g) =>
    follow(
      inst('a'),
      { tail: 200 },
      (x) => g.push(...x),
      () => {},
    ),
  );
  assert.equal(e.streams.length, 1);
  e.streams[0]!.emit([line(1), line(2)]);
  assert.ok(got.every((g) => g.length === 2));
  for (const s of stops.slice(1)) s();
  assert.equal(e.open().length, 1, 'open while one viewer is left');
  stops[0]!();
  assert.equal(e.open().length, 0, 'closed with the last viewer');
  assert.equal(sharedFollow(e.follow), follow, 'the same environment shares one table');
});

test('a viewer joining a live stream gets its kept history, bounded by its own tail or since', async () => {
  const e = engine();
  const follow = sharedFollow(e.follow);
  follow(
    inst('a'),
    { tail: 5 },
    () => {},
    () => {},
  );
  e.streams[0]!.emit([1, 2, 3, 4, 5, 6, 7].map((t) => line(t)));
  const late: LogEntry[] = [];
  follow(
    inst('a'),
    { tail: 3 },
    (x) => late.push(...x),
    () => {},
  );
  const since: LogEntry[] = [];
  follow(
    inst('a'),
    { tail: 0, sinceMs: 5 },
    (x) => since.push(...x),
    () => {},
  );
  await tick();
  assert.deepEqual(
    late.map((l) => l.t),
    [5, 6, 7],
    'its tail of what was kept (5 lines)',
  );
  assert.deepEqual(
    since.map((l) => l.t),
    [6, 7],
    'only lines after its since',
  );
  e.streams[0]!.emit([line(8)]);
  assert.deepEqual(
    late.map((l) => l.t),
    [5, 6, 7, 8],
  );
  assert.equal(e.streams.length, 1);
});

test('a reader from before what a live stream still holds (a back-fill) gets a stream of its own, so nothing in between is skipped', async () => {
  const e = engine();
  const follow = sharedFollow(e.follow);
  follow(
    inst('a'),
    { tail: 2 },
    () => {},
    () => {},
  );
  e.streams[0]!.emit([10, 11, 12, 13, 14, 15, 16].map((t) => line(t)));
  const got: LogEntry[] = [];
  follow(
    inst('a'),
    { tail: 0, sinceMs: 3 },
    (x) => got.push(...x),
    () => {},
  );
  await tick();
  assert.equal(e.streams.length, 2, 'its own engine stream, from its since');
  assert.equal(got.length, 0, 'nothing from the shared stream');
  e.streams[1]!.emit([line(4)]);
  assert.deepEqual(
    got.map((l) => l.t),
    [4],
  );
});

test('when the instance stream ends every viewer hears it, and the next follow opens a new stream', () => {
  const e = engine();
  const follow = sharedFollow(e.follow);
  let ended = 0;
  follow(
    inst('a'),
    { tail: 1 },
    () => {},
    () => ended++,
  );
  follow(
    inst('a'),
    { tail: 1 },
    () => {},
    () => ended++,
  );
  follow(
    inst('b'),
    { tail: 1 },
    () => {},
    () => {},
  );
  assert.equal(e.streams.length, 2, 'one per instance');
  e.streams[0]!.end();
  assert.equal(ended, 2);
  follow(
    inst('a'),
    { tail: 0, sinceMs: 1 },
    () => {},
    () => {},
  );
  assert.equal(e.streams.length, 3);
});

// The events stream's parsing, on a stream the test writes: lines torn across chunks, repeats after a resume,
// and events the engine publishes out of timestamp order under load.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { DockerEngine, type DockerEngineEvent } from '../../../../main/core/docker/engine';

function feed() {
  const engine = new DockerEngine({ display: 'unix:///nonexistent.sock', options: { socketPath: '/nonexistent.sock' } });
  const seen: DockerEngineEvent[] = [];
  engine.on('event', (e) => seen.push(e));
  const stream = new PassThrough();
  (engine as unknown as { watch(s: NodeJS.ReadableStream): void }).watch(stream);
  const ev = (id: string, action: string, timeNano: number) =>
    JSON.stringify({ Type: 'container', Action: action, Actor: { ID: id, Attributes: {} }, time: Math.floor(timeNano / 1e9), timeNano }) + '\n';
  return { engine, seen, stream, ev };
}

test('an event stamped earlier but published later is kept; an exact repeat (a resumed stream) is dropped', () => {
  const { seen, stream, ev } = feed();
  stream.write(ev('b', 'start', 2_000_000_002));
  stream.write(ev('a', 'health_status: healthy', 2_000_000_001)); // older stamp, published after
  stream.write(ev('b', 'start', 2_000_000_002)); // the same event again
  assert.deepEqual(
    seen.map((e) => `${e.Actor.ID} ${e.Action}`),
    ['b start', 'a health_status: healthy'],
  );
});

test('an event split across chunks is parsed once whole', () => {
  const { seen, stream, ev } = feed();
  const line = ev('c', 'die', 3_000_000_000);
  stream.write(line.slice(0, 17));
  assert.equal(seen.length, 0);
  stream.write(line.slice(17));
  assert.equal(seen.length, 1);
});

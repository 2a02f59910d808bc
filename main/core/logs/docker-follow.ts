/**
 * Follows the logs of one container: the engine's stream, demultiplexed (non-TTY containers
 * frame stdout and stderr), split into lines and parsed. Reconnects are the caller's business;
 * this ends when the container's stream ends.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { LogEntry } from '../../common/model';
import { sinceFilter } from './since';
import type { FollowOptions } from '../env/driver';
import { toEntry } from './entry';
import { LineSplitter } from './lines';

export function followContainer(
  docker: Docker,
  container: { id: string; name: string },
  options: FollowOptions,
  onEntries: (e: LogEntry[]) => void,
  onEnd: (error?: Error) => void,
): () => void {
  let stream: NodeJS.ReadableStream | undefined;
  let stopped = false;
  const c = docker.getContainer(container.id);
  void (async () => {
    try {
      const info = await c.inspect();
      stream = (await c.logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        // With since, no tail: every line since (whole seconds; those of that second before sinceMs are filtered out below).
        ...(options.sinceMs ? { since: Math.floor(options.sinceMs / 1000) } : { tail: options.tail }),
      })) as unknown as NodeJS.ReadableStream;
      if (stopped) return destroy(stream);
      const keep = sinceFilter(options);
      const emitLines = (kind: 'stdout' | 'stderr', splitter: LineSplitter) => (chunk: Buffer) => {
        const lines = splitter.push(chunk);
        if (!lines.length) return;
        const entries = lines.map((l) => toEntry(l, container.name, kind));
        onEntries(keep ? entries.filter(keep) : entries);
      };
      const out = new LineSplitter();
      const err = new LineSplitter();
      if (info.Config.Tty) {
        stream.on('data', emitLines('stdout', out));
      } else {
        const o = new PassThrough();
        const e = new PassThrough();
        o.on('data', emitLines('stdout', out));
        e.on('data', emitLines('stderr', err));
        docker.modem.demuxStream(stream, o, e);
      }
      stream.on('error', () => {}); // aborting a follow emits 'aborted'; the end is reported below
      stream.on('end', () => {
        const rest = [...out.end().map((l) => toEntry(l, container.name, 'stdout')), ...err.end().map((l) => toEntry(l, container.name, 'stderr'))];
        if (rest.length && !stopped) onEntries(rest);
        if (!stopped) onEnd();
      });
    } catch (e) {
      if (!stopped) onEnd(e as Error);
    }
  })();
  return () => {
    stopped = true;
    if (stream) destroy(stream);
  };
}

function destroy(s: NodeJS.ReadableStream): void {
  s.removeAllListeners('data');
  s.on('error', () => {});
  (s as unknown as { destroy(): void }).destroy();
}

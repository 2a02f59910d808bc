/** Newline-delimited JSON from a stream (the engine's events and stats): one object per whole line. */
import { LineSplitter } from './logs/lines';

/** Calls `onObject` for each line that parses; lines that do not (torn by a reconnect) are skipped. */
export function onNdjson<T>(stream: NodeJS.ReadableStream, onObject: (o: T) => void): void {
  const lines = new LineSplitter();
  stream.on('data', (chunk: Buffer) => {
    for (const line of lines.push(chunk)) {
      if (!line.trim()) continue;
      let o: T;
      try {
        o = JSON.parse(line) as T;
      } catch {
        continue;
      }
      onObject(o);
    }
  });
}

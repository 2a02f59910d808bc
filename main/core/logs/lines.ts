/** Bytes → lines, across chunk boundaries, with a bound on how long one line may grow. */
import { StringDecoder } from 'node:string_decoder';

export const MAX_LINE = 16 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private truncated = false;

  /** The complete lines in this chunk; the rest waits for the next one. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    const out: string[] = [];
    for (const p of parts) {
      const line = p.endsWith('\r') ? p.slice(0, -1) : p;
      if (this.truncated) {
        this.truncated = false; // the tail of a line already cut and emitted
        continue;
      }
      out.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)} … [line cut at ${MAX_LINE} characters]` : line);
    }
    // A line that never ends must not grow without bound: emit what fits, skip the rest.
    if (this.partial.length > MAX_LINE) {
      if (!this.truncated) out.push(`${this.partial.slice(0, MAX_LINE)} … [line cut at ${MAX_LINE} characters]`);
      this.truncated = true;
      this.partial = '';
    }
    return out;
  }

  /** What is left when the stream ends. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest && !this.truncated ? [rest] : [];
  }
}

/**
 * Fleetdeck's state files: JSON, readable by their owner only (they may hold env values), written
 * whole through a temporary file and a rename, so a crash or a second Fleetdeck process never
 * leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The parsed file, or undefined when there is none or it does not parse. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes `data` to `file` atomically, mode 0600, creating its folder (0700); throws on failure. */
export function writeJsonAtomic(file: string, data: unknown, options: { pretty?: boolean } = {}): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Per process: two processes writing the same file must not share (and rename away) one temporary.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, options.pretty ? 2 : undefined), { mode: 0o600 });
  renameSync(tmp, file);
}

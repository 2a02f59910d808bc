/** Docker engines the user added beyond the local one, kept in the state folder. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SavedEngine {
  name: string;
  host: string;
}

export function loadEngines(file: string): SavedEngine[] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((e): e is SavedEngine => typeof e?.name === 'string' && typeof e?.host === 'string');
  } catch {
    return [];
  }
}

export function saveEngines(file: string, list: SavedEngine[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(list, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
}

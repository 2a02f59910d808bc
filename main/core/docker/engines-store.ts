/** Docker engines the user added beyond the local one, kept in the state folder. */
import { readJson, writeJsonAtomic } from '../env/json-store';

export interface SavedEngine {
  name: string;
  host: string;
}

export function loadEngines(file: string): SavedEngine[] {
  const list = readJson(file);
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is SavedEngine => typeof e?.name === 'string' && typeof e?.host === 'string');
}

export function saveEngines(file: string, list: SavedEngine[]): void {
  writeJsonAtomic(file, list, { pretty: true });
}

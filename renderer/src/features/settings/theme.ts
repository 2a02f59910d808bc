/** Light/dark follows the OS unless the user picks one; the choice is remembered. */
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'fleetdeck.theme';
const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

function read(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function apply(t: ThemeChoice): void {
  if (t === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}

export const useTheme = create<{ theme: ThemeChoice; cycle(): void }>()((set, get) => ({
  theme: read(),
  cycle: () => {
    const next = ORDER[(ORDER.indexOf(get().theme) + 1) % ORDER.length] ?? 'system';
    localStorage.setItem(KEY, next);
    apply(next);
    set({ theme: next });
  },
}));

apply(read());

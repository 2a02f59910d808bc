/** Light/dark follows the OS unless the user picks one; the choice is remembered. */
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'fleetdeck.theme';
const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];

function read(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

const osDark = matchMedia('(prefers-color-scheme: dark)');

/** The page always carries the effective theme, so the dark palette is written once in CSS. */
function apply(t: ThemeChoice): void {
  document.documentElement.dataset.theme = t === 'system' ? (osDark.matches ? 'dark' : 'light') : t;
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
osDark.addEventListener('change', () => apply(useTheme.getState().theme));

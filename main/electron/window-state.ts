/** Remembers the window's size and position across starts, and never restores it off-screen. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow } from 'electron';
import { restoreWindowState, type WindowState } from './window-bounds';

function file(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

export function loadWindowState(): WindowState & { placed: boolean } {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(file(), 'utf8'));
  } catch {
    /* first start, or a damaged file: use the default */
  }
  return restoreWindowState(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
}

export function trackWindowState(win: BrowserWindow): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (win.isDestroyed()) return;
      const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
      try {
        writeFileSync(file(), JSON.stringify(state));
      } catch {
        /* not being able to remember the size is no reason to fail */
      }
    }, 300);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev as 'resize', save);
  win.on('close', () => {
    clearTimeout(timer);
    try {
      writeFileSync(file(), JSON.stringify({ bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
    } catch {
      /* as above */
    }
  });
}

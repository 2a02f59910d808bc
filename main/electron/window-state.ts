/** Remembers the window's size and position across starts, and never restores it off-screen. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 800 }, maximized: false };

function file(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

export function loadWindowState(): WindowState & { placed: boolean } {
  try {
    const s = JSON.parse(readFileSync(file(), 'utf8')) as WindowState;
    const b = s.bounds;
    const ok = [b.x, b.y, b.width, b.height].every(Number.isFinite) && b.width >= 400 && b.height >= 300;
    const visible = screen.getAllDisplays().some((d) => intersects(d.workArea, b));
    if (ok && visible) return { ...s, placed: true };
  } catch {
    /* first start, or a damaged file: use the default */
  }
  return { ...DEFAULT, placed: false };
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

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Where the window reopens: pure, so it is tested without Electron. */
import type { Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_WINDOW: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 800 }, maximized: false };

/** The saved state if it is sane and still on one of the screens; else the default size, placed by the OS. */
export function restoreWindowState(saved: unknown, workAreas: Rectangle[]): WindowState & { placed: boolean } {
  const s = saved as Partial<WindowState> | undefined;
  const b = s?.bounds;
  const ok = !!b && [b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n)) && b.width >= 400 && b.height >= 300;
  if (ok && workAreas.some((a) => intersects(a, b))) return { bounds: b, maximized: s?.maximized === true, placed: true };
  return { ...DEFAULT_WINDOW, placed: false };
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

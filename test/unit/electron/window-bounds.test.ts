import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreWindowState } from '../../../main/electron/window-bounds';

const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }];

test('the window reopens where it was, maximized or not', () => {
  const saved = { bounds: { x: 100, y: 80, width: 1200, height: 760 }, maximized: true };
  assert.deepEqual(restoreWindowState(saved, laptop), { ...saved, placed: true });
});

test('a window left on a screen that is gone reopens at the default size, placed by the OS', () => {
  const onExternal = { bounds: { x: 2000, y: 0, width: 1200, height: 800 }, maximized: false };
  const r = restoreWindowState(onExternal, laptop);
  assert.equal(r.placed, false);
  assert.equal(r.bounds.width, 1280);
});

test('a damaged or tiny saved state is ignored', () => {
  for (const bad of [undefined, null, 'x', { bounds: { x: 0, y: 0, width: 50, height: 50 } }, { bounds: { x: 'a', y: 0, width: 900, height: 700 } }]) {
    assert.equal(restoreWindowState(bad, laptop).placed, false, JSON.stringify(bad));
  }
});

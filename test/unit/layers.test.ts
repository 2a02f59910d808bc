// The layers of docs/architecture.md, enforced where the compiler cannot see:
// main/common is pure; only main/electron imports electron; the renderer reaches main/ only through main/common.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function violations(dir: string, bad: (spec: string, file: string) => boolean): string[] {
  return sources(join(root, dir)).flatMap((f) =>
    imports(f)
      .filter((s) => bad(s, f))
      .map((s) => `${relative(root, f)} imports ${s}`),
  );
}

const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|net$|http$|https$|crypto$|events$|stream$|url$|util$)/;
const outside = (spec: string, file: string, dir: string) => spec.startsWith('.') && !resolve(file, '..', spec).startsWith(join(root, dir));

test('main/common imports neither Node, electron, nor any other layer', () => {
  assert.deepEqual(
    violations('main/common', (s, f) => NODE_BUILTINS.test(s) || s === 'electron' || outside(s, f, 'main/common')),
    [],
  );
});

test('only main/electron imports electron', () => {
  for (const dir of ['main/core', 'main/server', 'main/cli', 'renderer/src']) {
    assert.deepEqual(
      violations(dir, (s) => s === 'electron' || s.startsWith('electron/')),
      [],
      dir,
    );
  }
});

test('main/core never reaches into the pipes or the UI', () => {
  const bad = (s: string) => /\/(electron|server|cli)\//.test(s) || s.includes('renderer/');
  assert.deepEqual(violations('main/core', bad), []);
});

test('the renderer uses main/ only through main/common, and no Node modules', () => {
  const bad = (s: string, f: string) =>
    NODE_BUILTINS.test(s) || (s.includes('/main/') && !s.includes('/main/common/')) || (outside(s, f, 'renderer') && !s.includes('/main/common/'));
  assert.deepEqual(violations('renderer/src', bad), []);
});

test('the layer check itself sees imports (guards against a regex that matches nothing)', () => {
  const all = sources(join(root, 'main/core')).flatMap(imports);
  assert.ok(all.includes('dockerode'), 'expected main/core to import dockerode');
  assert.ok(
    all.some((s) => s.includes('common/')),
    'expected main/core to import main/common',
  );
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseCircular, parseDependencyTree } from 'dpdm';

const root = resolve(import.meta.dirname, '../..');

/** Cycles among the files under `dir`, type-only imports included (dpdm parses the TypeScript, no transform). */
async function cycles(dir: string): Promise<string[][]> {
  const tree = await parseDependencyTree(`${dir}/**/*.ts`, {
    cwd: dir,
    context: dir,
    transform: false,
    skipDynamicImports: false,
    include: /\.ts$/,
    exclude: /node_modules/,
  });
  return parseCircular(tree);
}

test('no import cycle anywhere in main/, type imports included', async () => {
  const found = await cycles(join(root, 'main'));
  assert.deepEqual(
    found.map((c) => c.join(' → ')),
    [],
    'each layer, and each driver within core, imports only inward',
  );
});

test('the check sees a cycle made of type imports only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-cycle-'));
  try {
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport interface A { b: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport interface B { a: A }\n");
    const found = await cycles(dir);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.map((f) => f.replace(/^.*\//, '')).sort(), ['a.ts', 'b.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Bundles the Node side: the CLI/serve entry, the Electron main process and its preload.
// Dependencies stay external (dockerode loads files by path; client-node is ESM with its own deps).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, format: 'esm', entryPoints: { cli: 'main/cli/cli.ts' }, outdir: 'dist/main' }),
  // The log store's worker thread: its own file, found next to the bundle that starts it.
  build({ ...common, format: 'esm', entryPoints: { 'log-store-worker': 'main/core/logstore/store-worker.ts' }, outdir: 'dist/main' }),
  build({ ...common, format: 'esm', entryPoints: { electron: 'main/electron/main.ts' }, outdir: 'dist/main', external: ['electron'] }),
  // Sandboxed preloads must be a single CommonJS file that requires only electron.
  build({
    ...common,
    packages: undefined,
    format: 'cjs',
    entryPoints: { preload: 'main/electron/preload.ts' },
    outfile: 'dist/main/preload.cjs',
    outdir: undefined,
    external: ['electron'],
  }),
]);

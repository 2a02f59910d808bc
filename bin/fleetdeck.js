#!/usr/bin/env node
// The `fleetdeck` command: a thin launcher for the built CLI (dist/main/cli.js).
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`fleetdeck: needs Node 22.19 or newer (this is ${process.version}); in the repo, run it through npx or npm scripts, which use Node 24.`);
  process.exit(1);
}
const cli = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('fleetdeck: not built yet; run "npm run build" in the repository first.');
  process.exit(1);
}
const { main } = await import(cli.href);
try {
  process.exit(await main(process.argv.slice(2)));
} catch (e) {
  console.error(`fleetdeck: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  process.exit(1);
}

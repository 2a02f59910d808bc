// Starts: `fleetdeck serve` (built, on 127.0.0.1:7431, fixed token) over the running Docker engine, with the
// Kubernetes API fixture as its one kubeconfig context (test/e2e/serve-with-fixture.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/lib/chromium';

export const E2E_PORT = Number(process.env.FLEETDECK_E2E_PORT ?? 7431);
export const E2E_TOKEN = 'e2e-token-7f3a9c';
/** The samples the e2e tests start carry their own project, so a developer's own samples are never touched. */
export const E2E_SAMPLES = process.env.FLEETDECK_SAMPLES_PROJECT ?? 'e2e-samples';
process.env.FLEETDECK_SAMPLES_PROJECT = E2E_SAMPLES; // for the npm scripts the specs run

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      // The system Chromium: no browser is ever downloaded.
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'serve', testMatch: /serve\..*spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
  webServer: {
    command: `node --import tsx serve-with-fixture.ts --port ${E2E_PORT}`,
    cwd: import.meta.dirname,
    // Its own state folder: engines added and templates kept by the tests do not outlive them.
    env: { FLEETDECK_TOKEN: E2E_TOKEN, FLEETDECK_STATE_DIR: mkdtempSync(join(tmpdir(), 'fd-e2e-state-')), FLEETDECK_SAMPLES_PROJECT: E2E_SAMPLES },
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});

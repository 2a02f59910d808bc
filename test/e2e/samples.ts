// The sample services of the e2e run (their own project, E2E_SAMPLES), through the repository's npm scripts.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { E2E_SAMPLES } from './playwright.config';

const root = resolve(import.meta.dirname, '../..');

/** `npm run <script>` (samples:up, samples:down, …) for the e2e project's samples. */
export function samplesNpm(script: string): Buffer {
  return execFileSync('npm', ['run', '--silent', script], {
    cwd: root,
    stdio: 'pipe',
    timeout: 120_000,
    env: { ...process.env, FLEETDECK_SAMPLES_PROJECT: E2E_SAMPLES },
  });
}

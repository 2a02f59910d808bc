// Starts: a unix-socket relay in front of the engine (added as an engine, then stopped and restarted
// to play an engine going away) and one idle container of the sample base image; all removed at the end.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { EngineRelay } from '../helpers/socket-proxy';
import { E2E_TOKEN } from './playwright.config';

const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8' }).trim();
const name = `fde2e${randomBytes(3).toString('hex')}`;

test('when an engine goes away the panel says so, keeps the last state greyed, and comes back by itself', async ({ page }) => {
  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];
  test.skip(!base, 'no fleetdeck/node-base image; npm run samples:build makes it');
  docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    'dev.fleetdeck.service=idle',
    '--label',
    `dev.fleetdeck.project=${name}`,
    base!,
    'node',
    '-e',
    'setInterval(() => {}, 1e9)',
  );
  const relay = new EngineRelay();
  await relay.start();
  try {
    await page.goto(`/?token=${E2E_TOKEN}`);
    const nav = page.getByRole('navigation', { name: 'Environments' });
    await nav.getByRole('button', { name: 'Add Docker engine' }).click();
    const form = nav.getByRole('form', { name: 'Add Docker engine' });
    await form.getByLabel('Name').fill('Relay');
    await form.getByLabel('Address').fill(`unix://${relay.path}`);
    await form.getByRole('button', { name: 'Add' }).click();
    const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: new RegExp(`${name}/idle`) });
    await expect(row).toContainText('1/1');

    await relay.stop();
    await expect(page.getByRole('alert')).toContainText('Docker is not reachable');
    await expect(page.getByLabel('Last known state')).toBeVisible();
    await expect(row).toContainText('1/1');
    await expect(nav.getByRole('button', { name: /^Relay/ })).toContainText('Unreachable');

    await relay.start();
    await expect(nav.getByRole('button', { name: /^Relay/ })).toContainText('Connected', { timeout: 15_000 });
    await expect(page.getByLabel('Last known state')).toHaveCount(0);
    await expect(row).toContainText('1/1');
  } finally {
    await relay.stop();
    docker('rm', '-f', name);
  }
});

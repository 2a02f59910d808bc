import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './playwright.config';

const socket = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();

test('another Docker engine can be added from the sidebar, and removed', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  const nav = page.getByRole('navigation', { name: 'Environments' });
  await nav.getByRole('button', { name: 'Add Docker engine' }).click();
  const form = nav.getByRole('form', { name: 'Add Docker engine' });
  await form.getByLabel('Name').fill('Second view');
  await form.getByLabel('Address').fill('ftp://nowhere');
  await form.getByRole('button', { name: 'Add' }).click();
  await expect(form.getByRole('alert')).toContainText('unix://, tcp:// or ssh://');

  await form.getByLabel('Address').fill(`unix://${socket}`);
  await form.getByRole('button', { name: 'Add' }).click();
  const item = nav.getByRole('button', { name: /^Second view/ });
  await expect(item).toContainText('Connected');
  await expect(item).toContainText(version);
  await expect(page.getByRole('heading', { level: 1, name: 'Second view' })).toBeVisible();

  await page.getByRole('button', { name: 'Remove engine' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove engine' }).click();
  await expect(item).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Docker (local)' })).toBeVisible();
});

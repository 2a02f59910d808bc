import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './playwright.config';

const engineVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();

test('the page opened with the token shows Docker (local) connected with the engine version', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  const nav = page.getByRole('navigation', { name: 'Environments' });
  const docker = nav.getByRole('button', { name: /^Docker \(local\)/ });
  await expect(docker).toBeVisible();
  await expect(docker).toContainText('Connected');
  await expect(docker).toContainText(engineVersion);
  await expect(page.getByRole('heading', { level: 1, name: 'Docker (local)' })).toBeVisible();
  const status = page.getByRole('contentinfo', { name: 'Status' });
  await expect(status).toContainText(`Engine ${engineVersion}`);
  await expect(status).toContainText(/\d+(\.\d)? events\/s/);
  await expect(status).toContainText('Ctrl+K');
  // The token leaves the address bar once it became a cookie; a reload still works.
  await expect(page).toHaveURL(/\/$/);
  await page.reload();
  await expect(nav.getByRole('button', { name: /^Docker \(local\)/ })).toContainText('Connected');
});

test('a wrong or missing token is refused', async ({ page }) => {
  const wrong = await page.goto('/?token=not-the-token');
  expect(wrong?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('open the URL printed by "fleetdeck serve"');
  const none = await page.request.get('/', { headers: { cookie: '' } });
  expect(none.status()).toBe(401);
});

test('kubeconfig contexts are listed under Kubernetes with their cluster version', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  const ctx = page.getByRole('navigation', { name: 'Environments' }).getByRole('button', { name: /^fixture-cluster/ });
  await expect(ctx).toContainText('Connected');
  await expect(ctx).toContainText(/v1\.\d+/);
});

test('the theme follows the OS and can be switched', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/?token=${E2E_TOKEN}`);
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await bg();
  await page.emulateMedia({ colorScheme: 'light' });
  // The OS switch arrives as a media-query change event: the page follows it.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(bg).not.toBe(dark);
  await page.getByRole('button', { name: /Switch theme/ }).click(); // System → Light
  await page.getByRole('button', { name: /Switch theme/ }).click(); // Light → Dark
  await expect(page.getByRole('button', { name: /Theme: Dark/ })).toBeVisible();
  await expect.poll(bg).toBe(dark);
});

// Starts: one container of the sample base image (its own project label) whose health check fails
// printing why, with a password and a log level in its environment; removed at the end.
// Uses: the Kubernetes API fixture that test/e2e/serve-with-fixture.ts starts beside `fleetdeck serve`.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { docker, dockerUnavailable } from '../helpers/docker';
import { E2E_TOKEN } from './playwright.config';

const unavailable = dockerUnavailable();
const base = unavailable ? undefined : docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0] || undefined;
const why = unavailable
  ? `${unavailable}; this test runs wherever a Docker engine answers`
  : base
    ? undefined
    : 'no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)';
if (why) console.log(`[serve.inspect] skipped: ${why}`);
const project = `fdinsp${randomBytes(3).toString('hex')}`;
const instance = `${project}-api-1`;

test.describe('Docker', () => {
  test.describe.configure({ mode: 'serial' });
  test.skip(why !== undefined, why ?? '');

  let page: Page;
  test.beforeAll(async ({ browser }) => {
    docker(
      'run',
      '-d',
      '--name',
      instance,
      '--label',
      'dev.fleetdeck.service=api',
      '--label',
      `dev.fleetdeck.project=${project}`,
      '-e',
      'DB_PASSWORD=hunter2',
      '-e',
      'LOG_LEVEL=debug',
      '--health-cmd',
      'echo "db unreachable: connect ECONNREFUSED 10.0.0.7:5432"; exit 1',
      '--health-interval',
      '1s',
      '--health-retries',
      '1',
      base!,
      'node',
      '-e',
      'setInterval(() => {}, 1e9)',
    );
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`/?token=${E2E_TOKEN}`);
  });
  test.afterAll(() => {
    if (!why) docker('rm', '-f', instance);
  });

  test('Inspect on an unhealthy container says why, first; the password stays masked until Show', async () => {
    await page
      .getByRole('table', { name: 'Services' })
      .getByRole('row', { name: new RegExp(`${project}/api`) })
      .click();
    const detail = page.getByRole('region', { name: `Service ${project}/api` });
    // The table shows it unhealthy once the check has failed: then Inspect from its row.
    await expect(detail.getByRole('table', { name: 'Instances' }).getByRole('row', { name: new RegExp(instance) })).toContainText('Unhealthy', {
      timeout: 20_000,
    });
    await detail.getByRole('button', { name: `Inspect ${instance}` }).click();
    await expect(detail.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');

    const why = detail.getByRole('region', { name: 'Why it is unhealthy' });
    await expect(why).toContainText('The health check fails', { timeout: 15_000 });
    const output = why.getByLabel('Health check output');
    await expect(output).toHaveText('db unreachable: connect ECONNREFUSED 10.0.0.7:5432');
    // Read without scrolling: the answer is inside the window as the tab opens.
    await expect(output).toBeInViewport();

    const envTable = detail.getByRole('table', { name: 'Environment variables' });
    const pw = envTable.getByRole('row', { name: /DB_PASSWORD/ });
    await expect(pw).toContainText('••••••');
    await expect(envTable.getByRole('row', { name: /LOG_LEVEL/ })).toContainText('debug');
    // Nowhere on the page before it is asked for, the raw JSON included.
    await expect(detail.getByLabel('Raw JSON', { exact: true })).toContainText('DB_PASSWORD=••••••');
    expect(await page.content()).not.toContain('hunter2');

    await pw.getByRole('button', { name: 'Show value of DB_PASSWORD' }).click();
    await expect(pw).toContainText('hunter2');
    await expect(pw).not.toContainText('••••••');
    await pw.getByRole('button', { name: 'Hide value of DB_PASSWORD' }).click();
    await expect(pw).not.toContainText('hunter2');

    // Refresh asks again and keeps the answer on screen.
    await detail.getByRole('button', { name: `Refresh inspect of ${instance}` }).click();
    await expect(why.getByLabel('Health check output')).toHaveText('db unreachable: connect ECONNREFUSED 10.0.0.7:5432');
    await expect(detail.getByRole('region', { name: 'Summary' })).toContainText('running (unhealthy)');
  });
});

test('Inspect on a pod tells its node, conditions and events, and where its variables come from', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page
    .getByRole('navigation', { name: 'Environments' })
    .getByRole('button', { name: /^fixture-cluster/ })
    .click();
  const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: /fleetdeck-samples\/order-service/ });
  await expect(row).toContainText('3/3', { timeout: 20_000 });
  await row.click();
  const detail = page.getByRole('region', { name: 'Service fleetdeck-samples/order-service' });
  await detail.getByRole('tab', { name: 'Inspect' }).click();
  // Several pods: the picker chooses which.
  const picker = detail.getByRole('combobox', { name: 'Inspect instance' });
  const second = (await picker.locator('option').nth(1).textContent())!;
  await picker.selectOption({ label: second });
  await expect(detail.getByRole('heading', { name: `Inspect ${second}` })).toBeVisible();
  const summary = detail.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('fixture-node', { timeout: 15_000 });
  await expect(summary).toContainText('Running');
  await expect(detail.getByRole('table', { name: 'Conditions' }).getByRole('row', { name: /Ready/ }).first()).toContainText('True');
  const events = detail.getByRole('table', { name: 'Events' });
  await expect(events.getByRole('row', { name: /Scheduled/ })).toContainText(`Successfully assigned fleetdeck-samples/${second} to fixture-node`);
  await expect(events.getByRole('row', { name: /Started/ })).toBeVisible();
  await expect(detail.getByRole('table', { name: 'Environment variables' }).getByRole('row', { name: /PORT/ })).toContainText('5001');
  const raw = detail.getByLabel('Raw YAML', { exact: true });
  await expect(raw).toContainText(`name: ${second}`);
  // Lines as kubectl prints them, not one long line.
  expect(await raw.evaluate((el) => el.textContent)).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
  await expect(detail.getByRole('button', { name: 'Copy raw YAML' })).toBeVisible();
});

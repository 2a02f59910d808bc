// Starts: the sample services (through the panel's "Start sample services" when the engine is empty),
// then scales user-service from the UI; removes the samples at the end.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { E2E_SAMPLES, E2E_TOKEN } from './playwright.config';
import { samplesNpm } from './samples';

test.describe.configure({ mode: 'serial' });
test.beforeAll(() => samplesNpm('samples:down'));
test.afterAll(() => samplesNpm('samples:down'));

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto(`/?token=${E2E_TOKEN}`);
});

const services = () => page.getByRole('table', { name: 'Services' });
const detail = () => page.getByRole('region', { name: `Service ${E2E_SAMPLES}/user-service` });
const count = () => detail().getByTestId('replica-count');

test('the sample services appear (started from the empty engine with one click)', async () => {
  const button = page.getByRole('button', { name: 'Start sample services' });
  await expect(services().or(button)).toBeVisible({ timeout: 15_000 });
  if (await button.isVisible()) {
    console.log('[serve.services] the engine was empty: starting the samples with the panel button');
    await button.click();
    await expect(page.getByRole('status').filter({ hasText: /./ }).first()).toBeVisible();
  } else {
    console.log('[serve.services] other containers run on this engine (no empty state): starting the samples with npm run samples:up');
    samplesNpm('samples:up');
  }
  await expect(services().getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })).toContainText('3/3', { timeout: 60_000 });
  await expect(services().getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/order-service`) })).toContainText('2/2');
});

test('Scale up adds an instance that becomes healthy; Scale down removes one', async () => {
  await services()
    .getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })
    .click();
  await expect(count()).toHaveText('3/3');
  await detail().getByRole('button', { name: 'Scale up' }).click();
  await expect(count()).toHaveText('4/4', { timeout: 30_000 });
  const added = detail().getByRole('row', { name: new RegExp(`fleetdeck-${E2E_SAMPLES}-user-service-4`) });
  await expect(added).toBeVisible();
  await expect(added).toContainText('Healthy', { timeout: 30_000 });

  await detail().getByRole('button', { name: 'Scale down' }).click();
  await expect(count()).toHaveText('3/3', { timeout: 30_000 });
  await expect(added).toHaveCount(0);
});

test('an invalid replica count shows an error and changes nothing', async () => {
  const field = detail().getByLabel('Replicas');
  const apply = detail().getByRole('button', { name: 'Apply' });
  for (const [typed, message] of [
    ['-2', /cannot be negative/],
    ['abc', /not a number of replicas/],
    ['1.5', /whole number/],
  ] as const) {
    await field.fill(typed);
    await apply.click();
    await expect(detail().getByRole('alert')).toContainText(message);
  }
  await field.fill('51');
  await apply.click();
  await expect(detail().getByRole('alert')).toContainText('At most 50 replicas per service');
  await expect(count()).toHaveText('3/3');
});

test('the terminal runs echo in an instance and shows the result', async () => {
  await detail().getByRole('tab', { name: 'Terminal' }).click();
  const term = page.getByRole('region', { name: new RegExp(`^Terminal in fleetdeck-${E2E_SAMPLES}-user-service-`) });
  await expect(term).toContainText('Connected', { timeout: 15_000 });
  await term.locator('.xterm').click();
  await page.keyboard.type('echo fleet$((40+2))deck\n');
  await expect(term.locator('.xterm-rows')).toContainText('fleet42deck', { timeout: 10_000 });
});

test('the command palette (Ctrl+K) scales a service by typing', async () => {
  // Inside the terminal Ctrl+K belongs to the shell (kill-line); step out of it, and back to the table.
  await detail().getByRole('button', { name: 'Close service details' }).click();
  await expect(detail()).toHaveCount(0);
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox', { name: 'Type a command' }).fill('user-service up');
  await expect(palette.getByRole('option', { name: new RegExp(`Scale ${E2E_SAMPLES}/user-service up`) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(services().getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })).toContainText('4/4', { timeout: 30_000 });
  await page.keyboard.press('Control+k');
  await palette.getByRole('combobox').fill('go user');
  await page.keyboard.press('Enter');
  await expect(detail()).toBeVisible();
  await detail().getByRole('button', { name: 'Scale down' }).click();
  await expect(count()).toHaveText('3/3', { timeout: 30_000 });
});

test('the Logs tab follows every instance live: a request shows up with its instance and request id', async () => {
  if (!(await detail().isVisible()))
    await services()
      .getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })
      .click();
  await detail().getByRole('tab', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: 'Logs' });
  await expect(logs).toContainText('Live', { timeout: 15_000 });
  const instance = `fleetdeck-${E2E_SAMPLES}-user-service-2`;
  const port = execFileSync('docker', ['port', instance, '5000/tcp'], { encoding: 'utf8' }).trim().split('\n')[0]!.split(':').at(-1);
  const id = `e2e-logs-${Date.now()}`;
  const r = await fetch(`http://127.0.0.1:${port}/user/7`, { headers: { 'x-request-id': id } });
  expect(r.status).toBe(200);
  const rows = logs.getByRole('log', { name: `Live logs of ${E2E_SAMPLES}/user-service` });
  await expect(rows).toContainText(id, { timeout: 10_000 });
  await expect(rows).toContainText(instance);
  // Raw JSON shows the line as the service wrote it.
  await logs.getByLabel('Raw JSON').check();
  await expect(rows).toContainText(`"requestId":"${id}"`, { timeout: 10_000 });
});

test('Search stored: a request id followed shows the lines of both sample services, in time order', async () => {
  if (!(await detail().isVisible()))
    await services()
      .getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })
      .click();
  await detail().getByRole('tab', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: 'Logs' });
  const orders = `fleetdeck-${E2E_SAMPLES}-order-service-1`;
  const port = execFileSync('docker', ['port', orders, '5001/tcp'], { encoding: 'utf8' }).trim().split('\n')[0]!.split(':').at(-1);
  const id = `e2e-request-${Date.now()}`;
  const r = await fetch(`http://127.0.0.1:${port}/orders/7`, { headers: { 'x-request-id': id } });
  expect(r.status).toBe(200);
  await logs.getByRole('button', { name: 'Search stored' }).click();
  const search = page.getByRole('region', { name: 'Search stored logs' });
  const query = search.getByRole('searchbox', { name: 'Search query' });
  const hits = search.getByRole('list', { name: 'Matching lines' }).getByRole('listitem');
  // user-service's own line of that request, then every service's.
  await expect(async () => {
    await query.fill(id);
    await query.press('Enter');
    await expect(hits.first()).toContainText(id, { timeout: 2000 });
  }).toPass({ timeout: 15_000 });
  await hits
    .first()
    .getByRole('button', { name: `Every line of request ${id}` })
    .click();
  await expect(query).toHaveValue(`requestId:"${id}"`);
  await expect(hits.filter({ hasText: 'order-service' }).first()).toBeVisible({ timeout: 10_000 });
  await expect(hits.filter({ hasText: 'user-service' }).first()).toBeVisible();
  await logs.getByRole('button', { name: 'Live', exact: true }).click();
});

test('the Metrics tab charts the service: CPU and memory, and its own request rate under load', async () => {
  if (!(await detail().isVisible()))
    await services()
      .getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/user-service`) })
      .click();
  await detail().getByRole('tab', { name: 'Metrics' }).click();
  const metrics = page.getByRole('region', { name: 'Metrics' });
  await expect(metrics.getByRole('figure', { name: /^Memory, \d/ })).toBeVisible({ timeout: 15_000 });
  const port = execFileSync('docker', ['port', `fleetdeck-${E2E_SAMPLES}-user-service-1`, '5000/tcp'], { encoding: 'utf8' })
    .trim()
    .split('\n')[0]!
    .split(':')
    .at(-1);
  const requests = metrics.getByRole('figure', { name: /^Requests, / });
  // Bounded load: at most 15 s of 10 requests every 100 ms, until the chart shows a rate.
  const end = Date.now() + 15_000;
  while (Date.now() < end && !/Requests, [1-9][\d.]* req\/s/.test((await requests.getAttribute('aria-label').catch(() => '')) ?? '')) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/user/${i}`).then(
          (r) => r.text(),
          () => '',
        ),
      ),
    );
    await page.waitForTimeout(100);
  }
  await expect(requests).toHaveAttribute('aria-label', /Requests, [1-9][\d.]* req\/s/);
  await expect(metrics.getByRole('figure', { name: /^Latency p95, [\d.]+ ms/ })).toBeVisible();
});

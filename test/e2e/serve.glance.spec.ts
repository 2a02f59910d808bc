// Starts: the sample services under the e2e project (npm run samples:up) beside the Kubernetes API fixture
// that serve-with-fixture.ts runs; scales user-service to 0 from the window and drives at most 50 requests
// to order-service on 127.0.0.1; removes the samples at the end.
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
const row = (name: string) => services().getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/${name}`) });
const overview = () => page.getByRole('table', { name: 'All services' });
const sidebar = () => page.getByRole('navigation', { name: 'Environments' });
/** The service names of the table's rows, top to bottom. */
const order = () => services().locator('tbody tr[data-service] th').allTextContents();

test('the services table shows CPU and request-rate sparklines, Error rate and p95, and sorts by name', async () => {
  test.setTimeout(120_000);
  samplesNpm('samples:up');
  await expect(row('user-service')).toContainText('3/3', { timeout: 60_000 });
  await expect(row('order-service')).toContainText('2/2', { timeout: 30_000 });
  await expect(services().getByRole('columnheader', { name: 'Error rate', exact: true })).toBeVisible();
  await expect(services().getByRole('columnheader', { name: 'p95', exact: true })).toBeVisible();

  // The recorder measures every service without a chart open; the glance comes every 5 s.
  const cpu = row('user-service').getByRole('cell', { name: /^CPU [\d.<]+ %/ });
  await expect(cpu).toBeVisible({ timeout: 20_000 });
  await expect(cpu.locator('svg path')).toHaveAttribute('d', /^M[\d.]+ [\d.]+/);
  await expect(row('user-service').getByRole('cell', { name: /^Requests / })).toBeVisible();
  await expect(row('user-service').getByRole('cell', { name: /^p95 / })).toBeVisible();
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/glance-table.png` });

  const name = services().getByRole('columnheader', { name: 'Name', exact: true });
  const mine = async () => (await order()).filter((n) => n.startsWith(`${E2E_SAMPLES}/`));
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'ascending');
  expect(await mine()).toEqual([`${E2E_SAMPLES}/order-service`, `${E2E_SAMPLES}/user-service`]);
  await name.getByRole('button').click();
  await expect(name).toHaveAttribute('aria-sort', 'descending');
  expect(await mine()).toEqual([`${E2E_SAMPLES}/user-service`, `${E2E_SAMPLES}/order-service`]);
  const cpuHeader = services().getByRole('columnheader', { name: 'CPU', exact: true });
  await expect(cpuHeader).not.toHaveAttribute('aria-sort', /./);

  // The sort is remembered.
  await page.reload();
  await expect(services().getByRole('columnheader', { name: 'Name', exact: true })).toHaveAttribute('aria-sort', 'descending', { timeout: 15_000 });
  await expect(row('user-service')).toBeVisible({ timeout: 15_000 });
  expect(await mine()).toEqual([`${E2E_SAMPLES}/user-service`, `${E2E_SAMPLES}/order-service`]);
});

test('the Overview lists Docker and Kubernetes services in one list, and opens one with a click or Enter', async () => {
  await sidebar().getByRole('button', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const docker = overview().getByRole('row', { name: new RegExp(`Docker \\(local\\).*${E2E_SAMPLES}/user-service`) });
  const kube = overview().getByRole('row', { name: /fixture-cluster.*fleetdeck-samples\/user-service/ });
  await expect(docker).toBeVisible({ timeout: 20_000 });
  await expect(kube).toBeVisible({ timeout: 20_000 });
  await expect(docker).toContainText('3/3');
  await expect(kube).toContainText(/\d+\/\d+/);
  await expect(page.getByTestId('overview-summary')).toHaveText(/^\d+ services? in \d+ environments? · \d+ degraded · \d+ unhealthy$/);
  await expect(docker.getByRole('cell', { name: /^CPU [\d.<]+ %/ }).locator('svg path')).toHaveCount(1, { timeout: 20_000 });

  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/glance-overview.png` });
  // The filter narrows to what it names, environment names included.
  const filter = page.getByRole('searchbox', { name: 'Filter all services' });
  await filter.fill('fixture-cluster');
  await expect(kube).toBeVisible();
  await expect(docker).toHaveCount(0);
  await filter.fill('');

  // A click shows the service in its own environment, its detail open.
  await kube.click();
  await expect(page.getByRole('heading', { level: 1, name: 'fixture-cluster' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Service fleetdeck-samples/user-service' })).toBeVisible({ timeout: 15_000 });

  await sidebar().getByRole('button', { name: 'Overview' }).click();
  const orders = overview().getByRole('row', { name: new RegExp(`Docker \\(local\\).*${E2E_SAMPLES}/order-service`) });
  await orders.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Docker (local)' })).toBeVisible();
  await expect(page.getByRole('region', { name: `Service ${E2E_SAMPLES}/order-service` })).toBeVisible({ timeout: 15_000 });
});

test('the window title counts what is unhealthy or degraded: order-service Degraded while user-service is at 0', async () => {
  test.setTimeout(120_000);
  await page.getByRole('button', { name: 'Close service details' }).click();
  await row('user-service').click();
  const detail = page.getByRole('region', { name: `Service ${E2E_SAMPLES}/user-service` });
  await detail.getByLabel('Replicas').fill('0');
  await detail.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('button', { name: 'Scale to 0' }).click();
  await expect(detail.getByTestId('replica-count')).toHaveText('0/0', { timeout: 30_000 });
  await detail.getByRole('button', { name: 'Close service details' }).click();

  // order-service answers degraded once it cannot reach user-service; a few requests open its breaker.
  const ports = execFileSync(
    'docker',
    ['ps', '--filter', `label=dev.fleetdeck.project=${E2E_SAMPLES}`, '--filter', 'label=dev.fleetdeck.service=order-service', '--format', '{{.Ports}}'],
    { encoding: 'utf8' },
  )
    .split('\n')
    .map((l) => /127\.0\.0\.1:(\d+)->5001/.exec(l)?.[1])
    .filter(Boolean);
  expect(ports.length).toBeGreaterThan(0);
  for (let n = 0; n < 50; n++) {
    await fetch(`http://127.0.0.1:${ports[n % ports.length]}/orders/${n}`).then(
      (r) => r.text(),
      () => '',
    );
    if (await row('order-service').getByText('Degraded').isVisible()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await expect(row('order-service')).toContainText('Degraded', { timeout: 10_000 });
  await expect(page).toHaveTitle(/^Fleetdeck \([1-9]\d* unhealthy\)$/, { timeout: 10_000 });

  // The title's count is the Overview's degraded and unhealthy together; order-service is among them.
  await sidebar().getByRole('button', { name: 'Overview' }).click();
  await expect(overview().getByRole('row', { name: new RegExp(`${E2E_SAMPLES}/order-service`) })).toContainText('Degraded');
  await expect(async () => {
    const summary = (await page.getByTestId('overview-summary').textContent()) ?? '';
    const m = /· (\d+) degraded · (\d+) unhealthy$/.exec(summary);
    expect(m, summary).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
    expect(await page.title()).toBe(`Fleetdeck (${Number(m![1]) + Number(m![2])} unhealthy)`);
  }).toPass({ timeout: 10_000 });
});

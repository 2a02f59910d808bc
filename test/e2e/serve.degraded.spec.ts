// Starts: the sample services under the e2e project (npm run samples:up), scales user-service to 0 from
// the window and drives at most 50 requests to order-service on 127.0.0.1; removes the samples at the end.
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

test('order-service shows Degraded, with its breaker open, while user-service is at 0', async () => {
  test.setTimeout(180_000);
  samplesNpm('samples:up');
  await expect(row('user-service')).toContainText('3/3', { timeout: 60_000 });
  await expect(row('order-service')).toContainText('2/2', { timeout: 30_000 });
  await expect(row('order-service')).toContainText('Healthy', { timeout: 30_000 });

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
    {
      encoding: 'utf8',
    },
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
  await expect(row('order-service')).toContainText(/circuit breaker user-service (open|half-open) on/);

  await row('order-service').click();
  const order = page.getByRole('region', { name: `Service ${E2E_SAMPLES}/order-service` });
  await expect(order.getByRole('table', { name: 'Circuit breakers' })).toBeVisible();
  await expect(order.getByRole('table', { name: 'Circuit breakers' }).getByRole('row')).toHaveCount(ports.length + 1);
});

// Uses: the Kubernetes API fixture that test/e2e/serve-with-fixture.ts starts beside `fleetdeck serve`.
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from './playwright.config';

test('a Deployment is a service like any other: listed, opened, scaled, its pods’ logs followed', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page
    .getByRole('navigation', { name: 'Environments' })
    .getByRole('button', { name: /^fixture-cluster/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'fixture-cluster' })).toBeVisible();
  const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: /fleetdeck-samples\/user-service/ });
  await expect(row).toContainText('deployment');
  await expect(row).toContainText('3/3', { timeout: 20_000 });
  await row.click();
  const detail = page.getByRole('region', { name: 'Service fleetdeck-samples/user-service' });
  await expect(detail.getByRole('table', { name: 'Instances' }).getByRole('row')).toHaveCount(4); // header + 3 pods
  await detail.getByRole('button', { name: 'Scale down' }).click();
  await expect(detail.getByTestId('replica-count')).toHaveText('2/2', { timeout: 20_000 });
  await detail.getByRole('tab', { name: 'Logs' }).click();
  await expect(page.getByRole('region', { name: 'Logs' }).getByRole('log', { name: 'Live logs of fleetdeck-samples/user-service' })).toContainText(
    'user-service-',
    {
      timeout: 15_000,
    },
  );
  await detail.getByRole('tab', { name: 'Metrics' }).click();
  await expect(page.getByRole('region', { name: 'Metrics' }).getByRole('figure', { name: /^CPU, [\d.]+ %/ })).toBeVisible({ timeout: 15_000 });
  await detail.getByRole('tab', { name: 'Instances' }).click();
  await detail.getByRole('button', { name: 'Scale up' }).click();
  await expect(detail.getByTestId('replica-count')).toHaveText('3/3', { timeout: 20_000 });
});

test('a namespace is chosen under the context: only its workloads are listed, and all namespaces bring them back', async ({ page }) => {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page.evaluate(() => localStorage.removeItem('fleetdeck.namespaces'));
  const sidebar = page.getByRole('navigation', { name: 'Environments' });
  await sidebar.getByRole('button', { name: /^fixture-cluster/ }).click();
  const services = page.getByRole('table', { name: 'Services' });
  await expect(services.getByRole('row', { name: /fleetdeck-samples\/user-service/ })).toBeVisible({ timeout: 20_000 });
  const picker = sidebar.getByRole('form', { name: 'Namespaces of fixture-cluster' });
  await picker.getByRole('textbox', { name: 'Namespaces' }).fill('default');
  await picker.getByRole('button', { name: 'Show' }).click();
  await expect(sidebar.getByText('ns default', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('row', { name: /fleetdeck-samples\/user-service/ })).toHaveCount(0, { timeout: 15_000 });
  await picker.getByRole('button', { name: 'All namespaces' }).click();
  await expect(sidebar.getByText('all namespaces', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('row', { name: /fleetdeck-samples\/user-service/ })).toBeVisible({ timeout: 20_000 });
  await page.reload();
  await expect(sidebar.getByText('all namespaces', { exact: true })).toBeVisible({ timeout: 15_000 });
});

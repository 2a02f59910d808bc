// Uses: the Kubernetes API fixture that test/e2e/serve-with-fixture.ts starts beside `fleetdeck serve`.
import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from './playwright.config';

async function openUserService(page: Page) {
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page
    .getByRole('navigation', { name: 'Environments' })
    .getByRole('button', { name: /^fixture-cluster/ })
    .click();
  const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: /fleetdeck-samples\/user-service/ });
  await expect(row).toContainText('3/3', { timeout: 20_000 });
  await row.click();
  return page.getByRole('region', { name: 'Service fleetdeck-samples/user-service' });
}

test('the Terminal tab of a Deployment opens a shell in a pod: typed commands answer in the xterm', async ({ page }) => {
  const detail = await openUserService(page);
  await detail.getByRole('tab', { name: 'Terminal' }).click();
  const term = page.getByRole('region', { name: /^Terminal in user-service-/ });
  await expect(term).toContainText('Connected', { timeout: 15_000 });
  await term.locator('.xterm').click();
  await page.keyboard.type('echo kube$((40+2))pod\n');
  await expect(term.locator('.xterm-rows')).toContainText('kube42pod', { timeout: 10_000 });
});

test('the Terminal button of a pod row opens a shell in that pod', async ({ page }) => {
  const detail = await openUserService(page);
  const pods = detail.getByRole('table', { name: 'Instances' });
  const button = pods.getByRole('button', { name: /^Open terminal in user-service-/ }).nth(1);
  const second = (await button.getAttribute('aria-label'))!.replace('Open terminal in ', '');
  await button.click();
  const term = page.getByRole('region', { name: `Terminal in ${second}` });
  await expect(term).toContainText('Connected', { timeout: 15_000 });
  await term.locator('.xterm').click();
  await page.keyboard.type('echo "in $HOSTNAME"\n');
  await expect(term.locator('.xterm-rows')).toContainText(`in ${second}`, { timeout: 10_000 });
  await page.keyboard.type('exit\n');
  await expect(term.getByRole('alert')).toHaveText('The shell exited with code 0.', { timeout: 10_000 });
});

// Starts: one base-image container under its own project label that exits 1 a second after each start
// (--restart=always), so the default "Crash loop" rule fires for it; removed at the end. The page's
// Notification API is replaced by a recorder (the permission starts as "default", as in a fresh browser).
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { docker, removeProject, runReplica, skipReason } from '../helpers/docker';
import { E2E_TOKEN } from './playwright.config';

const skip = skipReason();
const project = `e2ealert${randomBytes(3).toString('hex')}`;

test.describe.configure({ mode: 'serial' });
test.skip(Boolean(skip), String(skip));
test.afterAll(() => removeProject(project));

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __notes: { title: string; body: string }[]; __asked: number; Notification: unknown };
    w.__notes = [];
    w.__asked = 0;
    let permission: NotificationPermission = 'default';
    class Recorder {
      static get permission() {
        return permission;
      }
      static requestPermission() {
        w.__asked++;
        permission = 'granted';
        return Promise.resolve(permission);
      }
      constructor(title: string, options?: { body?: string }) {
        w.__notes.push({ title, body: options?.body ?? '' });
      }
    }
    w.Notification = Recorder;
  });
  await page.goto(`/?token=${E2E_TOKEN}`);
});

test('a crash-looping container shows as a firing alert, is acknowledged, and was a desktop notification once enabled', async () => {
  test.setTimeout(150_000);
  await page.getByRole('button', { name: /^Alerts/ }).click();
  const view = page.getByRole('region', { name: 'Alerts' });
  await expect(view.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  // Nothing is asked on load: the user asks, with a visible button.
  expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(0);
  await view.getByRole('button', { name: 'Enable desktop notifications' }).click();
  await expect(view.getByText('Desktop notifications are on for new alerts.')).toBeVisible();

  await expect(view.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: /Crash loop/ })).toContainText('more than 3 times in 5 min');

  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
  runReplica(project, 'crashy', ['--restart=always'], base, 'sh', '-c', 'sleep 1; exit 1');

  const alert = view.getByRole('table', { name: 'Alerts' }).getByRole('row', { name: new RegExp(`${project}-crashy-1 restarted or crashed`) });
  await expect(alert).toBeVisible({ timeout: 90_000 });
  await expect(alert).toContainText('Firing');
  await expect(alert).toContainText('Crash loop');
  await expect(page.getByTestId('alerts-count')).toBeVisible();

  const notes = await page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes);
  expect(notes.filter((n) => n.body.includes(`${project}-crashy-1 restarted or crashed`))).toEqual([
    { title: 'Fleetdeck: Crash loop', body: expect.stringContaining('crashy: ') },
  ]);

  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/alerts.png`, fullPage: true });
  await alert.getByRole('button', { name: 'Acknowledge Crash loop on crashy' }).click();
  await expect(alert).toContainText('Firing, acknowledged');
  await expect(alert.getByRole('button', { name: /Acknowledge/ })).toHaveCount(0);
  docker('rm', '-f', `${project}-crashy-1`);
});

test('a new rule with a problem says so at the field and keeps what was typed; fixed, it is saved and can be removed', async () => {
  const view = page.getByRole('region', { name: 'Alerts' });
  await view.getByRole('button', { name: 'Add rule' }).click();
  const form = view.getByRole('form', { name: 'New alert rule' });
  await form.getByLabel('When').selectOption('logMatch');
  await form.getByLabel('Log search').fill('level:loud');
  await form.getByLabel('More than (times)').fill('2');
  await form.getByRole('button', { name: 'Save rule' }).click();

  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Give the rule a name.')).toBeVisible();
  await expect(form.getByLabel('Log search')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText(/Unknown level "loud"/)).toBeVisible();
  await expect(form.getByLabel('More than (times)')).toHaveValue('2');
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/alerts-rule-form.png`, fullPage: true });

  await form.getByLabel('Name').fill('Payment failures');
  await form.getByLabel('Log search').fill('"payment failed"');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await expect(form).toHaveCount(0);
  const rule = view.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: /Payment failures/ });
  await expect(rule).toContainText('the log search "payment failed" matches more than 2 lines in 5 min');

  await rule.getByRole('button', { name: 'Remove Payment failures' }).click();
  await page.getByRole('button', { name: 'Remove rule' }).click();
  await expect(rule).toHaveCount(0);
});

// Starts: one sample user-service replica (published on 127.0.0.1) under a project label of its own,
// scaled to 2 from the window; every container of that project is removed at the end.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { removeProject, runReplica, skipReason } from '../helpers/docker';
import { ensureUserImage, USER_IMAGE } from '../helpers/sample-image';
import { E2E_TOKEN } from './playwright.config';

const skip = skipReason();
const project = `fdmet${randomBytes(3).toString('hex')}`;
const first = `${project}-user-service-1`;

test.describe.configure({ mode: 'serial' });
test.skip(Boolean(skip), typeof skip === 'string' ? skip : '');
test.afterAll(() => removeProject(project));

let page: Page;
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  await ensureUserImage();
  runReplica(project, 'user-service', ['-p', '127.0.0.1::5000', '-e', 'PORT=5000'], USER_IMAGE);
  page = await browser.newPage();
  await page.goto(`/?token=${E2E_TOKEN}`);
});

const detail = () => page.getByRole('region', { name: `Service ${project}/user-service` });
const metrics = () => page.getByRole('region', { name: 'Metrics' });
const cpu = () => metrics().getByRole('figure', { name: /^CPU, / });
const legend = () => cpu().getByRole('group', { name: 'CPU lines' });

test('the Metrics tab over the last hour: a time axis, a legend naming the instance, a summary in words', async () => {
  const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: new RegExp(`${project}/user-service`) });
  await expect(row).toContainText('1/1', { timeout: 60_000 });
  await row.click();
  await detail().getByRole('tab', { name: 'Metrics' }).click();
  const hour = metrics().getByRole('radio', { name: '1 h' });
  await hour.click();
  await expect(hour).toHaveAttribute('aria-checked', 'true');

  await expect(cpu()).toBeVisible({ timeout: 30_000 });
  await expect(cpu().locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').first()).toHaveText(/^\d\d:\d\d$/);
  await expect(cpu().locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').first()).toHaveText(/ %$/);
  await expect(legend().getByRole('button', { name: first, exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(cpu().getByTestId('chart-summary')).toHaveText(/^CPU over the last hour: now [\d.]+ %/);
  await expect(metrics().getByRole('figure', { name: /^Memory, [\d.]+ MiB/ })).toBeVisible();
});

test('a scale from the window shows as “scaled 1 → 2” in the events of the range', async () => {
  await detail().getByRole('button', { name: 'Scale up' }).click();
  await expect(detail().getByTestId('replica-count')).toHaveText('2/2', { timeout: 60_000 });
  await expect(metrics().getByRole('region', { name: 'Events in this range' })).toContainText('scaled 1 → 2', { timeout: 30_000 });
  // The marker is drawn on the charts too, its words in the SVG's title.
  await expect(cpu().locator('.marker-label title').filter({ hasText: 'scaled 1 → 2' })).toHaveCount(1);
});

test('clicking a legend entry hides its line; clicking again shows it', async () => {
  // Two instances: the sum and a line per instance, each named in the legend.
  await expect(legend().getByRole('button', { name: 'all instances (sum)', exact: true })).toBeVisible({ timeout: 30_000 });
  const entry = legend().getByRole('button', { name: first, exact: true });
  const series = await entry.getAttribute('data-series');
  expect(series).toMatch(/^s\d+$/);
  const line = cpu().locator(`.recharts-line.${series}`);
  await expect(line).toHaveCount(1, { timeout: 30_000 });

  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'false');
  await expect(line).toHaveCount(0);
  await expect(cpu().locator('.recharts-line')).not.toHaveCount(0); // the others stay

  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  await expect(line).toHaveCount(1);

  await legend()
    .getByRole('button', { name: `Show only ${first}` })
    .click();
  await expect(cpu().locator('.recharts-line')).toHaveCount(1);
  await legend().getByRole('button', { name: 'Show all lines' }).click();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/metrics-history.png`, fullPage: true });
});

test('dragging across a chart zooms every chart into that span; Reset zoom goes back to the hour', async () => {
  await metrics().getByRole('radio', { name: '15 min' }).click();
  const plot = cpu().locator('.plot svg').first();
  await expect(cpu().locator('.recharts-line')).not.toHaveCount(0, { timeout: 30_000 });
  const box = (await plot.boundingBox())!;
  const y = box.y + box.height / 2;
  // From the middle to the right end: the points there are the container's (it started a minute ago).
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
  await page.mouse.move(box.x + box.width - 12, y, { steps: 5 });
  await page.mouse.up();
  await expect(metrics().getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  await expect(metrics().getByText(/^Zoomed: /)).toBeVisible();
  await expect(cpu()).toBeVisible({ timeout: 30_000 });
  await metrics().getByRole('button', { name: 'Reset zoom' }).click();
  await expect(metrics().getByRole('radio', { name: '15 min' })).toHaveAttribute('aria-checked', 'true');
  await expect(metrics().getByRole('button', { name: 'Reset zoom' })).toHaveCount(0);
});

test('Show as table lists the points; Show probes adds their line to the Requests chart', async () => {
  await cpu().getByRole('button', { name: 'Show as table' }).click();
  const table = cpu().getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: first })).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toBeVisible();

  const requests = metrics().getByRole('figure', { name: /^Requests, / });
  await expect(requests).toBeVisible({ timeout: 30_000 });
  await expect(requests).toContainText('probes (/health, /ready, /metrics) left out');
  await requests.getByRole('button', { name: 'Show probes' }).click();
  await expect(requests.getByRole('group', { name: 'Requests lines' }).getByRole('button', { name: 'probes', exact: true })).toBeVisible();
});

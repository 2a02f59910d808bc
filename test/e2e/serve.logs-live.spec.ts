// Starts: one base-image container (its own project label) that writes a marked line, 400 numbered
// fillers (three with a word to find), probe lines, a warning, a coloured line and a long line; and
// one more numbered line on each SIGUSR1. Removed at the end.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { docker, dockerUnavailable } from '../helpers/docker';
import { E2E_TOKEN } from './playwright.config';

const unavailable = dockerUnavailable();
const why = unavailable ? `${unavailable}; this test runs wherever a Docker engine answers` : undefined;
if (why) console.log(`[serve.logs-live] skipped: ${why}`);
const project = `fdlive${randomBytes(3).toString('hex')}`;
const instance = `${project}-talker-1`;
const needle = `marked${randomBytes(4).toString('hex')}`;
// The marked line comes 400 lines before the end: older than the 200 lines a live view starts with.
const WRITER = `
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
out({ level: 'info', msg: 'first line' });
out({ level: 'warn', msg: 'the ${needle} line' });
for (let i = 1; i <= 400; i++) out({ level: 'info', msg: 'filler ' + i + ([250, 300, 350].includes(i) ? ' findme' : '') });
out({ level: 'info', msg: 'request completed', url: '/health', status: 200 });
out({ level: 'info', msg: 'request completed', url: '/ready', status: 200 });
out({ level: 'warn', msg: 'careful-line' });
out({ level: 'info', msg: '\\u001b[31mred-word\\u001b[0m after colour' });
out({ level: 'info', msg: 'long-line ' + 'x'.repeat(700) + ' end-of-long' });
let n = 0;
process.on('SIGUSR1', () => out({ level: 'info', msg: 'signal line ' + ++n }));
setInterval(() => {}, 1 << 30);
`;

test.describe.configure({ mode: 'serial' });
test.skip(why !== undefined, why ?? '');

let page: Page;
let logs: Locator;
let list: Locator;
const rows = () => list.locator('.live-log-row');

test.beforeAll(async ({ browser }) => {
  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
  docker('run', '-d', '--name', instance, '--label', 'dev.fleetdeck.service=talker', '--label', `dev.fleetdeck.project=${project}`, base, 'node', '-e', WRITER);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`/?token=${E2E_TOKEN}`);
  await page
    .getByRole('table', { name: 'Services' })
    .getByRole('row', { name: new RegExp(`${project}/talker`) })
    .click();
  await page
    .getByRole('region', { name: `Service ${project}/talker` })
    .getByRole('tab', { name: 'Logs' })
    .click();
  logs = page.getByRole('region', { name: 'Logs' });
  list = logs.getByRole('log', { name: `Live logs of ${project}/talker` });
});
test.afterAll(() => {
  if (!why) docker('rm', '-f', instance);
});

test('the live list is a log region that follows the newest line: rows read time, instance, level and text, colours as colours', async () => {
  await expect(list).toHaveAttribute('aria-live', 'off');
  await expect(list).toContainText('end-of-long', { timeout: 20_000 });
  const careful = rows().filter({ hasText: 'careful-line' });
  await expect(careful).toHaveText(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${instance} WRN careful-line$`));
  // The instance prefix is coloured, and so is what the container coloured.
  await expect(careful.locator('.ll-instance')).toHaveClass(/ansi-[a-z-]+-fg/);
  await expect(rows().filter({ hasText: 'red-word' }).locator('span.ansi-red-fg')).toHaveText('red-word');
  // The view starts with the last 200 lines: the marked line is older.
  await expect(list).not.toContainText(needle);
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/logs-live.png` });
});

test('Hide probes hides them and counts them; the level filter shows only what is at least that level', async () => {
  const probes = logs.getByRole('checkbox', { name: /Hide probes/ });
  await expect(probes).toBeChecked();
  await expect(logs.getByText('Hide probes (2)')).toBeVisible();
  await expect(list).not.toContainText('request completed');
  await probes.uncheck();
  await expect(rows().filter({ hasText: 'request completed' })).toHaveCount(2);
  await probes.check();
  await expect(list).not.toContainText('request completed');

  await logs.getByRole('combobox', { name: 'Level' }).selectOption('warn');
  await expect(list).toContainText('careful-line');
  await expect(list).not.toContainText('filler');
  await expect(list).not.toContainText('end-of-long');
  await logs.getByRole('combobox', { name: 'Level' }).selectOption('');
  await expect(list).toContainText('end-of-long');
});

test('Wrap off keeps a long line on one row that scrolls sideways; Wrap on wraps it onto more rows', async () => {
  const wrap = logs.getByRole('checkbox', { name: 'Wrap' });
  await expect(wrap).not.toBeChecked();
  const long = rows().filter({ hasText: 'end-of-long' });
  const shape = () =>
    long.evaluate((row) => {
      const box = row.closest('[role="log"]')!;
      return { rowHeight: row.getBoundingClientRect().height, sideways: box.scrollWidth > box.clientWidth + 1 };
    });
  expect(await shape()).toEqual({ rowHeight: 18, sideways: true });
  await wrap.check();
  await expect.poll(async () => (await shape()).rowHeight).toBeGreaterThan(18 * 3);
  expect((await shape()).sideways).toBe(false);
  // Still following: the newest line is in view.
  await expect(rows().filter({ hasText: 'end-of-long' })).toBeInViewport();
  await wrap.uncheck();
  await expect.poll(async () => (await shape()).rowHeight).toBe(18);
});

test('Find in logs highlights every match in the buffer, counts them, and ↑/↓ move between them, scrolling to each', async () => {
  const find = logs.getByRole('searchbox', { name: 'Find in logs' });
  await find.fill('FINDME');
  await expect(logs.getByText('3 matches', { exact: true })).toBeVisible();
  await logs.getByRole('button', { name: 'Next match' }).click();
  await expect(logs.getByText('1 of 3 matches', { exact: true })).toBeVisible();
  const active = list.locator('mark.active');
  await expect(active).toHaveText('findme');
  await expect(active).toBeInViewport();
  await expect(rows().filter({ has: page.locator('mark.active') })).toContainText('filler 250 findme');
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/logs-live-find.png` });
  await logs.getByRole('button', { name: 'Next match' }).click();
  await expect(logs.getByText('2 of 3 matches', { exact: true })).toBeVisible();
  await expect(rows().filter({ has: page.locator('mark.active') })).toContainText('filler 300 findme');
  await logs.getByRole('button', { name: 'Previous match' }).click();
  await logs.getByRole('button', { name: 'Previous match' }).click();
  await expect(logs.getByText('3 of 3 matches', { exact: true })).toBeVisible();
  await expect(rows().filter({ has: page.locator('mark.active') })).toContainText('filler 350 findme');
  await expect(active).toBeInViewport();
  // Finding scrolled up: the list stopped following, and says where the latest is.
  await logs.getByRole('button', { name: 'Jump to the latest line' }).click();
  await expect(rows().filter({ hasText: 'end-of-long' })).toBeInViewport();
  await expect(logs.getByRole('button', { name: 'Jump to the latest line' })).toHaveCount(0);
  await find.fill('');
  await expect(list.locator('mark')).toHaveCount(0);
});

test('Pause holds new lines and says how many came; showing them resumes and follows again', async () => {
  await logs.getByRole('button', { name: 'Pause' }).click();
  await expect(logs.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
  await expect(logs.getByRole('status').filter({ hasText: 'Paused' })).toBeAttached();
  docker('kill', '-s', 'USR1', instance);
  docker('kill', '-s', 'USR1', instance);
  const show = logs.getByRole('button', { name: '2 new lines — show' });
  await expect(show).toBeVisible({ timeout: 10_000 });
  await expect(list).not.toContainText('signal line');
  await show.click();
  await expect(rows().filter({ hasText: 'signal line 2' })).toBeInViewport();
  await expect(logs.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(logs.getByRole('status').filter({ hasText: 'Resumed' })).toBeAttached();
  docker('kill', '-s', 'USR1', instance);
  await expect(rows().filter({ hasText: 'signal line 3' })).toBeInViewport({ timeout: 10_000 });
});

test('Download writes the lines shown, as text and as NDJSON', async () => {
  const [text] = await Promise.all([page.waitForEvent('download'), logs.getByRole('button', { name: 'Download the lines shown as text' }).click()]);
  const body = readFileSync((await text.path())!, 'utf8');
  expect(body).toContain(`${instance} {"level":"warn","msg":"careful-line"}`);
  expect(body).not.toContain('/health'); // hidden probes are not shown, so not written
  const [nd] = await Promise.all([page.waitForEvent('download'), logs.getByRole('button', { name: 'Download the lines shown as NDJSON' }).click()]);
  const lines = readFileSync((await nd.path())!, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { instance: string; level: string; text: string });
  expect(lines.find((l) => l.text.includes('careful-line'))).toMatchObject({ instance, level: 'warn' });
});

test('one instance: its own lines without the prefix; Clear empties the view', async () => {
  await logs.getByRole('combobox', { name: 'Logs of' }).selectOption(instance);
  const one = logs.getByRole('log', { name: `Live logs of ${instance}` });
  await expect(one).toContainText('careful-line', { timeout: 15_000 });
  await expect(one.locator('.live-log-row').filter({ hasText: 'careful-line' })).toHaveText(/^\d\d:\d\d:\d\d\.\d{3} WRN careful-line$/);
  await logs.getByRole('button', { name: 'Clear' }).click();
  await expect(one.locator('.live-log-row')).toHaveCount(0);
  docker('kill', '-s', 'USR1', instance);
  await expect(one.locator('.live-log-row')).toHaveCount(1, { timeout: 10_000 });
  await logs.getByRole('combobox', { name: 'Logs of' }).selectOption('');
  await expect(list).toContainText('careful-line', { timeout: 15_000 });
});

test('Show in live tail, from a search hit: the live list starts at that line, highlighted, and goes on live', async () => {
  await logs.getByRole('button', { name: 'Search stored' }).click();
  const search = page.getByRole('region', { name: 'Search stored logs' });
  const query = search.getByRole('searchbox', { name: 'Search query' });
  const hits = search.getByRole('list', { name: 'Matching lines' }).getByRole('listitem');
  await expect(async () => {
    await query.fill(needle);
    await query.press('Enter');
    await expect(hits).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await hits
    .first()
    .getByRole('button', { name: /^Show in live tail/ })
    .click();
  await expect(logs.getByRole('button', { name: 'Live', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const target = list.locator('.live-log-row[aria-current="true"]');
  await expect(target).toContainText(`the ${needle} line`, { timeout: 15_000 });
  await expect(target).toBeInViewport();
  // The lines after it, from the store, then the live ones, each once.
  await expect(rows().filter({ hasText: /filler 1$/ })).toHaveCount(1);
  await expect(logs.getByRole('button', { name: 'Jump to the latest line' })).toBeVisible();
  docker('kill', '-s', 'USR1', instance);
  await logs.getByRole('button', { name: 'Jump to the latest line' }).click();
  await expect(rows().filter({ hasText: 'signal line 5' })).toBeInViewport({ timeout: 10_000 });
  await expect(rows().filter({ hasText: 'signal line 4' })).toHaveCount(1);
  await expect(rows().filter({ hasText: 'end-of-long' })).toHaveCount(1);
});

// Starts: one base-image container (its own project label) that writes a marked line, then 50,000
// more; serve keeps them in its log store. Removed at the end.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { docker, dockerUnavailable } from '../helpers/docker';
import { E2E_TOKEN } from './playwright.config';

const unavailable = dockerUnavailable();
const why = unavailable ? `${unavailable}; this test runs wherever a Docker engine answers` : undefined;
if (why) console.log(`[serve.log-search] skipped: ${why}`);
const project = `fdsearch${randomBytes(3).toString('hex')}`;
const instance = `${project}-chatty-1`;
const needle = `needle${randomBytes(4).toString('hex')}`;
// The marked line first, then 50,000 others, written as fast as the pipe takes them; then quiet.
const WRITER = `
const out = (s) => process.stdout.write(s + '\\n');
out(JSON.stringify({ level: 'warn', msg: 'the marked line ${needle} is here' }));
let i = 0;
const more = () => { while (i < 50000) { i++; if (!process.stdout.write(JSON.stringify({ level: 'info', msg: 'filler line ' + i }) + '\\n')) return process.stdout.once('drain', more); } out(JSON.stringify({ level: 'info', msg: 'all written' })); };
more();
setInterval(() => {}, 1 << 30);
`;

test.describe.configure({ mode: 'serial' });
test.skip(why !== undefined, why ?? '');

let page: Page;
test.beforeAll(async ({ browser }) => {
  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
  docker('run', '-d', '--name', instance, '--label', 'dev.fleetdeck.service=chatty', '--label', `dev.fleetdeck.project=${project}`, base, 'node', '-e', WRITER);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`/?token=${E2E_TOKEN}`);
});
test.afterAll(() => {
  if (!why) docker('rm', '-f', instance);
});

test('Search stored finds a line written 50,000 lines ago, highlighted, and shows the lines around it', async () => {
  await page
    .getByRole('table', { name: 'Services' })
    .getByRole('row', { name: new RegExp(`${project}/chatty`) })
    .click();
  const detail = page.getByRole('region', { name: `Service ${project}/chatty` });
  await detail.getByRole('tab', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: 'Logs' });
  // The live list follows to the last line; the search below is of the store.
  await expect(logs.getByRole('log', { name: `Live logs of ${project}/chatty` })).toContainText('all written', { timeout: 30_000 });
  await logs.getByRole('button', { name: 'Search stored' }).click();
  const search = page.getByRole('region', { name: 'Search stored logs' });
  await search.getByRole('searchbox', { name: 'Search query' }).fill(needle);
  await search.getByRole('searchbox', { name: 'Search query' }).press('Enter');
  const hits = search.getByRole('list', { name: 'Matching lines' }).getByRole('listitem');
  await expect(hits).toHaveCount(1, { timeout: 15_000 });
  await expect(hits.first().locator('mark')).toHaveText(needle);
  await expect(search.getByRole('status')).toContainText('1 line ·');
  // Its context: the lines written around it.
  await hits
    .first()
    .getByRole('button', { name: /^Lines around/ })
    .click();
  await expect(hits.first().getByRole('list', { name: 'Lines around it' })).toContainText('filler line 1');
  if (process.env.FLEETDECK_E2E_SHOTS) await page.screenshot({ path: `${process.env.FLEETDECK_E2E_SHOTS}/log-search.png` });
  // A malformed query says what is wrong, and searches nothing.
  await search.getByRole('searchbox', { name: 'Search query' }).fill('"unclosed');
  await expect(search.getByRole('alert')).toContainText(/quote/i);
  await expect(search.getByRole('button', { name: 'Search' })).toBeDisabled();
});

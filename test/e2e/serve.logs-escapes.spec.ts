// Starts: one container of the sample user-service image running a small logger (its own project label),
// which prints normal JSON lines, then on SIGUSR1 the JSON-escaped attacks; removed at the end.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { docker, dockerUnavailable } from '../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../helpers/sample-image';
import { E2E_TOKEN } from './playwright.config';

const unavailable = dockerUnavailable();
// Runs wherever a Docker engine answers (npm test starts one on Debian); says so when it cannot.
const why = unavailable ? `${unavailable}; this test runs wherever a Docker engine answers` : undefined;
if (why) console.log(`[serve.logs-escapes] skipped: ${why}`);
const project = `fdesc${randomBytes(3).toString('hex')}`;
const instance = `${project}-logger-1`;

// As a logger writes them: JSON, the escapes as \u001b and \r\n inside the strings.
const ATTACKS = [
  '{"level":"info","msg":"\\u001b]52;c;SlNPTkNMSVA=\\u0007\\u001b[2J\\u001b[HX"}',
  '{"level":"info","msg":"\\u001b]0;PWNED-TITLE\\u0007\\u001b]8;;http://127.0.0.1:9/\\u001b\\\\link\\u001b]8;;\\u001b\\\\ title and hyperlink"}',
  '{"msg":"a\\r\\n01:02:03.456 fleetdeck-prod-db-1 ERR FORGED-LINE"}',
];
const LOGGER = `
const out = (s) => process.stdout.write(s + '\\n');
for (let i = 1; i <= 3; i++) out(JSON.stringify({ level: 'info', msg: 'before-line-' + i }));
process.on('SIGUSR1', () => { for (const l of ${JSON.stringify(ATTACKS)}) out(l); out(JSON.stringify({ level: 'info', msg: 'after-line' })); });
setInterval(() => {}, 1 << 30);
`;

test.describe.configure({ mode: 'serial' });
test.skip(why !== undefined, why ?? '');

let page: Page;
test.beforeAll(async ({ browser }) => {
  await ensureUserImage();
  docker(
    'run',
    '-d',
    '--name',
    instance,
    '--label',
    'dev.fleetdeck.service=logger',
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--no-healthcheck',
    USER_IMAGE,
    'node',
    '-e',
    LOGGER,
  );
  // Wide enough that no line here wraps: a wrapped row is not what is being tested.
  page = await browser.newPage({ viewport: { width: 1900, height: 900 } });
  // Any clipboard write the page attempts is recorded.
  await page.addInitScript(() => {
    const w = window as unknown as { __clipboardWrites: string[] };
    w.__clipboardWrites = [];
    const c = navigator.clipboard as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined;
    for (const m of ['writeText', 'write']) {
      const orig = c?.[m]?.bind(c);
      if (c && orig) c[m] = (...a) => (w.__clipboardWrites.push(m), orig(...a));
    }
    document.addEventListener('copy', () => w.__clipboardWrites.push('copy'), true);
  });
  await page.goto(`/?token=${E2E_TOKEN}`);
});
test.afterAll(() => {
  if (!why) docker('rm', '-f', instance);
});

// The rows the live list draws (all of them here: a few lines, one screen).
const rowTexts = (page: Page) =>
  page
    .getByRole('log', { name: /^Live logs of/ })
    .locator('.live-log-row')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').trimEnd()));

test('escape sequences and line breaks inside JSON log lines neither clear the Logs tab, forge a line, nor touch the clipboard or title', async () => {
  const title = await page.title();
  await page
    .getByRole('table', { name: 'Services' })
    .getByRole('row', { name: new RegExp(`${project}/logger`) })
    .click();
  const detail = page.getByRole('region', { name: `Service ${project}/logger` });
  await detail.getByRole('tab', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: 'Logs' });
  const rows = logs.getByRole('log', { name: `Live logs of ${project}/logger` });
  await expect(logs).toContainText('Live', { timeout: 15_000 });
  await expect(rows).toContainText('before-line-3', { timeout: 10_000 });

  docker('kill', '-s', 'USR1', instance);
  await expect(rows).toContainText('after-line', { timeout: 10_000 });

  // The screen clear did nothing: the earlier lines are still in view.
  for (const n of [1, 2, 3]) await expect(rows).toContainText(`before-line-${n}`);
  const texts = await rowTexts(page);
  const forged = texts.filter((t) => t.includes('FORGED-LINE'));
  expect(forged, texts.join('\n')).toHaveLength(1);
  // It stays inside the line of the container that wrote it, after that container's name.
  expect(forged[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${instance} a↵01:02:03\\.456 fleetdeck-prod-db-1 ERR FORGED-LINE$`));
  expect(
    texts.filter((t) => /^01:02:03\.456 fleetdeck-prod-db-1/.test(t)),
    'no line of its own for the forged one',
  ).toHaveLength(0);
  expect(
    texts.some((t) => / INF X$/.test(t)),
    texts.join('\n'),
  ).toBe(true);
  expect(
    texts.some((t) => / INF link title and hyperlink$/.test(t)),
    texts.join('\n'),
  ).toBe(true);
  expect(texts.join('\n')).not.toMatch(/\]52;|PWNED-TITLE|SlNPTkNMSVA/);

  // Nothing from the container became markup: no links, no elements but the list's own spans and marks.
  expect(await rows.locator('a, img, iframe, script, [href], [src]').count()).toBe(0);
  expect(await page.title()).toBe(title);
  expect(await page.evaluate(() => (window as unknown as { __clipboardWrites: string[] }).__clipboardWrites)).toEqual([]);
});

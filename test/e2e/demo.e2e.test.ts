// @vitest-environment node
// The demo, built as users build it, served on localhost and driven in Debian's chromium through
// playwright-core: the walk a new user takes, with the backend's count of writes it received.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type ServedDemo, serveDemo } from './serveDemo.js';

let demo: ServedDemo | undefined;
let browser: Browser;
let url: string;

beforeAll(async () => {
  demo = await serveDemo('brownout-demo-');
  ({ browser, url } = demo);
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

// A fresh profile per test: its own sessionStorage (the mock backend), IndexedDB (cache, outbox), worker.
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  errors.length = 0;
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByText('€4.50').waitFor();
});
afterEach(async () => {
  await context.close();
  expect(errors).toEqual([]);
});

const chaos = (dependency: string, mode: string) =>
  page.getByRole('combobox', { name: dependency }).selectOption(mode);
const received = () =>
  page.evaluate(
    () =>
      (globalThis as unknown as { brownoutDemo: { state: { received: Record<string, number> } } })
        .brownoutDemo.state.received,
  );
const T = { timeout: 20_000 };

test('pricing down: the prices stay, from the cache, with their age; the banner says as of when', async () => {
  await chaos('pricing', 'down');
  const notice = page.locator('[data-freshness="stale"]');
  await notice.waitFor(T);
  expect(await notice.textContent()).toMatch(
    /Prices may be out of date: showing what was saved \d+ seconds? ago/,
  );
  expect(await page.getByText('€4.50').isVisible()).toBe(true);
  await page.getByRole('region', { name: /^Showing saved data from/ }).waitFor(T);
  expect(await page.getByText(/^Retrying in \d+ s$/).count()).toBe(1);
});

test('orders down: a write is queued, then sent once when orders is back, and the indicator clears', async () => {
  await chaos('orders', 'down');
  await page.getByRole('button', { name: 'Add Clay cup to cart' }).click();
  await page.getByText('1 change waiting to be sent').waitFor(T);
  await page.getByText('Saved — it will be sent when the shop is back.').waitFor(T);
  expect(await received()).toEqual({});
  await chaos('orders', 'healthy');
  await page.getByText('1 change waiting to be sent').waitFor({ state: 'detached', ...T });
  await page.getByText('1 item in your cart').waitFor(T);
  expect(Object.values(await received())).toEqual([1]);
});

test('a reload while a write is queued: it survives in IndexedDB and is still sent exactly once', async () => {
  await chaos('orders', 'down');
  await page.getByRole('button', { name: 'Add Cast-iron teapot to cart' }).click();
  await page.getByText('1 change waiting to be sent').waitFor(T);
  await page.reload();
  await page.getByText('€48.00').waitFor(T);
  await page.getByText('1 change waiting to be sent').waitFor(T);
  await chaos('orders', 'healthy');
  await page.getByText('1 item in your cart').waitFor(T);
  await page.getByText('1 change waiting to be sent').waitFor({ state: 'detached', ...T });
  expect(Object.values(await received())).toEqual([1]);
});

test('auth down: the maintenance screen, with a support code and no server text; back when auth is', async () => {
  await chaos('auth', 'down');
  const heading = page.getByRole('heading', { name: 'Sorry, there is a problem with the service' });
  await heading.waitFor(T);
  expect(await page.locator('.brownout-maintenance code').textContent()).toMatch(/^[0-9a-f]{32}$/);
  expect(await page.locator('.brownout-maintenance').textContent()).not.toMatch(/Service Unavailable/);
  await chaos('auth', 'healthy');
  await page.getByText('Signed in as Ada').waitFor({ timeout: 30_000 });
});

// The README's picture: the demo in a degraded state (pricing down → cached prices with their age,
// orders down → a write waiting), taken with playwright-core in Debian's chromium.
//   npm run demo            # in another terminal, then:
//   node scripts/demo-screenshot.mjs http://localhost:5173/ docs/demo-degraded.png
import { chromium } from 'playwright-core';

const [url = 'http://localhost:5173/', out = 'docs/demo-degraded.png'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.getByText('€4.50').waitFor();
  // Let the prices age a little, so the picture shows a real age (AGE_MS=65000 for "1 minute ago").
  await page.waitForTimeout(Number(process.env.AGE_MS ?? 0));
  await page.getByRole('combobox', { name: 'orders' }).selectOption('down');
  await page.getByRole('button', { name: 'Add Clay cup to cart' }).click();
  await page.getByText('1 change waiting to be sent').waitFor({ timeout: 20_000 });
  await page.getByRole('combobox', { name: 'pricing' }).selectOption('down');
  await page.locator('[data-freshness="stale"]').waitFor({ timeout: 20_000 });
  await page.locator('.brownout-queue summary').click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}

// Chromium's fetch to a same-origin local server: Debian's /usr/bin/chromium (headless, through
// playwright-core) loads a page from bench/server.ts whose bundle (bench/browserPage.ts, built here with
// esbuild: Brownout from the sources, cockatiel from node_modules) holds the shared contenders. Batches are
// interleaved in a random order per round, all together and pairwise with the bare fetch.
//
// Main-thread CPU per call: the DevTools protocol's Performance.getMetrics around each batch — the delta of
// TaskDuration with timeDomain 'threadTicks' (the renderer main thread's CPU time in tasks: script,
// microtasks, fetch's main-thread side, GC on that thread), divided by the calls. Chosen over a Profiler
// run because it adds nothing to the calls measured (a sampling profiler perturbs µs-scale work) and is
// CPU time, not wall time, on a shared machine. ThreadTime (all the main thread's CPU) is shown beside it.
// The network work happens in Chromium's network process and is in neither. The same contenders with an
// in-memory fetch give what each library's JavaScript costs without the network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { fmt, median, type SectionOptions, type SectionResult, table } from './harness.js';
import { type BatchCost, interleave, pairwise } from './interleave.js';
import { startServer } from './server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function run({ quick }: SectionOptions): Promise<SectionResult> {
  const n = quick ? 60 : 200;
  const rounds = quick ? 5 : 12;
  const dir = mkdtempSync(join(tmpdir(), 'brownout-bench-'));
  const bundle = join(dir, 'bundle.js');
  await build({
    entryPoints: ['bench/browserPage.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: bundle,
    logLevel: 'warning',
  });
  const server = await startServer({ bundle });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => (globalThis as { __bench?: unknown }).__bench !== undefined);
    const names = await page.evaluate(
      () => (globalThis as unknown as { __bench: { names: string[] } }).__bench.names,
    );
    const cdp = await page.context().newCDPSession(page);
    // threadTicks: durations in the main thread's CPU time, not wall time (a descheduled thread is not counted).
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await cdp.send('HeapProfiler.enable');
    const metrics = async (): Promise<Record<string, number>> => {
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((m) => [m.name, m.value]));
    };
    // Contenders 0–3 use the network, 4–7 are the same four on an in-memory fetch (bench/browserPage.ts).
    const thread: number[][] = [...names, ...names].map(() => []);
    const runBatch = async (index: number, count: number): Promise<BatchCost> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const before = await metrics();
      const us = await page.evaluate(
        ([i, k]) =>
          (
            globalThis as unknown as { __bench: { batch(i: number, n: number): Promise<number> } }
          ).__bench.batch(i!, k!),
        [index, count],
      );
      const after = await metrics();
      const delta = (key: string): number => (((after[key] ?? 0) - (before[key] ?? 0)) * 1e6) / count;
      thread[index]!.push(delta('ThreadTime'));
      return { us, cpuUs: delta('TaskDuration') };
    };
    const options = { n, rounds, seed: 13 };
    const net = [0, 1, 2, 3];
    const mem = [4, 5, 6, 7];
    const together = await interleave(runBatch, net, options);
    const pairs = await pairwise(runBatch, net, options);
    const memory = await interleave(runBatch, mem, { ...options, n: n * 4, seed: 17 });
    const threadUs = thread.map((xs) => median(xs));
    const rows = names.map((name, i) => [
      name,
      fmt(together[i]!.cpuUs, 0),
      i === 0 ? '—' : `+${fmt(together[i]!.cpuUs - together[0]!.cpuUs, 0)}`,
      fmt(together[i]!.cpuRatio),
      i === 0 ? '1' : fmt(pairs[i - 1]!.cpuRatio),
      fmt(threadUs[i]!, 0),
      fmt(together[i]!.us, 0),
      fmt(together[i]!.ratio),
      i === 0 ? '1' : fmt(pairs[i - 1]!.ratio),
    ]);
    const memoryRows = names.map((name, i) => [
      name,
      fmt(memory[i]!.cpuUs, 1),
      i === 0 ? '—' : `+${fmt(memory[i]!.cpuUs - memory[0]!.cpuUs, 1)}`,
      fmt(memory[i]!.cpuRatio),
      fmt(memory[i]!.us, 1),
    ]);
    const version = browser.version();
    const markdown = [
      `## 4. Chromium's fetch to a same-origin local server (Chromium ${version}, ${rounds} rounds × ${n} calls, interleaved)`,
      '',
      table(
        [
          'client',
          'main-thread CPU µs/call',
          'added to bare',
          'main × bare (all)',
          'main × bare (pairwise)',
          'main thread, all work µs',
          'wall µs/call',
          'wall × bare (all)',
          'wall × bare (pairwise)',
        ],
        rows,
      ),
      '',
      'Main-thread CPU µs: the delta of CDP Performance.getMetrics TaskDuration around each batch ÷ its calls',
      "(Performance.enable with timeDomain 'threadTicks': the main thread's CPU time in tasks; the median batch).",
      '"All work" is the ThreadTime delta (the main thread\'s CPU time, in tasks or not). Fetch\'s network side',
      "runs in Chromium's network process and is in neither. The page is built with esbuild (minified,",
      'NODE_ENV production) and calls a GET of a small JSON body, read as text; a GC is forced before every',
      'batch. Headless Debian Chromium (--no-sandbox --disable-gpu …) on a shared VM: a bare fetch costs this',
      'machine far more main-thread time than a desktop does, so read the "added" column and the ratios.',
      '',
      `The same four with an in-memory fetch (\`new Response(…)\` at once; ${rounds} rounds × ${n * 4} calls, interleaved):`,
      'what their JavaScript costs on the main thread without the network.',
      '',
      table(['client', 'main-thread CPU µs/call', 'added to bare', '× bare', 'wall µs/call'], memoryRows),
      '',
      `Target (issue 12): Brownout ≤ 75 µs of main-thread CPU per call — this run: createClient ${fmt(
        together[1]!.cpuUs,
        0,
      )} µs (bare ${fmt(together[0]!.cpuUs, 0)} µs: +${fmt(together[1]!.cpuUs - together[0]!.cpuUs, 0)}), cockatiel configured equivalently ${fmt(
        together[3]!.cpuUs,
        0,
      )} µs; in memory createClient ${fmt(memory[1]!.cpuUs, 1)} µs, bare ${fmt(memory[0]!.cpuUs, 1)} µs.`,
    ].join('\n');
    const by = <T>(xs: readonly T[], offset = 0) => ({
      bare: offset === 0 ? xs[0] : undefined,
      brownout: xs[1 - offset],
      brownoutCore: xs[2 - offset],
      cockatiel: xs[3 - offset],
    });
    return {
      markdown,
      json: {
        chromiumUsPerCall: by(together.map((s) => s.cpuUs)),
        chromiumThreadUsPerCall: by(threadUs),
        chromiumMainThreadVsBare: by(together.map((s) => s.cpuRatio)),
        chromiumMainThreadPairwiseVsBare: by(
          pairs.map((s) => s.cpuRatio),
          1,
        ),
        chromiumWallVsBare: by(together.map((s) => s.ratio)),
        chromiumWallPairwiseVsBare: by(
          pairs.map((s) => s.ratio),
          1,
        ),
        chromiumInMemoryUsPerCall: by(memory.map((s) => s.cpuUs)),
        chromiumVersion: version,
      },
      checks: [],
    };
  } finally {
    await browser?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

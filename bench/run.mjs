// npm run bench [-- --quick] [-- --only=overhead,chromium]: eight sections side by side with the anchors
// (cockatiel, opossum, ky, p-retry, axios + axios-retry, TanStack query-core), printed as markdown tables,
// written to bench/results/latest.json, and (full runs without --only) to docs/BENCHMARKS.md: sizes
// (realistic imports and entries), per-call cost in memory, Node's fetch to a loopback server, Chromium's
// fetch to a same-origin server (main-thread CPU), retry storm, outage load, React renders, soak.
//
// Sizes are measured here; every other section is a TypeScript file bundled with esbuild and run in its
// own Node process, so one section's JIT state, heap and globals (jsdom, patched timers) never touch
// another's numbers. The exit code is non-zero only when a budget is broken (sizes, listeners, timers,
// render counts, outage ratios) or a section crashes — never because of a timing: these machines are
// shared and noisy, so times are reported as ratios against a baseline of the same run, not asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  BUDGETS,
  bundleSize,
  measureBrownout,
  measureRealistic,
  PEERS,
  TARGETS,
} from '../scripts/size-budget.mjs';

const quick = process.argv.includes('--quick');
// --only=a,b runs those sections (and the sizes) and leaves docs/BENCHMARKS.md alone: for working on one.
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const started = performance.now();
const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
const table = (columns, rows) =>
  [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;

const checks = [];
const sections = [];
const json = {};
const print = (markdown) => {
  sections.push(markdown);
  console.log(`\n${markdown}\n`);
};

// 1. Bundle sizes --------------------------------------------------------------------------------------
const anchors = [
  {
    label: 'cockatiel: wrap(retry, circuitBreaker, timeout)',
    contents: `import { ConsecutiveBreaker, circuitBreaker, ExponentialBackoff, handleAll, retry, TimeoutStrategy, timeout, wrap } from 'cockatiel';
export const policy = wrap(retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
  timeout(3_000, TimeoutStrategy.Cooperative));`,
  },
  {
    label: 'ky: ky.create({ retry, timeout })',
    contents: "import ky from 'ky'; export const api = ky.create({ retry: 3, timeout: 3_000 });",
  },
  {
    // opossum imports Node's `events`, which esbuild (like Vite) does not polyfill for the browser: its
    // own browser build (dist/opossum.min.js, an events polyfill inside) is what a web app can load.
    label: 'opossum: its browser build, dist/opossum.min.js',
    file: 'node_modules/opossum/dist/opossum.min.js',
  },
  {
    label: 'p-retry: pRetry(fn, { retries })',
    contents: "import pRetry from 'p-retry'; export const call = (fn) => pRetry(fn, { retries: 3 });",
  },
  {
    label: 'axios + axios-retry',
    contents: `import axios from 'axios'; import axiosRetry from 'axios-retry';
export const api = axios.create({ timeout: 3_000 }); axiosRetry(api, { retries: 3, retryDelay: axiosRetry.exponentialDelay });`,
  },
  {
    label: '@tanstack/query-core: QueryClient (retries built in)',
    contents: "export { QueryClient } from '@tanstack/query-core';",
    external: PEERS.filter((p) => p !== '@tanstack/query-core'),
  },
];
const fileSize = (path) => {
  const code = readFileSync(path);
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
  };
};
const brownout = await measureBrownout();
const realistic = await measureRealistic();
const sizeRow = (s) => [
  s.label,
  kB(s.min),
  kB(s.gzip),
  kB(s.brotli),
  `${kB(BUDGETS[s.key])}${TARGETS[s.key] ? ` (target ${kB(TARGETS[s.key])})` : ''}`,
];
const realisticRows = realistic.map(sizeRow);
const sizeRows = brownout.map((s) => [
  s.label,
  kB(s.min),
  kB(s.gzip),
  kB(s.brotli),
  `${kB(BUDGETS[s.key])}${TARGETS[s.key] ? ` (target ${kB(TARGETS[s.key])})` : ''}`,
]);
const anchorSizes = {};
for (const a of anchors) {
  try {
    const s = a.file
      ? fileSize(a.file)
      : await bundleSize(a.contents, {
          name: a.label,
          ...(a.external ? { external: a.external } : {}),
        });
    anchorSizes[a.label] = s;
    sizeRows.push([a.label, kB(s.min), kB(s.gzip), kB(s.brotli), '—']);
  } catch (e) {
    sizeRows.push([
      a.label,
      `does not bundle for the browser: ${String(e.message).split('\n')[0]}`,
      '',
      '',
      '',
    ]);
  }
}
for (const s of [...brownout, ...realistic]) {
  checks.push({
    name: `size: ${s.key} ≤ ${BUDGETS[s.key]} B gzip`,
    ok: s.gzip <= BUDGETS[s.key],
    detail: `${s.gzip} B`,
  });
}
const sizeOf = (key) => [...brownout, ...realistic].find((s) => s.key === key);
json.bundle = {
  // What an app pays (REALISTIC in scripts/size-budget.mjs): `kitGzip` is the app using the kit's three
  // components with a queued-writes client; the whole-kit entry (everything exported) is `wholeKitGzip`.
  readOnlyClientGzip: sizeOf('readOnlyClient').gzip,
  queuedWritesClientGzip: sizeOf('queuedWritesClient').gzip,
  kitGzip: sizeOf('kitApp').gzip,
  queryAdapterGzip: sizeOf('queryAdapter').gzip,
  coreGzip: sizeOf('core').gzip,
  clientGzip: sizeOf('client').gzip,
  reactGzip: sizeOf('react').gzip,
  queryGzip: sizeOf('query').gzip,
  wholeKitGzip: sizeOf('kit').gzip,
  realistic: Object.fromEntries(
    realistic.map((s) => [s.key, { min: s.min, gzip: s.gzip, brotli: s.brotli }]),
  ),
  brownout: Object.fromEntries(brownout.map((s) => [s.key, { min: s.min, gzip: s.gzip, brotli: s.brotli }])),
  anchors: anchorSizes,
  budgets: BUDGETS,
  targets: TARGETS,
};
print(
  [
    '## 1. Bundle size (esbuild --bundle --minify --format=esm --platform=browser)',
    '',
    'What an app pays: a small app module per case, importing `brownout` (resolved to the sources as',
    "package.json's exports name them) and exporting what it uses, so nothing it needs is shaken out.",
    '',
    table(['realistic import', 'min', 'gzip', 'brotli', 'budget (gzip)'], realisticRows),
    '',
    'The entries whole (every export kept), beside the anchors as they are typically imported:',
    '',
    table(['bundle', 'min', 'gzip', 'brotli', 'budget (gzip)'], sizeRows),
    '',
    `Peers are external (${PEERS.join(', ')}); Brownout's own dependencies (zustand, idb-keyval) are bundled,`,
    "as are the anchors' (axios's, for instance). Budgets are enforced by `npm test` (scripts/size-budget.mjs).",
  ].join('\n'),
);

// 2–6. Sections in their own processes ------------------------------------------------------------------
const SECTIONS = [
  { name: 'overhead', file: 'overhead.ts', node: ['--expose-gc'] },
  // Their numbers join `overhead` in latest.json (overhead.nodeLoopbackVsBare, overhead.chromiumUsPerCall).
  { name: 'loopback', file: 'loopback.ts', node: ['--expose-gc'], into: 'overhead' },
  { name: 'chromium', file: 'chromium.ts', into: 'overhead' },
  { name: 'storm', file: 'storm.ts' },
  { name: 'outage', file: 'outage.ts' },
  { name: 'renders', file: 'renders.tsx' },
  { name: 'soak', file: 'soak.ts', node: ['--expose-gc'] },
];
mkdirSync('bench/.out', { recursive: true });
const timings = {};
for (const section of SECTIONS.filter((s) => !only || only.includes(s.name))) {
  const entry = `bench/.out/${section.name}.mjs`;
  const resultFile = `bench/.out/${section.name}.json`;
  rmSync(resultFile, { force: true });
  await build({
    stdin: {
      contents: `import { writeFileSync } from 'node:fs';
import { run } from './bench/${section.file}';
const result = await run({ quick: process.env.BENCH_QUICK === '1' });
writeFileSync(process.env.BENCH_OUT, JSON.stringify(result));
process.exit(0);`,
      resolveDir: process.cwd(),
      loader: 'ts',
      sourcefile: `${section.name}-entry.ts`,
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    // Anchors, React and jsdom load from node_modules as an app would; only our sources are bundled.
    packages: 'external',
    outfile: entry,
    logLevel: 'warning',
  });
  const t = performance.now();
  const child = spawnSync(process.execPath, [...(section.node ?? []), entry], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, BENCH_QUICK: quick ? '1' : '0', BENCH_OUT: resultFile },
  });
  timings[section.name] = Math.round(performance.now() - t);
  if (child.status !== 0 || !existsSync(resultFile)) {
    checks.push({ name: `${section.name}: section ran`, ok: false, detail: `exit ${child.status}` });
    print(`## ${section.name}\n\nThe section crashed (exit ${child.status}); see the output above.`);
    continue;
  }
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  if (section.into) json[section.into] = { ...json[section.into], ...result.json };
  else json[section.name] = { ...result.json, ...json[section.name] };
  checks.push(...result.checks);
  print(result.markdown);
}
rmSync('bench/.out', { recursive: true, force: true });

// The results file, the checks, the docs ----------------------------------------------------------------
const cpus = os.cpus();
json.storm = json.storm?.storm ?? json.storm;
json.machine = {
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  cpu: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
};
json.versions = Object.fromEntries(
  [
    'cockatiel',
    'opossum',
    'ky',
    'p-retry',
    'axios',
    'axios-retry',
    '@tanstack/query-core',
    'zustand',
    'react',
    'react-dom',
    'jsdom',
    'esbuild',
  ].map((n) => [n, version(n)]),
);
json.date = new Date().toISOString();
json.quick = quick;
json.sectionMs = timings;
json.checks = checks;

// The issue's targets, met or not, with the reason when not (the reasons are what this run showed).
const o = json.overhead ?? {};
const st = Array.isArray(json.storm) ? json.storm : [];
const out = json.outage ?? {};
const rd = json.renders ?? {};
const sk = json.soak ?? {};
const yes = (ok) => (ok === undefined ? '—' : ok ? 'met' : '**missed**');
const has = (x) => typeof x === 'number' && Number.isFinite(x);
const x2 = (x) => (has(x) ? `${x.toFixed(2)}×` : '—');
const ran = (v, test) => (has(v) ? test(v) : undefined);
const b = json.bundle;
const chromiumUs = o.chromiumUsPerCall ?? {};
const loop = o.nodeLoopbackVsBare ?? {};
const targetRows = [
  [
    'read-only app (createClient, one dependency) ≤ 8 kB gzip',
    kB(b.readOnlyClientGzip),
    yes(b.readOnlyClientGzip <= TARGETS.readOnlyClient),
    `what a user pays whatever the configuration: queued writes ${kB(b.queuedWritesClientGzip)}, the kit's three components ${kB(b.kitGzip)}, the query adapter ${kB(b.queryAdapterGzip)}`,
  ],
  [
    'core ≤ 5 kB gzip (issue 8)',
    kB(b.coreGzip),
    yes(b.coreGzip <= TARGETS.core),
    "cockatiel's typical import is 3.7 kB for three policies",
  ],
  [
    'in memory: Brownout ≤ cockatiel configured equivalently (same run)',
    `${x2(o.brownoutVsBare)} (core ${x2(o.brownoutCoreVsBare)}; cockatiel ${x2(o.cockatielEquivalentVsBare)})`,
    yes(ran(o.brownoutVsBare, (v) => v <= o.cockatielEquivalentVsBare)),
    'createClient against bare; a timing, reported and not enforced',
  ],
  [
    'Node loopback: Brownout ≤ 1.25× bare',
    `${x2(loop.brownout)} (core ${x2(loop.brownoutCore)}; cockatiel ${x2(loop.cockatiel)})`,
    yes(ran(loop.brownout, (v) => v <= 1.25)),
    'wall time, all contenders interleaved; the pairwise and CPU ratios are in section 3',
  ],
  [
    'Chromium: Brownout ≤ 75 µs main-thread CPU per call',
    has(chromiumUs.brownout)
      ? `${chromiumUs.brownout.toFixed(0)} µs (bare ${chromiumUs.bare.toFixed(0)}, cockatiel ${chromiumUs.cockatiel.toFixed(0)})`
      : '—',
    yes(ran(chromiumUs.brownout, (v) => v <= 75)),
    'on this VM a bare fetch alone costs more than that: section 4\'s "added to bare" column is Brownout\'s share',
  ],
  [
    'storm: Brownout calls ≤ full jitter at every N',
    st.map((r) => (r.brownoutCalls / r.fullJitterCalls).toFixed(2)).join(' / ') || '—',
    yes(st.length ? st.every((r) => r.brownoutCalls <= r.fullJitterCalls * 1.01) : undefined),
    'same formula (full jitter): equal within seeded noise (≤ 1 %)',
  ],
  [
    'outage: ≈ 0 after the breaker opens (probes only)',
    x2(out.brownoutAfterOpenRatio),
    yes(ran(out.brownoutAfterOpenRatio, (v) => v <= 0.05)),
    '',
  ],
  [
    'outage: one probe per client per open period',
    String(out.probesPerOpenPeriod ?? '—'),
    yes(out.probesPerOpenPeriod === undefined ? undefined : out.probesPerOpenPeriod === 1),
    '',
  ],
  [
    'renders: one dependency change → 1 component',
    String(rd.perDependencyChange ?? '—'),
    yes(rd.perDependencyChange === undefined ? undefined : rd.perDependencyChange === 1),
    '',
  ],
  [
    'soak: heap growth < 1 MB',
    has(sk.heapGrowthBytes) ? `${(sk.heapGrowthBytes / 1024).toFixed(0)} kB` : '—',
    yes(ran(sk.heapGrowthBytes, (v) => v < 1024 * 1024)),
    '',
  ],
  [
    'soak: distinct URLs, time per 1 000 calls at 20 000 keys ÷ at 1 000 ≈ 1 (O(1) per call)',
    has(sk.distinctUrls?.growth)
      ? `${sk.distinctUrls.growth.toFixed(2)} (${sk.distinctUrls.freshnessKeys} keys kept)`
      : '—',
    // Reported, not enforced (a timing): ≤ 1.5 reads as flat on a shared machine.
    yes(ran(sk.distinctUrls?.growth, (v) => v <= 1.5)),
    'at most store.maxFreshness keys',
  ],
];
print(
  `## Targets (issue 12; timings reported, never enforced)\n\n${table(['target', 'this run', '', 'why, when missed'], targetRows)}`,
);

const failed = checks.filter((c) => !c.ok);
const checkTable = table(
  ['budget', 'result', ''],
  checks.map((c) => [c.name, c.detail, c.ok ? 'ok' : '**BROKEN**']),
);
print(`## Budgets checked by this run\n\n${checkTable}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(json, null, 2)}\n`);

const totalS = ((performance.now() - started) / 1000).toFixed(0);
if (!quick && !only) {
  const machine = json.machine;
  const header = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.mjs); do not edit by hand — run it again. Brownout and the',
    'libraries people compare it with, measured on the same machine in the same run. The machine is shared',
    'and noisy: compare ratios (each against a baseline measured in the same run), not absolute times.',
    '',
    `- date: ${json.date}`,
    `- machine: ${machine.os}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGB} GB, load average at the end ${machine.loadAverage.join(' / ')}`,
    `- node: ${machine.node}`,
    `- versions: ${Object.entries(json.versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`,
    `- run time: ${totalS} s (${Object.entries(timings)
      .map(([n, ms]) => `${n} ${(ms / 1000).toFixed(0)} s`)
      .join(', ')}, sizes the rest)`,
    '',
    'Raw numbers: bench/results/latest.json (not committed).',
  ].join('\n');
  writeFileSync('docs/BENCHMARKS.md', `${header}\n\n${sections.join('\n\n')}\n`);
}
console.log(
  `written: bench/results/latest.json${quick || only ? '' : ', docs/BENCHMARKS.md'} (${totalS} s)${
    failed.length ? `\n${failed.length} budget(s) broken: ${failed.map((c) => c.name).join('; ')}` : ''
  }`,
);
process.exit(failed.length ? 1 : 0);

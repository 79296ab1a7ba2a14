// npm run bench: sizes and overheads, printed as markdown tables and written to bench/results/latest.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const bundle = async (contents, name) => {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external: [
      'react',
      'react-dom',
      'react/jsx-runtime',
      '@tanstack/query-core',
      'msw',
      'zustand',
      'zustand/vanilla',
    ],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    name,
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
  };
};

const sizes = [
  await bundle(
    "export { createCoreClient } from './src/core/index.ts';",
    'core client (deadlines, retry, budget, breaker, bulkhead, problem details, trace, metrics)',
  ),
  await bundle(
    "export { createClient } from './src/index.ts';",
    'createClient (core + memory cache + store; zustand external)',
  ),
  await bundle("export * from './src/index.ts';", 'brownout (every root export)'),
  await bundle("export * from './src/entries/react.ts';", 'brownout/react'),
  await bundle("export * from './src/query/index.ts';", 'brownout/query'),
];

const table = (rows, columns) =>
  [
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${columns.map((c) => r[c]).join(' | ')} |`),
  ].join('\n');

console.log('\n## Bundle size (esbuild --bundle --minify --format=esm, peers external)\n');
console.log(
  table(
    sizes.map((s) => ({
      ...s,
      min: `${(s.min / 1024).toFixed(1)} kB`,
      gzip: `${(s.gzip / 1024).toFixed(2)} kB`,
      brotli: `${(s.brotli / 1024).toFixed(2)} kB`,
    })),
    ['name', 'min', 'gzip', 'brotli'],
  ),
);

mkdirSync('bench/.out', { recursive: true });
await build({
  entryPoints: ['bench/overhead.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: 'bench/.out/overhead.mjs',
  logLevel: 'silent',
});
const { run } = await import(`${process.cwd()}/bench/.out/overhead.mjs`);
const overhead = await run();
rmSync('bench/.out', { recursive: true, force: true });
delete overhead.sink;
console.log('\n## Per-call overhead, success path (median of 7 rounds; ratios are what to compare)\n');
console.log(
  table(
    Object.entries(overhead).map(([k, v]) => ({
      measure: k,
      value: typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v,
    })),
    ['measure', 'value'],
  ),
);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, sizes, overhead }, null, 2)}\n`,
);
console.log('\nwritten: bench/results/latest.json');

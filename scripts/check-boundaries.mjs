// Fails when an import points up the layers of docs/ARCHITECTURE.md, when src/core reaches for a framework or the
// DOM, or when time and chance are used directly outside the clock and random modules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = process.argv[2] ?? 'src';
// Which project layers each layer may import (docs/ARCHITECTURE.md: imports point down, never up).
const ALLOWED = {
  core: [],
  cache: ['core'],
  outbox: ['core', 'cache'],
  store: ['core', 'cache', 'outbox'],
  client: ['core', 'cache', 'outbox', 'store'],
  query: ['core', 'cache', 'outbox', 'store', 'client'],
  react: ['core', 'cache', 'outbox', 'store', 'client'],
  ui: ['core', 'outbox', 'store', 'client', 'react'],
  msw: [],
  entries: ['core', 'cache', 'outbox', 'store', 'client', 'query', 'react', 'ui', 'msw'],
  '.': ['core', 'cache', 'outbox', 'store', 'client'],
};
// Packages a layer may import.
const PACKAGES = {
  core: [],
  cache: ['idb-keyval'],
  outbox: ['idb-keyval'],
  store: ['zustand'],
  client: [],
  query: ['@tanstack/query-core'],
  react: ['react', 'react-dom', 'zustand'],
  ui: ['react', 'react-dom'],
  msw: ['msw'],
  entries: [],
  '.': [],
};
// The package's entries (package.json "exports"): explicit export lists only.
const ENTRIES = ['index.ts', 'entries/react.ts', 'query/index.ts', 'msw/index.ts'];
const DOM_IN_CORE = /(?:^|[^.\w])(window|document|localStorage|sessionStorage|indexedDB|navigator)\b\s*[.[]/;
const DIRECT_TIME = /\b(Date\.now|Math\.random)\(|(^|[^.\w])(setTimeout|setInterval)\(/;

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|tsx)$/.test(name)) files.push(path);
  }
};
walk(SRC);

const problems = [];
const layerOf = (file) => {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '.' : parts[0];
};
for (const file of files) {
  const layer = layerOf(file);
  const text = readFileSync(file, 'utf8');
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) {
      const target = layerOf(join(file, '..', spec));
      if (target !== layer && !(ALLOWED[layer] ?? []).includes(target)) {
        problems.push(`${file}: imports ${spec} (layer "${target}"), which "${layer}" may not import`);
      }
    } else if (!spec.startsWith('node:')) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!(PACKAGES[layer] ?? []).includes(pkg)) {
        problems.push(`${file}: imports the package "${spec}", which "${layer}" may not import`);
      }
    } else problems.push(`${file}: imports ${spec}: the library runs in browsers`);
  }
  // An entry is a chosen list: `export *` would publish whatever a layer's barrel holds, internals too.
  if (ENTRIES.includes(relative(SRC, file).split(sep).join('/')) && /export\s+\*/.test(code)) {
    problems.push(`${file}: an entry re-exports with \`export *\`: list the public names one by one`);
  }
  if (layer === 'core' && DOM_IN_CORE.test(code)) {
    problems.push(`${file}: src/core touches the DOM or storage (${code.match(DOM_IN_CORE)[0]})`);
  }
  if (!/core[\\/](clock|random)\.ts$/.test(file) && DIRECT_TIME.test(code)) {
    problems.push(
      `${file}: uses time or chance directly (${code.match(DIRECT_TIME)[0].trim()}): go through Clock and Random`,
    );
  }
}
if (problems.length) {
  console.error(`Layer check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Layer check: ${files.length} files, imports point down.`);

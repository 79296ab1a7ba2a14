// @vitest-environment node
// `brownout/msw` is its own small module: exports by name, nothing of Brownout, no DOM at import time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '../../src/msw');

test('exports exactly the documented names', async () => {
  const mod = await import('../../src/msw/index.js');
  expect(Object.keys(mod).sort()).toEqual([
    'CHAOS_MODES',
    'createChaos',
    'flaky',
    'htmlErrorPage',
    'latency',
    'malformedProblem',
    'mulberry32',
    'networkError',
    'outage',
    'problemResponse',
    'rateLimited',
    'scenarios',
    'sequence',
    'stalledBody',
    'toResponse',
  ]);
});

test("the module's table names every value export", async () => {
  const mod = await import('../../src/msw/index.js');
  const doc = readFileSync(join(DIR, 'index.ts'), 'utf8');
  for (const name of Object.keys(mod)) expect(doc, name).toContain(`| \`${name}\``);
});

test('imports only msw and its own files, and names no browser global', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(join(DIR, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [, spec] of code.matchAll(/from\s+'([^']+)'/g)) {
      expect(spec, file).toMatch(/^(msw|\.\/[\w]+\.js)$/);
    }
    expect(code, file).not.toMatch(/\b(window|document|localStorage|navigator)\./);
  }
});

test('every export has TSDoc with an @example', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
    const code = readFileSync(join(DIR, file), 'utf8');
    for (const m of code.matchAll(/export (?:const|function|interface|type) (\w+)/g)) {
      const before = code.slice(0, m.index);
      const doc = before.slice(before.lastIndexOf('/**'));
      expect(doc.includes('*/') && doc.trimEnd().endsWith('*/'), `${file}: ${m[1]} has TSDoc`).toBe(true);
      expect(doc, `${file}: ${m[1]} has an @example`).toContain('@example');
    }
  }
});

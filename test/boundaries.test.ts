// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const run = (dir: string): { code: number; output: string } => {
  try {
    const output = execFileSync('node', ['scripts/check-boundaries.mjs', dir], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, output: err.stderr };
  }
};

const fixture = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'brownout-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};

describe('the layer check', () => {
  test('passes on the real source tree', () => {
    expect(run('src')).toMatchObject({ code: 0 });
  });

  test.each([
    ['core importing React', { 'core/a.ts': "import { useState } from 'react';" }, 'package "react"'],
    [
      'core importing zustand',
      { 'core/a.ts': "import { createStore } from 'zustand/vanilla';" },
      'package "zustand/vanilla"',
    ],
    [
      'core importing query-core',
      { 'core/a.ts': "import type { QueryKey } from '@tanstack/query-core';" },
      'query-core',
    ],
    [
      'core importing a higher layer',
      { 'core/a.ts': "import { x } from '../store/x.js';", 'store/x.ts': '' },
      'layer "store"',
    ],
    [
      'core touching storage',
      { 'core/a.ts': "export const f = () => localStorage.getItem('k');" },
      'localStorage',
    ],
    ['core touching window', { 'core/a.ts': 'export const f = () => window.location;' }, 'window'],
    [
      'react importing query',
      { 'react/a.ts': "import { q } from '../query/q.js';", 'query/q.ts': '' },
      'layer "query"',
    ],
    [
      'msw importing core',
      { 'msw/a.ts': "import { createClient } from '../core/index.js';" },
      'layer "core"',
    ],
    ['Date.now outside the clock', { 'ui/a.ts': 'export const t = () => Date.now();' }, 'Date.now('],
    ['setTimeout outside the clock', { 'store/a.ts': 'setTimeout(() => {}, 1);' }, 'setTimeout('],
  ])('fails on %s', (_name, files, message) => {
    const root = fixture(files);
    try {
      const result = run(root);
      expect(result.code).toBe(1);
      expect(result.output).toContain(message);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('allows time in the clock module itself', () => {
    const root = fixture({ 'core/clock.ts': 'export const now = () => Date.now();' });
    try {
      expect(run(root).code).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

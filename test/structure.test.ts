// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as root from '../src/index.js';

const readme = readFileSync('README.md', 'utf8');
const rootTable = readme.slice(readme.indexOf('### Everything `brownout` exports'));

describe('the public surface', () => {
  test('the root entry exports at most 35 values, each in the README table of the root entry', () => {
    const values = Object.keys(root);
    expect(values.length).toBeLessThanOrEqual(35);
    const missing = values.filter((name) => !rootTable.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  test('no internal reaches the root entry', () => {
    for (const internal of [
      'Emitter',
      'RetryBudget',
      'readBounded',
      'safeJsonParse',
      'withBaseUrl',
      'Outbox',
    ]) {
      expect(root).not.toHaveProperty(internal);
    }
  });
});

describe('the size of the code', () => {
  test('no function in src/ is over 120 lines, no pipeline step file over 150 (scripts/largest-function.mjs)', () => {
    expect(() => execFileSync('node', ['scripts/largest-function.mjs'], { stdio: 'pipe' })).not.toThrow();
  });
});

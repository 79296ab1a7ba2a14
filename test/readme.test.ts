// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';

// The README's code is the examples folder, which `tsc` type-checks: keep the two in step.
test('every code block of the README is a type-checked example, verbatim', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```tsx?\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const examples = readdirSync('examples').map((f) => readFileSync(`examples/${f}`, 'utf8'));
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  for (const block of blocks) expect(examples).toContain(block);
});

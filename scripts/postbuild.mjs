// After `vite build` and `tsc -p tsconfig.build.json`: the stylesheet and its typing, and the CommonJS
// typings. Every dist/**/*.d.ts gets a .d.cts twin whose relative imports name .cjs files, so a
// `require('brownout')` typechecks as CommonJS (node16/nodenext) against dist/**/*.cjs, and
// `import 'brownout/styles.css'` typechecks outside Vite (TypeScript 6+ checks side-effect imports).
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
copyFileSync(fileURLToPath(new URL('../src/ui/styles.css', import.meta.url)), join(dist, 'styles.css'));
writeFileSync(
  join(dist, 'styles.css.d.ts'),
  '// brownout/styles.css: a stylesheet, imported for its effect.\nexport {};\n',
);

let twins = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file === 'styles.css.d.ts') continue;
  const text = readFileSync(join(dist, file), 'utf8').replace(
    /(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.js\2/g,
    (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`,
  );
  writeFileSync(join(dist, file.replace(/\.d\.ts$/, '.d.cts')), text);
  twins++;
}
console.log(`postbuild: styles.css + styles.css.d.ts, ${twins} .d.cts typings`);

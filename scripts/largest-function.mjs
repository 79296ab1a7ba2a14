// Prints the largest functions in src/ by lines (function declarations, methods, arrows, function
// expressions), and the longest files of the call pipeline; exits non-zero when a function is over
// MAX_FUNCTION_LINES or a step file over MAX_STEP_LINES. `node scripts/largest-function.mjs [--top N]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 120;
export const MAX_STEP_LINES = 150;
const SRC = 'src';
const STEPS = 'src/core/pipeline';

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|tsx)$/.test(name)) files.push(path);
  }
};
walk(SRC);

const functions = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isGetAccessor(node) ||
      ts.isConstructorDeclaration(node)
    ) {
      const start = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - start + 1;
      const named =
        node.name?.getText(source) ??
        (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(source) : '(anonymous)');
      functions.push({ file, line: start, name: named, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
functions.sort((a, b) => b.lines - a.lines);
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 5;
console.log(`Largest functions in ${SRC}/ (limit ${MAX_FUNCTION_LINES} lines):`);
for (const f of functions.slice(0, top))
  console.log(`  ${String(f.lines).padStart(4)}  ${f.name}  ${f.file}:${f.line}`);
const steps = files
  .filter((f) => f.startsWith(STEPS))
  .map((f) => ({ file: f, lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
  .sort((a, b) => b.lines - a.lines);
console.log(`Pipeline step files (limit ${MAX_STEP_LINES} lines):`);
for (const s of steps) console.log(`  ${String(s.lines).padStart(4)}  ${s.file}`);
const over = [
  ...functions
    .filter((f) => f.lines > MAX_FUNCTION_LINES)
    .map((f) => `${f.file}:${f.line} ${f.name} has ${f.lines} lines`),
  ...steps.filter((s) => s.lines > MAX_STEP_LINES).map((s) => `${s.file} has ${s.lines} lines`),
];
if (over.length) {
  console.error(`Too long:\n  ${over.join('\n  ')}`);
  process.exit(1);
}

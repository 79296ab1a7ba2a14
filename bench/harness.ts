// Shared helpers for the bench sections: statistics, markdown tables and the shape every section returns.
// Each section runs in its own Node process (see bench/run.mjs), so one section's JIT state, heap and
// globals (jsdom, patched timers) never leak into another's numbers.

/** A budget the smoke run enforces: `ok: false` makes `npm run bench` exit non-zero. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a section hands back to bench/run.mjs. */
export interface SectionResult {
  /** Markdown: a heading, one or more tables and notes. */
  readonly markdown: string;
  /** Numbers for bench/results/latest.json. */
  readonly json: Record<string, unknown>;
  readonly checks: readonly Check[];
}

export interface SectionOptions {
  readonly quick: boolean;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Nearest-rank quantile (p95 of 100 trials is the 95th smallest). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A markdown table; cells are printed as given. */
export function table(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** A number rounded for a table: integers stay integers, others keep `digits` decimals. */
export const fmt = (n: number, digits = 2): string =>
  Number.isFinite(n) ? (Number.isInteger(n) ? String(n) : n.toFixed(digits)) : '—';

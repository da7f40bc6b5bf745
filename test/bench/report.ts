import { mkdirSync, writeFileSync } from 'node:fs';

/** One measured figure: what, how much, against which budget and same-run baseline. */
export interface BenchRow {
  figure: string;
  value: number;
  unit: string;
  /** e.g. '<= 250' or '>= 0.7'; applies to `value`, or to `ratio` when `budgetOn` is 'ratio'. */
  budget?: { op: '<=' | '>='; limit: number; on?: 'value' | 'ratio' };
  baseline?: { label: string; value: number };
  ratio?: number;
  how: string;
}

export function passed(row: BenchRow): boolean | undefined {
  if (!row.budget) return undefined;
  const subject = row.budget.on === 'ratio' ? row.ratio : row.value;
  if (subject === undefined) return false;
  return row.budget.op === '<=' ? subject <= row.budget.limit : subject >= row.budget.limit;
}

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

export function printTable(rows: BenchRow[]): void {
  const table = rows.map((r) => {
    const ok = passed(r);
    return {
      figure: r.figure,
      value: `${fmt(r.value)} ${r.unit}`,
      budget: r.budget ? `${r.budget.on === 'ratio' ? 'ratio ' : ''}${r.budget.op} ${r.budget.limit}` : '',
      baseline: r.baseline ? `${r.baseline.label}: ${fmt(r.baseline.value)}` : '',
      ratio: r.ratio === undefined ? '' : `${fmt(r.ratio)}×`,
      result: ok === undefined ? 'info' : ok ? 'PASS' : 'MISSED',
    };
  });
  const cols = Object.keys(table[0] ?? {}) as Array<keyof (typeof table)[number]>;
  const widths = cols.map((c) => Math.max(c.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(cols.map((c) => r[c])));
  console.log('\nHow each figure was measured:');
  for (const r of rows) console.log(`- ${r.figure}: ${r.how}`);
}

export function writeJson(rows: BenchRow[], path = '.bench/results.json'): void {
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    path,
    JSON.stringify(
      rows.map((r) => ({ ...r, passed: passed(r) })),
      null,
      2,
    ),
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function progress(message: string): void {
  process.stderr.write(`… ${message}\n`);
}

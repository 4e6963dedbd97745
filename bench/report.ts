import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Goal {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export type Row = Record<string, string | number | null>;

/** The value below which `p` % of `sorted` (ascending) lie: the nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function machine(): string {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(process.env.CHROME_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // no Chromium: the bench will say so itself
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${chromium}`;
}

function markdownTable(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${columns.map((c) => cell(row[c])).join(' | ')} |`)].join('\n');
}

/** Replaces the README's table for `bench` (between its markers) with this run's. */
function updateReadme(bench: string, date: string, machineName: string, rows: Row[], goals: Goal[]): void {
  const readme = path.resolve('README.md');
  if (!existsSync(readme)) return;
  const start = `<!-- bench:${bench} -->`;
  const end = `<!-- /bench:${bench} -->`;
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) return;
  const table = [
    `Measured ${date.slice(0, 10)} on ${machineName}.`,
    '',
    markdownTable(rows),
    '',
    markdownTable(goals.map((g) => ({ goal: g.name, value: g.value, target: g.target, met: g.met ? 'yes' : '**no**' }))),
  ].join('\n');
  writeFileSync(readme, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
}

/** Prints the table and the goals, writes bench/results/<bench>.json and the README's table. */
export function report(bench: string, rows: Row[], goals: Goal[]): void {
  console.log(`\n${bench}\n`);
  console.table(rows);
  console.table(goals.map((g) => ({ goal: g.name, value: g.value, target: g.target, met: g.met ? 'yes' : 'NO' })));
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  const date = new Date().toISOString();
  const machineName = machine();
  writeFileSync(file, `${JSON.stringify({ bench, date, machine: machineName, rows, goals }, null, 2)}\n`);
  updateReadme(bench, date, machineName, rows, goals);
  console.log(`\nwrote ${path.relative(process.cwd(), file)} and the README's table`);
}

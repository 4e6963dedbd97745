import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Goal {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export type Row = Record<string, string | number | null>;

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

/** Prints the table and the goals, and writes bench/results/<bench>.json. */
export function report(bench: string, rows: Row[], goals: Goal[]): void {
  console.log(`\n${bench}\n`);
  console.table(rows);
  console.table(goals.map((g) => ({ goal: g.name, value: g.value, target: g.target, met: g.met ? 'yes' : 'NO' })));
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  writeFileSync(file, `${JSON.stringify({ bench, date: new Date().toISOString(), machine: machine(), rows, goals }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

// `npm run bench -- <name>`: runs bench/<name>.ts, which prints a table and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const benches = readdirSync(path.resolve('bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const name = process.argv[2];
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${benches.join(', ')})`);
  process.exit(2);
}
if (!existsSync(path.resolve('.output/chrome-mv3/manifest.json')) || process.env.BENCH_SKIP_BUILD !== '1') {
  const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const { run } = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
await run();

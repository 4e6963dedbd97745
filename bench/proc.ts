import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system, all its threads, ended ones too) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  // After the command's name (which may hold spaces), utime and stime are the 12th and 13th
  // fields, in clock ticks: USER_HZ, 100 a second on Linux.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds (user + system) used so far by every Chromium process. */
export function chromiumCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('chrom')) continue;
      total += cpuSeconds(Number(pid));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

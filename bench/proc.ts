import { readFileSync } from 'node:fs';

/** CPU seconds (user + system, all its threads, ended ones too) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  // After the command's name (which may hold spaces), utime and stime are the 12th and 13th
  // fields, in clock ticks: USER_HZ, 100 a second on Linux.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

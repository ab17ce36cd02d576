import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let ticksPerSecond: number | undefined

/** CPU time (user + system, all threads) a Linux process has used so far, in ms (/proc/PID/stat). */
export function cpuTimeMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start at field 3, `state`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / ticksPerSecond
}

/** The process and its descendants (a `--workers N` cluster: the primary and its workers). */
export function processTree(pid: number): number[] {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    try {
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(tree[i])], { encoding: 'utf8' })
      tree.push(
        ...children
          .split('\n')
          .map(Number)
          .filter((child) => child > 0),
      )
    } catch {
      // no children (ps exits 1)
    }
  }
  return tree
}

/** CPU time of the processes in ms, skipping any that exited in between. */
export function treeCpuTimeMs(pids: readonly number[]): number {
  let total = 0
  for (const pid of pids) {
    try {
      total += cpuTimeMs(pid)
    } catch {
      // exited
    }
  }
  return total
}

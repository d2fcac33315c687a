// Waiting for a condition with a deadline, the one way tests wait: never a fixed sleep before an assertion.
import { availableParallelism, loadavg } from 'node:os'

export interface UntilOptions {
  /** How long to keep asking (default 30 s). */
  timeoutMs?: number
  /** The pause between two asks (default 25 ms). */
  everyMs?: number
  /** Added to the timeout's message: the processes' last lines, say. */
  detail?: () => string
  /** After this long, and every 10 s after, say on stderr what is still awaited (with `detail`): a slow start-up. */
  sayAfterMs?: number
}

/**
 * Asks `probe` until it answers true; a probe that throws counts as "not yet". After the deadline it throws, naming
 * `what` and the probe's last error.
 */
export async function until(what: string, probe: () => unknown, options: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 30_000, everyMs = 25, detail, sayAfterMs } = options
  const started = Date.now()
  const deadline = started + timeoutMs
  let sayAt = sayAfterMs === undefined ? Infinity : started + sayAfterMs
  let lastError: unknown
  for (;;) {
    if (Date.now() > sayAt) {
      sayAt += 10_000
      console.warn(`still waiting for ${what} after ${Math.round((Date.now() - started) / 1000)} s (of ${Math.round(timeoutMs / 1000)} s)${detail ? `; so far:\n${detail()}` : ''}`)
    }
    try {
      if (await probe()) return
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}${detail ? `\n${detail()}` : ''}`)
    }
    await Bun.sleep(everyMs)
  }
}

/**
 * How long a process under test may take to start on this machine: TEST_START_TIMEOUT_MS when set, else 30 s
 * scaled up on a machine with few cores or a busy one (a cold PGlite start took 41 s on two busy cores).
 */
export function startTimeoutMs(): number {
  const given = Number(process.env.TEST_START_TIMEOUT_MS)
  if (given > 0) return given
  const cores = availableParallelism()
  const fewCores = Math.max(1, 4 / cores)
  const busy = Math.max(1, loadavg()[0]! / cores)
  return Math.round(30_000 * Math.min(8, fewCores * busy))
}

/** `until`'s options for a process starting up: the machine's start deadline, and a word on stderr when slow. */
export const startingUp = (detail?: () => string): UntilOptions => ({ timeoutMs: startTimeoutMs(), sayAfterMs: 5_000, everyMs: 50, detail })

/** A timeout for a hook that starts `processes` processes (each given `startTimeoutMs()`) and does a little more. */
export const hookTimeoutMs = (processes = 1): number => processes * startTimeoutMs() + 30_000

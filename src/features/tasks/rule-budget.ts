// A ceiling on rrule's work: every walk of a rule counts its steps and its CPU time, and stops with RuleBudgetExceeded past either.
import { RRule, type Options } from 'rrule'

type ParsedOptions = RRule['options']

/**
 * rrule walks a rule period by period (a year, a month, ... a second) until it finds a date, and a rule whose
 * filters never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) walks to the year 9999 on the event loop. Its
 * sub-daily steps can even loop for ever (`FREQ=HOURLY;INTERVAL=2;BYHOUR=1` from an even hour never reaches
 * 1). Neither loop calls back, so the count is taken where both must look: the main loop reads `interval`
 * once or twice a period, and the sub-daily steps test their hour, minute and second lists with `indexOf`.
 * A walk past its ceiling throws out of rrule from there. Pinned to rrule 2.8.1; test/recurrence-bounds.test.ts
 * holds it to that behaviour (a library update that reads differently fails there, not in production).
 */
export class RuleBudgetExceeded extends Error {
  constructor(readonly steps: number) {
    super(`the recurrence rule took more than its budget (${steps} steps) to evaluate`)
    this.name = 'RuleBudgetExceeded'
  }
}

type CpuUsage = () => { user: number; system: number }

/**
 * Milliseconds of CPU this thread has used. The time budget counts CPU, not the wall clock: on a busy machine the
 * process waits for a core, and a cheap rule must not be refused (a 400) for time it spent not running. The thread's
 * own clock, not the process's: the JIT compiling rrule on other threads (11 ms of CPU for a cold leap-day rule
 * here) is not the rule's cost either. Bun has process.threadCpuUsage (as Node 23.9 does); the process clock is the
 * fallback.
 */
const threadCpu = (process as unknown as { threadCpuUsage?: CpuUsage }).threadCpuUsage?.bind(process) ?? process.cpuUsage.bind(process)
const cpuMs = () => {
  const { user, system } = threadCpu()
  return (user + system) / 1000
}

/** Steps between two looks at the CPU clock. */
export const CLOCK_EVERY = 16

/** Steps and CPU milliseconds that one operation may spend walking rules; shared by every walk of that operation. */
export class RuleBudget {
  private used = 0
  private readonly deadline: number

  constructor(
    readonly maxSteps: number = DEFAULT_STEPS,
    readonly maxMs: number = DEFAULT_MS,
    private readonly parent?: RuleBudget,
  ) {
    this.deadline = cpuMs() + maxMs
  }

  /** Counts one step here and in the budget this one was shared from; throws once the steps or the time are spent. */
  step(): void {
    this.used++
    if (this.used > this.maxSteps || (this.used % CLOCK_EVERY === 0 && cpuMs() > this.deadline)) throw new RuleBudgetExceeded(this.used)
    this.parent?.step()
  }

  get steps(): number {
    return this.used
  }

  /** A budget for one part of this operation: at most `maxSteps` of its own, and never past this one's steps or time. */
  share(maxSteps: number): RuleBudget {
    return new RuleBudget(maxSteps, Math.max(0, this.deadline - cpuMs()), this)
  }
}

/** Steps one rule evaluation may take: a daily rule walks about two a day, so 5 years of days fit 3 times over. */
export const DEFAULT_STEPS = 12_000
/** CPU time one rule evaluation may take on the event loop, whatever the steps. */
export const DEFAULT_MS = 30

/** A list whose lookups count as steps (rrule's sub-daily loops test membership with indexOf). */
class MeteredList extends Array<number> {
  static override get [Symbol.species]() {
    return Array
  }
  budget!: RuleBudget
  override indexOf(value: number, from?: number): number {
    this.budget.step()
    return super.indexOf(value, from)
  }
}

function metered(list: number[], budget: RuleBudget): number[] {
  // rrule leaves a list null where a frequency needs none (byhour for HOURLY); only a list can loop.
  if (!Array.isArray(list) || list.length === 0) return list
  const out = new MeteredList()
  out.push(...list)
  out.budget = budget
  return out
}

/** An rrule whose walks (after, before, between, all) spend `budget`, throwing RuleBudgetExceeded past it. */
export function boundedRule(options: Partial<Options>, budget: RuleBudget): RRule {
  const rule = new RRule(options, true)
  const parsed: ParsedOptions = rule.options
  const interval = parsed.interval
  const counted = {
    ...parsed,
    byhour: metered(parsed.byhour, budget),
    byminute: metered(parsed.byminute, budget),
    bysecond: metered(parsed.bysecond, budget),
  }
  Object.defineProperty(counted, 'interval', {
    enumerable: true,
    get: () => {
      budget.step()
      return interval
    },
  })
  rule.options = counted
  return rule
}

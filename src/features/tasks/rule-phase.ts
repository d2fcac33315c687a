// Where a walk of a recurring series may start: the periods of a rule (years ... minutes) on the wall clock, and the series' phase in them.
import { Frequency, RRule, type Options } from 'rrule'

export const DAY_MS = 86_400_000

/**
 * Where a walk of an anchored series may start so that it reaches `target` in a few periods, not one
 * period per hour (say) since the series began: the start of the period that holds `target`, stepped
 * back to the series' phase (whole intervals from the anchor's period). The anchor itself when that is
 * no later. Every period from there on is the one a walk from the anchor would see.
 */
export function phaseStart(options: Partial<Options>, anchor: Date, target: Date): Date {
  const freq = options.freq!
  const interval = options.interval ?? 1
  const first = periodStart(freq, options.wkst, anchor)
  const periods = periodsBetween(freq, first, periodStart(freq, options.wkst, target))
  const whole = Math.floor(periods / interval) * interval
  return whole > 0 ? advance(freq, first, whole) : anchor
}

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

function periodStart(freq: Frequency, wkst: Options['wkst'] | undefined, wall: Date): Date {
  const y = wall.getUTCFullYear()
  const m = wall.getUTCMonth()
  const day = Date.UTC(y, m, wall.getUTCDate())
  switch (freq) {
    case RRule.YEARLY:
      return new Date(Date.UTC(y, 0, 1))
    case RRule.MONTHLY:
      return new Date(Date.UTC(y, m, 1))
    case RRule.WEEKLY: {
      const weekStart = typeof wkst === 'number' ? wkst : (wkst?.weekday ?? 0)
      const weekday = (wall.getUTCDay() + 6) % 7 // rrule counts MO=0 … SU=6
      return new Date(day - ((weekday - weekStart + 7) % 7) * DAY_MS)
    }
    case RRule.DAILY:
      return new Date(day)
    case RRule.HOURLY:
      return new Date(Math.floor(wall.getTime() / HOUR_MS) * HOUR_MS)
    default:
      return new Date(Math.floor(wall.getTime() / MINUTE_MS) * MINUTE_MS)
  }
}

function periodsBetween(freq: Frequency, from: Date, to: Date): number {
  const ms = to.getTime() - from.getTime()
  switch (freq) {
    case RRule.YEARLY:
      return to.getUTCFullYear() - from.getUTCFullYear()
    case RRule.MONTHLY:
      return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth()
    case RRule.WEEKLY:
      return Math.round(ms / (7 * DAY_MS))
    case RRule.DAILY:
      return Math.round(ms / DAY_MS)
    case RRule.HOURLY:
      return Math.round(ms / HOUR_MS)
    default:
      return Math.round(ms / MINUTE_MS)
  }
}

function advance(freq: Frequency, start: Date, periods: number): Date {
  switch (freq) {
    case RRule.YEARLY:
      return new Date(Date.UTC(start.getUTCFullYear() + periods, 0, 1))
    case RRule.MONTHLY:
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + periods, 1))
    case RRule.WEEKLY:
      return new Date(start.getTime() + periods * 7 * DAY_MS)
    case RRule.DAILY:
      return new Date(start.getTime() + periods * DAY_MS)
    case RRule.HOURLY:
      return new Date(start.getTime() + periods * HOUR_MS)
    default:
      return new Date(start.getTime() + periods * MINUTE_MS)
  }
}

// What the planner takes, once: where overdue tasks go, and the day a task is dragged to. The pages read the forms
// with these schemas; the services take what they give (whether a day has passed is the service's question: it needs
// the user's zone and the clock).
import { z } from 'zod'
import { parseDay, type LocalDate } from '../../lib/time'

const TARGET_ERROR = 'to must be today, tomorrow or a date (YYYY-MM-DD)'
const DAY_ERROR = 'date must be a day (YYYY-MM-DD)'

/** A calendar day as YYYY-MM-DD (a real one: not 30 February). */
const day = (error: string) =>
  z.string({ error }).transform((text, ctx): LocalDate => {
    const parsed = parseDay(text.trim())
    if (parsed) return parsed
    ctx.addIssue({ code: 'custom', message: error })
    return z.NEVER
  })

/** Where overdue tasks go: today, tomorrow (in the user's zone), or a day. */
export type MoveTarget = 'today' | 'tomorrow' | LocalDate
export const MoveTarget = z.union([z.enum(['today', 'tomorrow']), day(TARGET_ERROR)], { error: TARGET_ERROR })

/** The day a task moves to. */
export const MoveDay = day(DAY_ERROR)

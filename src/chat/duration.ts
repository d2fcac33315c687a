// Spans of time in words ("2 hours", "an hour", "half an hour", "eine Woche"), read for the offline agent: to move a
// task by, or to be reminded ahead of it.

/** A span of time, to move a task by or to remind ahead of it. */
export interface Duration {
  amount: number
  unit: 'minute' | 'hour' | 'day' | 'week' | 'month'
}

const NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, twenty: 20, thirty: 30, 'a couple of': 2, 'a few': 3,
  ein: 1, eine: 1, einen: 1, einer: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, zehn: 10, fünfzehn: 15, zwanzig: 20, dreißig: 30,
}
const UNITS: Array<[RegExp, Duration['unit']]> = [
  [/^(?:m|min|mins|minutes?|minuten?)$/i, 'minute'],
  [/^(?:h|hr|hrs|hours?|stunden?)$/i, 'hour'],
  [/^(?:d|days?|tage?n?)$/i, 'day'],
  [/^(?:w|wk|wks|weeks?|wochen?)$/i, 'week'],
  [/^(?:months?|monate?n?)$/i, 'month'],
]
const AMOUNT = `(?:\\d{1,3}|${Object.keys(NUMBERS).sort((a, b) => b.length - a.length).join('|')}|half an?)`
const UNIT = '(?:m|min|mins|minutes?|minuten?|h|hr|hrs|hours?|stunden?|d|days?|tage?n?|w|wk|wks|weeks?|wochen?|months?|monate?n?)'
/** A duration inside a larger pattern. */
export const DURATION = `${AMOUNT}\\s*${UNIT}`

/** "2 hours", "an hour", "half an hour", "a week", "eine Woche", "30m"; anything else is undefined. */
export function readDuration(text: string): Duration | undefined {
  const m = new RegExp(`^(${AMOUNT})\\s*(${UNIT})$`, 'i').exec(text.trim())
  if (!m) return undefined
  const word = m[1]!.toLowerCase()
  const unit = UNITS.find(([re]) => re.test(m[2]!))![1]
  if (word.startsWith('half')) return unit === 'hour' ? { amount: 30, unit: 'minute' } : unit === 'day' ? { amount: 12, unit: 'hour' } : undefined
  const amount = /^\d+$/.test(word) ? Number(word) : NUMBERS[word]!
  return amount > 0 ? { amount, unit } : undefined
}

/** The lead time set_reminder takes for a duration ("30m", "1h", "1d"). */
export function leadOf(d: Duration): string {
  const minutes = { minute: 1, hour: 60, day: 1440, week: 10080, month: 43200 }[d.unit] * d.amount
  return minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`
}

// find_tasks' small filter language: words such as `today & p1 & #work`, read into the list service's own query.
import { invalid } from '../../lib/errors'
import { dayBounds, localDay, wallClock } from '../../lib/time'
import type { ListQuery } from './list-query'
import { parseTags, PRIORITIES, type TaskPriority, type TaskStatus } from './model'

/** The language as a model reads it (the tool's description and the server's instructions). */
export const FILTER_HELP =
  'filter combines terms with & (and): today, overdue (due before today, still pending), this week (Monday to Sunday), no date, ' +
  'p1 / p2 / p3 or priority:high / priority:medium / priority:low, #tag, completed (otherwise only pending tasks), search:words. ' +
  'Examples: "today & p1", "overdue", "this week & #work", "no date & search:call mum", "completed & #errands".'

const PRIORITY_OF: Record<string, TaskPriority> = { p1: 'high', p2: 'medium', p3: 'low' }

/** The token's fault, named so the model can fix that one term. */
const badToken = (token: string, why: string) => invalid('filter', `filter: "${token.slice(0, 60)}" ${why}. ${FILTER_HELP}`)

/**
 * `query` narrowed by every term of `filter`, read at `now` in `timeZone`. Terms only narrow (and), so terms that can
 * never hold together (p1 & p2, overdue & completed) give null: nothing matches. An unknown term is refused by name.
 */
export function applyFilter(query: ListQuery, filter: string | undefined, now: Date, timeZone: string): ListQuery | null {
  const narrowed: ListQuery = { ...query, keywords: [...query.keywords], tags: [...query.tags] }
  let status: TaskStatus | undefined
  let priority: TaskPriority | undefined
  let contradiction = false
  const within = (from: Date, to: Date) => {
    narrowed.dueFrom = narrowed.dueFrom && narrowed.dueFrom > from ? narrowed.dueFrom : from
    narrowed.dueTo = narrowed.dueTo && narrowed.dueTo < to ? narrowed.dueTo : to
  }
  const needStatus = (wanted: TaskStatus) => {
    if (status && status !== wanted) contradiction = true
    status = wanted
  }
  const needPriority = (wanted: TaskPriority) => {
    if (priority && priority !== wanted) contradiction = true
    priority = wanted
  }
  const today = dayBounds(localDay(now, timeZone), timeZone)
  for (const raw of filter?.trim() ? filter.split('&') : []) {
    const token = raw.trim().replace(/\s+/g, ' ')
    const word = token.toLowerCase()
    if (token === '') throw badToken(raw, 'is an empty term (put a term on both sides of every &)')
    if (word === 'today') within(today.start, today.end)
    else if (word === 'overdue') {
      needStatus('pending')
      within(new Date(0), new Date(today.start.getTime() - 1))
    } else if (word === 'this week') {
      // Monday to Sunday of the user's current week.
      const sinceMonday = (wallClock(now, timeZone).weekday + 6) % 7
      within(dayBounds(localDay(now, timeZone, -sinceMonday), timeZone).start, dayBounds(localDay(now, timeZone, 6 - sinceMonday), timeZone).end)
    } else if (word === 'no date') narrowed.noDue = true
    else if (word === 'completed') needStatus('completed')
    else if (PRIORITY_OF[word]) needPriority(PRIORITY_OF[word])
    else if (word.startsWith('priority:')) {
      const value = word.slice('priority:'.length).trim()
      if (!(PRIORITIES as readonly string[]).includes(value)) throw badToken(token, `names no priority (use ${PRIORITIES.join(', ')})`)
      needPriority(value as TaskPriority)
    } else if (word.startsWith('#')) {
      try {
        narrowed.tags.push(...parseTags([token]))
      } catch {
        throw badToken(token, 'is not a tag (letters, digits and - _ . / : +)')
      }
    } else if (word.startsWith('search:')) {
      const words = token.slice('search:'.length).split(' ').filter(Boolean)
      if (words.length === 0) throw badToken(token, 'has no words to search for')
      narrowed.keywords.push(...words)
    } else throw badToken(token, 'is not a filter term')
  }
  if (contradiction) return null
  narrowed.statuses = [status ?? 'pending']
  if (priority) narrowed.priorities = [priority]
  narrowed.allTags = narrowed.tags.length > 1
  narrowed.tags = [...new Set(narrowed.tags)]
  narrowed.keywords = narrowed.keywords.slice(0, 10)
  return narrowed
}

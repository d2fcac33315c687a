// The filter language's parser: what each term reads as, precedence, printing back, errors that name their column, bounds.
import { describe, expect, test } from 'bun:test'
import { AppError } from '../src/lib/errors'
import { FILTER_ATOMS_MAX, FILTER_DEPTH_MAX, FILTER_MAX, parseFilter, printFilter, type FilterNode } from '../src/features/tasks/filter-parse'
import { dayOf, dueSpan } from '../src/features/tasks/filter-sql'

/** The error a malformed filter throws: its message and position. */
function failure(text: string): { message: string; position: number | undefined; field: string | undefined } {
  try {
    parseFilter(text)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    return { message: error.message, position: error.toJSON().error.position, field: error.field }
  }
  throw new Error(`"${text}" parsed`)
}

describe('terms', () => {
  const cases: Array<[string, FilterNode]> = [
    ['today', { kind: 'today' }],
    ['Tomorrow', { kind: 'tomorrow' }],
    ['overdue', { kind: 'overdue' }],
    ['no   date', { kind: 'no date' }],
    ['this week', { kind: 'this week' }],
    ['recurring', { kind: 'recurring' }],
    ['completed', { kind: 'status', status: 'completed' }],
    ['open', { kind: 'status', status: 'pending' }],
    ['p1', { kind: 'priority', priority: 'high' }],
    ['P2', { kind: 'priority', priority: 'medium' }],
    ['p3', { kind: 'priority', priority: 'low' }],
    ['p4', { kind: 'priority', priority: 'low' }],
    ['priority:high', { kind: 'priority', priority: 'high' }],
    ['#Work', { kind: 'tag', tag: 'work' }],
    ['#a.b:c+d', { kind: 'tag', tag: 'a.b:c+d' }],
    ['due before: +7d', { kind: 'due', when: 'before', date: { kind: 'offset', amount: 7, unit: 'd' } }],
    ['due after:-1w', { kind: 'due', when: 'after', date: { kind: 'offset', amount: -1, unit: 'w' } }],
    ['due before: 2026-12-24', { kind: 'due', when: 'before', date: { kind: 'day', day: '2026-12-24' } }],
    ['due after: tomorrow', { kind: 'due', when: 'after', date: { kind: 'tomorrow' } }],
    ['search: call  mum', { kind: 'search', words: ['call', 'mum'] }],
    ['search:report!', { kind: 'search', words: ['report!'] }],
    ['@project:Work', { kind: 'project', name: 'Work' }],
    ['project: errands', { kind: 'project', name: 'errands' }],
    ['@Project:"Home & Garden"', { kind: 'project', name: 'Home & Garden' }],
    ['@project:"say \\"hi\\" \\\\ (ok)"', { kind: 'project', name: 'say "hi" \\ (ok)' }],
  ]
  for (const [text, node] of cases) test(text, () => expect(parseFilter(text)).toEqual(node))
})

describe('operators', () => {
  const a = { kind: 'today' } as const
  const b = { kind: 'overdue' } as const
  const c = { kind: 'tag', tag: 'work' } as const
  test('! binds tighter than &, & tighter than |, and both are left-associative', () => {
    expect(parseFilter('today | overdue & #work')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } })
    expect(parseFilter('!today & overdue')).toEqual({ kind: 'and', left: { kind: 'not', operand: a }, right: b })
    expect(parseFilter('today & overdue & #work')).toEqual({ kind: 'and', left: { kind: 'and', left: a, right: b }, right: c })
    expect(parseFilter('(today | overdue) & #work')).toEqual({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c })
    expect(parseFilter('!!(today)')).toEqual({ kind: 'not', operand: { kind: 'not', operand: a } })
  })

  test('search words run to the next operator or parenthesis', () => {
    expect(parseFilter('(search: milk eggs) | #home')).toEqual({ kind: 'or', left: { kind: 'search', words: ['milk', 'eggs'] }, right: { kind: 'tag', tag: 'home' } })
  })

  test('printing gives text that parses back to the same tree, with parentheses only where needed', () => {
    for (const text of ['today | overdue & #work', '(today | overdue) & #work', '!(today & p1) | due before: -3d', 'today & (overdue & #work)', 'search: a b & !no date']) {
      const node = parseFilter(text)
      expect(parseFilter(printFilter(node))).toEqual(node)
    }
    expect(printFilter(parseFilter('(today|overdue)&#work'))).toBe('(today | overdue) & #work')
    expect(printFilter(parseFilter('today & (overdue & #work)'))).toBe('today & (overdue & #work)')
    expect(printFilter(parseFilter('priority:low | p4'))).toBe('p3 | p3')
  })
})

describe('errors name the filter and the column (from 1) where it goes wrong', () => {
  const cases: Array<[string, number, string]> = [
    ['someday', 1, '"someday" is not a filter term'],
    ['today & p9', 9, '"p9" is not a filter term'],
    ['today &', 8, 'expected a term'],
    ['& today', 1, 'expected a term before "&"'],
    ['today tomorrow', 7, 'expected & or | between terms'],
    ['(today | overdue', 17, 'expected ")" (to close "(" from column 1)'],
    ['today)', 6, 'a ")" without its "("'],
    ['due before: soon', 13, 'expected a date'],
    ['due after: 2026-02-30', 12, '"2026-02-30" is not a calendar day'],
    // The day after it would be the year 10000, which no timestamp holds.
    ['due after: 9999-12-31', 12, '"9999-12-31" is past the last day a filter can name (9999-12-30)'],
    ['due before: 9999-12-31', 13, 'past the last day a filter can name'],
    ['due before: +99999999d', 13, 'expected a date'],
    ['due after: -100000w', 12, 'expected a date'],
    ['search:  ', 10, 'search: needs words'],
    ['#bad,tag', 1, 'is not a tag'],
    ['today & @project:', 18, 'project: needs a name'],
    ['@project:"Home & Garden', 10, 'expected a closing "'],
    ['project:""', 9, 'project: needs a name'],
    ['   ', 1, 'is empty'],
  ]
  for (const [text, position, message] of cases) {
    test(`${JSON.stringify(text)} at ${position}`, () => {
      const error = failure(text)
      expect(error).toMatchObject({ position, field: 'filter' })
      expect(error.message).toContain(message)
      expect(error.message).toContain(`at column ${position}`)
    })
  }
})

describe('bounds: long, wide and deep filters are refused, never a stack overflow', () => {
  test(`more than ${FILTER_MAX} characters`, () => {
    expect(failure('today | '.repeat(70) + 'today')).toMatchObject({ position: FILTER_MAX + 1 })
    expect(failure('today | '.repeat(70) + 'today').message).toContain(`longer than ${FILTER_MAX}`)
  })
  test(`characters are counted as a person counts them (an emoji is one), as a saved filter's query is`, () => {
    const emoji = 'search: ' + '😀'.repeat(FILTER_MAX - 8)
    expect(parseFilter(emoji)).toEqual({ kind: 'search', words: ['😀'.repeat(FILTER_MAX - 8)] })
    expect(failure(emoji + '😀')).toMatchObject({ position: FILTER_MAX + 1 })
  })
  test(`more than ${FILTER_ATOMS_MAX} terms`, () => {
    const text = Array.from({ length: FILTER_ATOMS_MAX + 1 }, () => 'p1').join('|')
    expect(text.length).toBeLessThanOrEqual(FILTER_MAX)
    expect(failure(text)).toMatchObject({ position: FILTER_ATOMS_MAX * 3 + 1 })
    expect(parseFilter(Array.from({ length: FILTER_ATOMS_MAX }, () => 'p1').join('|'))).toBeTruthy()
  })
  test(`more than ${FILTER_DEPTH_MAX} levels of ( and !`, () => {
    expect(failure('('.repeat(FILTER_DEPTH_MAX + 1) + 'today' + ')'.repeat(FILTER_DEPTH_MAX + 1))).toMatchObject({ position: FILTER_DEPTH_MAX + 1 })
    expect(failure('!'.repeat(400) + 'today').message).toContain(`deeper than ${FILTER_DEPTH_MAX}`)
    expect(parseFilter('('.repeat(FILTER_DEPTH_MAX) + 'today' + ')'.repeat(FILTER_DEPTH_MAX))).toEqual({ kind: 'today' })
  })
})

describe('days are the user\'s', () => {
  // 03:30 UTC on Thursday 2026-12-03 is still Wednesday evening in New York.
  const clock = { now: new Date('2026-12-03T03:30:00Z'), timeZone: 'America/New_York' }
  test('today, tomorrow, offsets and calendar days', () => {
    expect(dayOf({ kind: 'today' }, clock)).toEqual({ year: 2026, month: 12, day: 2 })
    expect(dayOf({ kind: 'tomorrow' }, clock)).toEqual({ year: 2026, month: 12, day: 3 })
    expect(dayOf({ kind: 'offset', amount: -1, unit: 'w' }, clock)).toEqual({ year: 2026, month: 11, day: 25 })
    expect(dayOf({ kind: 'offset', amount: 30, unit: 'd' }, clock)).toEqual({ year: 2027, month: 1, day: 1 })
  })
  test('spans run from the start of a local day to the start of another', () => {
    expect(dueSpan({ kind: 'today' }, clock)).toEqual({ from: new Date('2026-12-02T05:00:00Z'), to: new Date('2026-12-03T05:00:00Z') })
    expect(dueSpan({ kind: 'this week' }, clock)).toEqual({ from: new Date('2026-11-30T05:00:00Z'), to: new Date('2026-12-07T05:00:00Z') })
    expect(dueSpan({ kind: 'overdue' }, clock)).toEqual({ to: new Date('2026-12-02T05:00:00Z') })
    expect(dueSpan({ kind: 'due', when: 'after', date: { kind: 'day', day: '2026-12-24' } }, clock)).toEqual({ from: new Date('2026-12-25T05:00:00Z') })
  })
})

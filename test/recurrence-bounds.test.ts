// Recurrence rules cannot stall the server: rrule's walks are bounded in steps and time, rules with no date
// (or dates under a minute apart) are refused naming the field, and hostile rules posted to the real server
// process leave /healthz answering promptly.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { RRule } from 'rrule'
import { firstDueDate, nextDueDate, occurrencesBetween, upcomingDueDates, type RecurringTask } from '../src/features/tasks/recurrence'
import { boundedRule, CLOCK_EVERY, DEFAULT_STEPS, RuleBudget, RuleBudgetExceeded } from '../src/features/tasks/rule-budget'
import { inboxOf } from '../src/features/projects/access'
import { tasks } from '../src/features/tasks/schema'
import { testApp, type TestApp } from './helpers/app'
import { freshStorage, signUpOverHttp, startServer, type RunningServer } from './helpers/server'
import { hookTimeoutMs } from './helpers/wait'

/** Rules with no date at all: rrule walked them to the year 9999 on the event loop (34 s for the first). */
const NEVER = [
  'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31',
  'FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=DAILY;BYYEARDAY=366;BYMONTH=1',
  'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6',
]
/** Rules whose sub-daily steps never reach their hour, minute or second from a start at midnight: rrule loops for ever. */
const ENDLESS_FROM_MIDNIGHT = [
  'FREQ=SECONDLY;INTERVAL=2;BYSECOND=1',
  'FREQ=HOURLY;INTERVAL=9999;BYHOUR=1',
  'FREQ=HOURLY;INTERVAL=2;BYHOUR=1',
  'FREQ=MINUTELY;INTERVAL=120;BYHOUR=1',
  'FREQ=MINUTELY;INTERVAL=120;BYMINUTE=30',
]
const STALLING = [...NEVER, ...ENDLESS_FROM_MIDNIGHT]
/** Rules whose first date is decades away (February with five Mondays: 2044). */
const TOO_RARE = ['FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2', 'FREQ=YEARLY;INTERVAL=25']

const utc = (s: string) => new Date(s)
const series = (recurrence: string, due: string, over: Partial<RecurringTask> = {}): RecurringTask => ({
  recurrence,
  recurrenceFrom: 'due',
  dueDate: utc(due),
  seriesAnchor: null,
  completedAt: utc(due),
  occurrence: 1,
  ...over,
})

describe('every walk of a rule is bounded', () => {
  test("rrule's endless loops (no match until the year 9999, sub-daily steps that never reach their hour) stop at the budget", () => {
    for (const rule of STALLING) {
      const budget = new RuleBudget(5_000, 10_000)
      const walk = boundedRule({ ...RRule.parseString(rule), dtstart: utc('2026-01-01T00:00:00Z') }, budget)
      expect(() => walk.after(utc('2026-01-01T00:00:00Z'), true), rule).toThrow(RuleBudgetExceeded)
      expect(budget.steps, rule).toBe(5_001)
    }
  })

  test('the time budget stops a walk whatever its steps', () => {
    const budget = new RuleBudget(Number.MAX_SAFE_INTEGER, 5)
    const walk = boundedRule({ ...RRule.parseString('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'), dtstart: utc('2026-01-01T00:00:00Z') }, budget)
    expect(() => walk.all()).toThrow(RuleBudgetExceeded)
  })

  test('time the process spends not running (a busy machine) does not count against a rule', () => {
    const budget = new RuleBudget(DEFAULT_STEPS, 15)
    // The thread is off the CPU for 4 times the budget, as it is when other processes hold the cores.
    Bun.sleepSync(60)
    const walk = boundedRule({ ...RRule.parseString('FREQ=DAILY'), dtstart: utc('2026-01-01T00:00:00Z') }, budget)
    expect(walk.after(utc('2026-03-01T00:00:00Z'), true)?.toISOString()).toBe('2026-03-01T00:00:00.000Z')
    // Far enough for the budget to have looked at its clock.
    expect(budget.steps).toBeGreaterThan(CLOCK_EVERY)
  })

  test('a shared budget stops the operation once it is spent, and each part at its own share', () => {
    const view = new RuleBudget(3_000, 10_000)
    const spent: number[] = []
    for (let i = 0; i < 3; i++) {
      const part = view.share(2_000)
      try {
        boundedRule({ ...RRule.parseString('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'), dtstart: utc('2026-01-01T00:00:00Z') }, part).after(utc('2026-01-01T00:00:00Z'))
      } catch (error) {
        expect(error).toBeInstanceOf(RuleBudgetExceeded)
      }
      spent.push(part.steps)
    }
    // The first part stops past its own share, the second past the view's 3,000, the third at its first step.
    expect(spent).toEqual([2_001, 1_001, 1])
  })

  test('next instance, projections and first date of a stored stalling rule end in RuleBudgetExceeded, never a hang', () => {
    for (const rule of STALLING) {
      const task = series(rule, '2026-01-01T00:00:00Z')
      expect(() => nextDueDate(task, 'UTC'), rule).toThrow(RuleBudgetExceeded)
      expect(() => occurrencesBetween(task, 'UTC', utc('2026-01-01T00:00:00Z'), utc('2026-01-15T00:00:00Z'), 14), rule).toThrow(RuleBudgetExceeded)
      expect(() => upcomingDueDates(task, 'UTC', 5), rule).toThrow(RuleBudgetExceeded)
    }
    for (const rule of NEVER) expect(() => firstDueDate(rule, 'Europe/Berlin', utc('2026-01-01T10:00:00Z')), rule).toThrow(RuleBudgetExceeded)
  })

  test('an old series costs what a new one does: the walk starts in the period of the due date, not at the series start', () => {
    // Every minute since a year ago: walking from the anchor would take half a million steps.
    const budget = new RuleBudget(50, 10_000)
    const task = series('FREQ=MINUTELY;INTERVAL=7', '2026-11-30T08:03:00Z', { seriesAnchor: utc('2025-11-30T08:00:00Z'), occurrence: 75_000 })
    // 2025-11-30T08:00 + 7 min × k: the instance after 08:03 on 2026-11-30 is 08:09 (525,603 minutes on; 75,087 steps of 7 make 525,609).
    expect(nextDueDate(task, 'UTC', budget)?.toISOString()).toBe('2026-11-30T08:09:00.000Z')
    expect(budget.steps).toBeLessThan(50)
  })
})

describe('the walk from the due date finds what a walk from the series start finds', () => {
  const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
  const subset = <T,>(items: T[], max: number) => fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: max })
  /** Rules a plain rrule walk is sure to finish (every filter can match), so it can be the reference. */
  const rule = fc.oneof(
    fc.record({ interval: fc.integer({ min: 1, max: 4 }), byday: fc.option(subset(weekdays, 3), { nil: undefined }), wkst: fc.constantFrom('MO', 'SU', 'WE'), byhour: fc.option(subset([6, 9, 17], 2), { nil: undefined }) }).map(
      (r) => `FREQ=WEEKLY;INTERVAL=${r.interval};WKST=${r.wkst}${r.byday ? `;BYDAY=${r.byday.join(',')}` : ''}${r.byhour ? `;BYHOUR=${r.byhour.join(',')}` : ''}`,
    ),
    fc.record({ interval: fc.integer({ min: 1, max: 5 }), byday: fc.option(subset(weekdays, 4), { nil: undefined }) }).map(
      (r) => `FREQ=DAILY;INTERVAL=${r.interval}${r.byday ? `;BYDAY=${r.byday.join(',')}` : ''}`,
    ),
    fc.record({ interval: fc.integer({ min: 1, max: 4 }), day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constant(-1)), pos: fc.boolean() }).map((r) =>
      r.pos ? `FREQ=MONTHLY;INTERVAL=${r.interval};BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1` : `FREQ=MONTHLY;INTERVAL=${r.interval};BYMONTHDAY=${r.day}`,
    ),
    fc.record({ interval: fc.integer({ min: 1, max: 3 }), month: fc.integer({ min: 1, max: 12 }) }).map((r) => `FREQ=YEARLY;INTERVAL=${r.interval};BYMONTH=${r.month}`),
    fc.integer({ min: 1, max: 9 }).map((n) => `FREQ=HOURLY;INTERVAL=${n}`),
    fc.integer({ min: 1, max: 90 }).map((n) => `FREQ=MINUTELY;INTERVAL=${n}`),
  )
  const REACH_MS: Record<string, number> = { YEARLY: 9 * 365 * 86_400_000, MONTHLY: 4 * 365 * 86_400_000, WEEKLY: 3 * 365 * 86_400_000, DAILY: 2 * 365 * 86_400_000, HOURLY: 60 * 86_400_000, MINUTELY: 3 * 86_400_000 }

  test('for random rules, anchors and due dates (an instance, or a date the user moved)', () => {
    fc.assert(
      fc.property(rule, fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 11, 31) }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (recurrence, anchorMs, reach, onSeries) => {
        const anchor = new Date(Math.floor(anchorMs / 60_000) * 60_000)
        const freq = /FREQ=(\w+)/.exec(recurrence)![1]!
        const reference = new RRule({ ...RRule.parseString(recurrence), dtstart: anchor })
        let due = new Date(anchor.getTime() + Math.floor((reach * REACH_MS[freq]!) / 60_000) * 60_000)
        if (onSeries) due = reference.after(due, true) ?? due
        const expected = reference.after(due, false)
        const task = series(recurrence, due.toISOString(), { seriesAnchor: anchor })
        expect(nextDueDate(task, 'UTC', new RuleBudget(1e7, 1e5))?.toISOString() ?? null).toBe(expected?.toISOString() ?? null)
      }),
      { seed: 20261130, numRuns: 400 },
    )
  })
})

describe('the API refuses a rule with no date, or with dates under a minute apart, naming the field', () => {
  let t: TestApp
  let token: string
  beforeAll(async () => {
    t = await testApp()
    token = (await t.signUp()).token
  })
  afterAll(() => t.dispose())

  test("the pen test's rules and their siblings are a 400 on create and on update; the rule is not stored", async () => {
    const { body: kept } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'kept', due_date: '2026-12-01T00:00:00Z' } })
    for (const recurrence of [...STALLING, ...TOO_RARE]) {
      for (const dueDate of ENDLESS_FROM_MIDNIGHT.includes(recurrence) ? ['2026-12-01T00:00:00Z'] : ['2026-12-01T00:00:00Z', undefined]) {
        const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x', due_date: dueDate, recurrence } })
        expect(res.status, recurrence).toBe(400)
        expect(res.body.error.field, recurrence).toBe('recurrence')
      }
      const patch = await t.call('PATCH', `/api/v1/tasks/${kept.id}`, { token, body: { recurrence } })
      expect(patch.status, recurrence).toBe(400)
      expect(patch.body.error.field).toBe('recurrence')
    }
    const list = await t.call('GET', '/api/v1/tasks', { token })
    expect(list.body.items.map((i: { title: string; recurrence: string | null }) => [i.title, i.recurrence])).toEqual([['kept', null]])
  })

  test('the messages say why', async () => {
    const say = async (recurrence: string) => (await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x', due_date: '2026-12-01T10:00:00Z', recurrence } })).body.error.message as string
    expect(await say('FREQ=SECONDLY;INTERVAL=2;BYSECOND=1')).toContain('more often than once a minute')
    expect(await say('FREQ=MINUTELY;BYSECOND=0,30')).toContain('more often than once a minute')
    expect(await say('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')).toContain('no date within 10 years of the due date')
    expect(await say('FREQ=YEARLY;INTERVAL=25')).toContain('no date within 10 years')
  })

  test('rare but real rules are kept: leap days, every other hour, every minute, every ten years, an ending series', async () => {
    for (const recurrence of ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=HOURLY;INTERVAL=2', 'FREQ=HOURLY;INTERVAL=2;BYHOUR=10,12,14', 'FREQ=MINUTELY', 'FREQ=YEARLY;INTERVAL=10', 'FREQ=DAILY;COUNT=1', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0']) {
      const res = await t.call('POST', '/api/v1/tasks', { token, body: { title: recurrence, due_date: '2026-12-01T10:00:00Z', recurrence } })
      expect(res.status, `${recurrence}: ${res.text}`).toBe(201)
    }
  })

  test('a stalling rule already stored (from before this check) leaves Upcoming and the calendar feed answering', async () => {
    const other = await testApp()
    try {
      const { token: owner, user } = await other.signUp()
      const { body: healthy } = await other.call('POST', '/api/v1/tasks', { token: owner, body: { title: 'water plants', due_date: new Date(Date.now() + 86_400_000).toISOString(), recurrence: 'DAILY' } })
      const midnight = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000)
      const projectId = (await inboxOf(other.database.db, user.id, new Date())).id
      for (const recurrence of STALLING) {
        await other.database.db.insert(tasks).values({ id: crypto.randomUUID(), userId: user.id, projectId, title: `legacy ${recurrence}`, recurrence, dueDate: midnight, seriesAnchor: midnight })
      }
      const upcoming = await other.call('GET', '/upcoming', { headers: { cookie: `session=${owner}` } })
      expect(upcoming.status).toBe(200)
      expect(upcoming.text).toContain('legacy FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')
      // The healthy series is still projected across the fortnight.
      expect(upcoming.text.split('water plants').length - 1).toBeGreaterThanOrEqual(10)
      expect(healthy.recurrence).toBe('DAILY')
    } finally {
      await other.dispose()
    }
  })
})

describe('hostile rules against the real server process', () => {
  let server: RunningServer
  let storage: Awaited<ReturnType<typeof freshStorage>>
  let token: string
  beforeAll(async () => {
    storage = await freshStorage()
    server = await startServer(storage.env)
    token = await signUpOverHttp(server.url)
  }, hookTimeoutMs())
  afterAll(async () => {
    await server?.stop()
    await storage?.dispose()
  })

  const part = fc.oneof(
    fc.integer({ min: 1, max: 9999 }).map((n) => `INTERVAL=${n}`),
    fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }).map((h) => `BYHOUR=${h.join(',')}`),
    fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 }).map((m) => `BYMINUTE=${m.join(',')}`),
    fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 2 }).map((s) => `BYSECOND=${s.join(',')}`),
    fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 2 }).map((m) => `BYMONTH=${m.join(',')}`),
    fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -31, max: -1 })), { minLength: 1, maxLength: 2 }).map((d) => `BYMONTHDAY=${d.join(',')}`),
    fc.uniqueArray(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU', '1MO', '-1FR', '5TU', '53SU'), { minLength: 1, maxLength: 3 }).map((d) => `BYDAY=${d.join(',')}`),
    fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 366 }), fc.constant(-1)), { minLength: 1, maxLength: 2 }).map((d) => `BYYEARDAY=${d.join(',')}`),
    fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max: 53 }), fc.constant(-1)), { minLength: 1, maxLength: 2 }).map((w) => `BYWEEKNO=${w.join(',')}`),
    fc.constantFrom('BYSETPOS=1', 'BYSETPOS=-1', 'BYSETPOS=366', 'COUNT=3', 'UNTIL=20300101T000000Z', 'WKST=SU'),
  )
  const hostileRule = fc
    .tuple(fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'), fc.uniqueArray(part, { maxLength: 4, selector: (p) => p.split('=')[0] }))
    .map(([freq, parts]) => [`FREQ=${freq}`, ...parts.filter((p) => !(p.startsWith('UNTIL') && parts.some((q) => q.startsWith('COUNT'))))].join(';'))

  test('random RRULEs on create, update and Upcoming: every answer a 201, 200 or a 400 naming recurrence, and /healthz never stuck behind a rule', async () => {
    const latencies: number[] = []
    let polling = true
    const poller = (async () => {
      while (polling) {
        const started = performance.now()
        const res = await fetch(`${server.url}/healthz`)
        await res.arrayBuffer()
        latencies.push(performance.now() - started)
        await Bun.sleep(10)
      }
    })()
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: path.startsWith('/api') ? { authorization: `Bearer ${token}`, 'content-type': 'application/json' } : { cookie: `session=${token}` }, body: body === undefined ? undefined : JSON.stringify(body) })
      return { status: res.status, text: await res.text() }
    }
    const refused = new Map<number, number>()
    try {
      await fc.assert(
        fc.asyncProperty(hostileRule, fc.option(fc.integer({ min: 0, max: 400 * 86_400_000 }), { nil: undefined }), async (recurrence, offset) => {
          const due = offset === undefined ? undefined : new Date(Date.UTC(2026, 11, 1) + offset).toISOString()
          const created = await api('POST', '/api/v1/tasks', { title: 'rule', due_date: due, recurrence })
          refused.set(created.status, (refused.get(created.status) ?? 0) + 1)
          if (created.status === 400) expect(JSON.parse(created.text).error.field).toBe('recurrence')
          else expect(created.status, `${recurrence}: ${created.text}`).toBe(201)
          const plain = await api('POST', '/api/v1/tasks', { title: 'plain', due_date: due ?? '2026-12-03T09:00:00Z' })
          const patched = await api('PATCH', `/api/v1/tasks/${JSON.parse(plain.text).id}`, { recurrence })
          expect([200, 400]).toContain(patched.status)
          expect((await api('GET', '/upcoming')).status).toBe(200)
        }),
        { seed: 20261130, numRuns: 120 },
      )
    } finally {
      polling = false
      await poller
    }
    latencies.sort((a, b) => a - b)
    const p99 = latencies[Math.floor(latencies.length * 0.99)]!
    console.log(`healthz while posting rules: ${latencies.length} probes, p50 ${latencies[latencies.length >> 1]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; answers ${JSON.stringify(Object.fromEntries(refused))}`)
    expect(refused.get(400) ?? 0).toBeGreaterThan(10)
    expect(refused.get(201) ?? 0).toBeGreaterThan(10)
    // A rule walked on the event loop stalls every request for seconds or for good (the pen test's rule did); a
    // busy machine adds tens of milliseconds. The speed target (p99 under 100 ms) is bench:rules's, not a test's.
    expect(latencies.at(-1)!).toBeLessThan(2000)
  })

  test("the pen test's first rule: the server answers it with a 400 and a SIGTERM still stops it", async () => {
    const res = await fetch(`${server.url}/api/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', due_date: '2026-12-01T10:00:00Z', recurrence: 'FREQ=SECONDLY;INTERVAL=2;BYSECOND=1' }),
      signal: AbortSignal.timeout(5_000),
    })
    expect(res.status).toBe(400)
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) })
    expect(health.status).toBe(200)
  })
})

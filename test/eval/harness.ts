// The assistant's evaluation: each case is a starting state, a conversation and the state it must leave.
// A case is scored on what the user would find afterwards (through the REST API), never on the words or
// tool calls that got there, and anything changed that the case did not ask for fails it.
import { readFileSync } from 'node:fs'
import type { PasswordHasher } from '../../src/features/auth/passwords'
import { testApp, type TestApp } from '../helpers/app'
import { Aliases, foreignProjects, seedSharing, shareKey, sharingState, type EvalShare, type Person } from './sharing'

export type Priority = 'high' | 'medium' | 'low'

/** A task as a case states it; what is left out takes the task API's default. */
export interface EvalTask {
  title: string
  /** An instant (`2026-12-04T16:00:00.000Z`) for a timed task, a day (`2026-12-04`) for an all-day one; none: no due date. */
  due?: string | null
  status?: 'pending' | 'completed'
  priority?: Priority
  tags?: string[]
  recurrence?: string | null
  /** The project's name; none: the Inbox. */
  project?: string
  /** The title of the task this one is a subtask of (listed before it in a start state); none: a top-level task. */
  parent?: string
}

/** A pending reminder: the task's title and the instant it goes off. */
export interface EvalReminder {
  task: string
  at: string
}

export interface EvalCase {
  id: string
  intent: string
  language: string
  /** The user's projects besides the Inbox, made before the tasks (an archived one as "Name (archived)"). */
  projects?: string[]
  /** Other people with accounts, by the address the case writes ("bob@example.com"); each run gives them their own. */
  people?: string[]
  /** What is shared at the start, either way (sharing.ts); a task in someone else's project is seeded by them. */
  sharing?: EvalShare[]
  /** The app's clock for the whole case. */
  now: string
  /** The user's IANA zone, given at sign-up. */
  timezone: string
  tasks: EvalTask[]
  /** Earlier messages of the same conversation, sent before `say`. */
  turns?: string[]
  say: string
  /** The whole state after: every task, and every pending reminder (none when left out). */
  expect: { tasks: EvalTask[]; reminders?: EvalReminder[]; projects?: string[]; sharing?: EvalShare[] }
  /** Words the last reply must hold (case-insensitive; a number must stand alone, so "3" is not found in "2026-12-03"). */
  reply_contains?: string[]
  /** Words the last reply must not hold: a filter that names a task it should have left out is wrong. */
  reply_excludes?: string[]
}

export interface CaseResult {
  id: string
  intent: string
  language: string
  pass: boolean
  /** One line: what was wrong, or "ok". */
  reason: string
  /** The assistant's last reply. */
  reply: string
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{3})?)?Z$/

/** The cases of a `.jsonl` file, one a line. */
export function loadCases(file: string | URL): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EvalCase)
}

/** What is wrong with a case as written (empty when it is well-formed). */
export function caseProblems(c: EvalCase): string[] {
  const problems: string[] = []
  if (!c.id || !c.intent || !c.language || !c.say?.trim()) problems.push('id, intent, language and say are required')
  if (!INSTANT.test(c.now)) problems.push(`now is not a UTC instant: ${c.now}`)
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.timezone })
  } catch {
    problems.push(`unknown zone ${c.timezone}`)
  }
  for (const t of [...c.tasks, ...(c.expect?.tasks ?? [])]) {
    if (!t.title?.trim()) problems.push('a task without a title')
    if (t.due != null && !DAY.test(t.due) && !INSTANT.test(t.due)) problems.push(`"${t.title}": due is neither a day nor a UTC instant: ${t.due}`)
  }
  if (!Array.isArray(c.expect?.tasks)) problems.push('expect.tasks is required (the whole state after)')
  for (const [i, t] of c.tasks.entries()) {
    if (t.parent && !c.tasks.slice(0, i).some((p) => norm(p.title) === norm(t.parent!))) problems.push(`"${t.title}": its parent "${t.parent}" is not a task before it`)
  }
  for (const r of c.expect?.reminders ?? []) {
    if (!INSTANT.test(r.at)) problems.push(`reminder of "${r.task}" is not at a UTC instant: ${r.at}`)
    if (!c.expect.tasks.some((t) => norm(t.title) === norm(r.task))) problems.push(`reminder of "${r.task}", a task not in the state after`)
  }
  return problems
}

/** Titles compare as a person reads them: case, punctuation and spacing aside. */
export function norm(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim()
}

/** A repeat however it was spelt: "DAILY", "FREQ=DAILY" and "RRULE:INTERVAL=1;FREQ=DAILY" are one rule. */
export function normRecurrence(rule: string | null | undefined): string {
  if (!rule) return '-'
  const body = rule.trim().toUpperCase().replace(/^RRULE:/, '')
  const parts = (/^(DAILY|WEEKLY|MONTHLY|YEARLY)$/.test(body) ? `FREQ=${body}` : body).split(';').filter((p) => p && p !== 'INTERVAL=1')
  return parts.sort().join(';')
}

/** One line per task, the same for an expected task and the API's task when they agree. */
function taskKey(t: EvalTask): string {
  const due = t.due == null ? '-' : DAY.test(t.due) ? t.due : new Date(t.due).toISOString()
  const tags = (t.tags ?? []).map((tag) => tag.toLowerCase().replace(/^#/, '')).sort().join(',')
  const under = t.parent ? [`under ${norm(t.parent)}`] : []
  return [norm(t.title), t.status ?? 'pending', due, t.priority ?? 'medium', tags, normRecurrence(t.recurrence), `in ${norm(t.project ?? 'Inbox')}`, ...under].join(' | ')
}

interface ApiTask {
  id: string
  title: string
  status: 'pending' | 'completed'
  priority: Priority
  due_date: string | null
  due_day?: string | null
  all_day?: boolean
  tags: string[]
  recurrence: string | null
  project_id: string
  parent_id: string | null
}

function fromApi(t: ApiTask, projectNames: Map<string, string>, titles: Map<string, string>): EvalTask {
  const due = t.all_day ? (t.due_day ?? null) : t.due_date
  const parent = t.parent_id ? { parent: titles.get(t.parent_id) ?? `(task ${t.parent_id})` } : {}
  return { title: t.title, status: t.status, priority: t.priority, due, tags: t.tags, recurrence: t.recurrence, project: projectNames.get(t.project_id) ?? `(project ${t.project_id})`, ...parent }
}

/** A project as a case names it: "Work", or "Work (archived)". */
const projectKey = (p: string) => norm(p.replace(/\s*\(archived\)$/i, '')) + (/\(archived\)$/i.test(p) ? ' (archived)' : '')

/** The difference between two multisets of lines, as one short sentence (empty when equal). */
export function difference(label: string, expected: string[], actual: string[]): string {
  const left = [...actual]
  const missing: string[] = []
  for (const line of expected) {
    const at = left.indexOf(line)
    if (at >= 0) left.splice(at, 1)
    else missing.push(line)
  }
  if (!missing.length && !left.length) return ''
  const parts: string[] = []
  if (missing.length) parts.push(`expected ${missing.map((l) => `[${l}]`).join(' ')}`)
  if (left.length) parts.push(`found ${left.map((l) => `[${l}]`).join(' ')}`)
  return `${label}: ${parts.join(', ')}`
}

function mentions(reply: string, word: string): boolean {
  if (/^\d+$/.test(word)) return new RegExp(`(?<!\\d)${word}(?!\\d)`).test(reply)
  return reply.toLowerCase().includes(word.toLowerCase())
}

/** The judge, apart from the app: what is wrong with the state after and the last reply ("" when nothing). */
export function judge(c: EvalCase, after: { tasks: EvalTask[]; reminders: EvalReminder[]; projects: string[]; sharing?: EvalShare[] }, reply: string): string {
  const tasks = difference(
    'tasks',
    c.expect.tasks.map(taskKey),
    after.tasks.map(taskKey),
  )
  if (tasks) return tasks
  const reminderKey = (r: EvalReminder) => `${norm(r.task)} @ ${new Date(r.at).toISOString()}`
  const reminders = difference('reminders', (c.expect.reminders ?? []).map(reminderKey), after.reminders.map(reminderKey))
  if (reminders) return reminders
  // The projects after: as expected, or else as they were (a case that asked for no project change fails on any).
  const projects = difference('projects', (c.expect.projects ?? c.projects ?? []).map(projectKey), after.projects.map(projectKey))
  if (projects) return projects
  // The sharing after: as expected, or else as it was.
  const sharing = difference('sharing', (c.expect.sharing ?? c.sharing ?? []).map(shareKey), (after.sharing ?? []).map(shareKey))
  if (sharing) return sharing
  const absent = (c.reply_contains ?? []).filter((w) => !mentions(reply, w))
  if (absent.length) return `reply lacks ${absent.map((w) => `"${w}"`).join(', ')}`
  const present = (c.reply_excludes ?? []).filter((w) => mentions(reply, w))
  if (present.length) return `reply names ${present.map((w) => `"${w}"`).join(', ')}, which it should have left out`
  return ''
}

// The eval measures the assistant, not argon2: a plain hasher keeps hundreds of sign-ups quick.
const plainPasswords: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (password, hash) => hash === `plain:${password}`,
}

export interface EvalRunner {
  /**
   * Runs one case as a new user at the case's clock; never throws. A start state that does not seed as
   * written fails it with a reason starting "harness:", as does any other failure of the harness or the app.
   */
  run(c: EvalCase): Promise<CaseResult>
  /** Many cases, as `run` would give them one by one, in their order. */
  runAll(cases: EvalCase[], concurrency?: number): Promise<CaseResult[]>
  dispose(): Promise<void>
}

/**
 * One app and database for many cases: each case gets a fresh user, so cases never see each other's
 * tasks, and the clock is set to the case's `now` before anything of it runs (cases run one at a time).
 * `env` reaches the app as its configuration: OPENAI_* there make a model answer instead of the offline agent.
 */
export async function evalRunner(options: { env?: Record<string, string> } = {}): Promise<EvalRunner> {
  let now = new Date()
  // Cases are sent as fast as the app answers; the per-user chat limit is not what is measured.
  const app: TestApp = await testApp({ clock: () => now, passwords: plainPasswords, env: { CHAT_MESSAGES_PER_MINUTE: '1000', ...options.env } })
  let users = 0
  let runs = 0

  /** Signs up and logs in `email` from an address of its own, as different people would (sign-up is limited per address). */
  async function signUp(email: string, timezone: string): Promise<Person> {
    users += 1
    const ip = `10.${(users >> 16) & 255}.${(users >> 8) & 255}.${users & 255}`
    const headers = { 'x-forwarded-for': ip }
    const up = await app.call('POST', '/api/v1/auth/signup', { body: { email, password: 'correct horse battery', timezone }, headers })
    if (up.status !== 202) throw new Error(`sign-up: ${up.status} ${up.text}`)
    const login = await app.call('POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery' }, headers })
    if (login.status !== 200) throw new Error(`log-in: ${login.status} ${login.text}`)
    return { id: login.body.user.id as string, token: login.body.token as string, email }
  }

  async function begin(c: EvalCase, aliases: Aliases): Promise<Person> {
    now = new Date(c.now)
    const people = new Map<string, Person>()
    for (const p of c.people ?? []) people.set(p.toLowerCase(), await signUp(aliases.of(p), c.timezone))
    const user = await signUp(`eval-${users + 1}-${crypto.randomUUID().slice(0, 8)}@example.com`, c.timezone)
    const { token } = user
    for (const p of c.projects ?? []) {
      const made = await app.call('POST', '/api/v1/projects', { token, body: { name: p.replace(/\s*\(archived\)$/i, '') } })
      if (made.status !== 201) throw new Error(`seeding project "${p}": ${made.status} ${made.text}`)
      if (/\(archived\)$/i.test(p)) {
        const archived = await app.call('PATCH', `/api/v1/projects/${made.body.id}`, { token, body: { archived: true } })
        if (archived.status !== 200) throw new Error(`archiving "${p}": ${archived.status} ${archived.text}`)
      }
    }
    const projectIds = await projectsOf(token)
    const made: Array<{ id: string; title: string }> = []
    // A task in someone else's project is theirs, seeded with their share.
    const foreign = foreignProjects(c.sharing ?? [])
    const tasks = c.tasks.filter((t) => !t.project || !foreign.has(t.project.toLowerCase()))
    for (const t of tasks) {
      const body: Record<string, unknown> = { title: t.title }
      if (t.parent) body.parent_id = made.find((m) => norm(m.title) === norm(t.parent!))?.id ?? `(no task "${t.parent}" before it)`
      if (t.project) body.project_id = [...projectIds].find(([, name]) => norm(name) === norm(t.project!))?.[0]
      if (t.due != null) body.due_date = t.due
      if (t.priority) body.priority = t.priority
      if (t.tags?.length) body.tags = t.tags
      if (t.recurrence) body.recurrence = t.recurrence
      const added = await app.call('POST', '/api/v1/tasks', { token, body })
      if (added.status !== 201) throw new Error(`seeding "${t.title}": ${added.status} ${added.text}`)
      made.push({ id: added.body.id, title: t.title })
    }
    // Completed once every task is made, so a subtask may sit under a completed parent; the parent's open subtasks stay open.
    for (const [i, t] of tasks.entries()) {
      if (t.status !== 'completed') continue
      const done = await app.call('POST', `/api/v1/tasks/${made[i]!.id}/complete?children=keep`, { token })
      if (done.status !== 200) throw new Error(`completing "${t.title}": ${done.status} ${done.text}`)
    }
    if (c.sharing?.length) await seedSharing(app, () => now, c.sharing, user, people, projectIds)
    return user
  }

  /** Every project of the user, archived ones too: id → name. */
  async function projectsOf(token: string): Promise<Map<string, string>> {
    const page = await app.call('GET', '/api/v1/projects?archived=true', { token })
    if (page.status !== 200) throw new Error(`listing projects: ${page.status} ${page.text}`)
    return new Map((page.body.items as Array<{ id: string; name: string }>).map((p) => [p.id, p.name]))
  }

  async function state(user: Person, aliases: Aliases, sharing: boolean): Promise<{ tasks: EvalTask[]; reminders: EvalReminder[]; projects: string[]; sharing: EvalShare[] }> {
    const { token } = user
    const apiTasks: ApiTask[] = []
    let cursor: string | undefined
    do {
      const page = await app.call('GET', `/api/v1/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })
      if (page.status !== 200) throw new Error(`listing tasks: ${page.status} ${page.text}`)
      apiTasks.push(...page.body.items)
      cursor = page.body.next_cursor ?? undefined
    } while (cursor)
    const titles = new Map(apiTasks.map((t) => [t.id, t.title]))
    const reminders: EvalReminder[] = []
    for (const when of ['upcoming', 'past']) {
      const page = await app.call('GET', `/api/v1/reminders?when=${when}&limit=100`, { token })
      if (page.status !== 200) throw new Error(`listing reminders: ${page.status} ${page.text}`)
      for (const r of page.body.items as Array<{ task_id: string; remind_at: string; status: string }>) {
        if (r.status === 'pending') reminders.push({ task: titles.get(r.task_id) ?? '(a task not listed)', at: r.remind_at })
      }
    }
    const page = await app.call('GET', '/api/v1/projects?archived=true', { token })
    if (page.status !== 200) throw new Error(`listing projects: ${page.status} ${page.text}`)
    const items = page.body.items as Array<{ id: string; name: string; is_inbox: boolean; archived: boolean; role?: string }>
    const names = new Map(items.map((p) => [p.id, p.name]))
    // The user's own projects; those shared with them are judged with the sharing.
    const projects = items.filter((p) => !p.is_inbox && (p.role ?? 'owner') === 'owner').map((p) => `${p.name}${p.archived ? ' (archived)' : ''}`)
    return { tasks: apiTasks.map((t) => fromApi(t, names, titles)), reminders, projects, sharing: sharing ? await sharingState(app, () => now, user, aliases) : [] }
  }

  async function run(c: EvalCase): Promise<CaseResult> {
    let reply = ''
    const result = (reason: string): CaseResult => ({ id: c.id, intent: c.intent, language: c.language, pass: !reason, reason: reason || 'ok', reply })
    try {
      runs += 1
      const aliases = new Aliases(c.people ?? [], runs)
      const user = await begin(c, aliases)
      const { token } = user
      const sharing = Boolean(c.people?.length || c.sharing?.length || c.expect.sharing)
      // Read back, the seeded state must be the case's start state, or the case tests something else.
      const start = await state(user, aliases, sharing)
      const seeded = difference('seeded', c.tasks.map(taskKey), start.tasks.map(taskKey)) || difference('seeded sharing', (c.sharing ?? []).map(shareKey), start.sharing.map(shareKey))
      if (seeded) throw new Error(seeded)
      let conversation: string | undefined
      for (const message of [...(c.turns ?? []), c.say].map(aliases.outgoing)) {
        const answer = await app.call('POST', '/api/v1/chat', { token, body: conversation ? { message, conversation_id: conversation } : { message } })
        if (answer.status !== 200) return result(`chat answered ${answer.status} to "${message}"`)
        conversation = answer.body.conversation_id
        reply = aliases.incoming(answer.body.reply)
      }
      return result(judge(c, await state(user, aliases, sharing), reply))
    } catch (error) {
      return result(`harness: ${(error as Error).message.split('\n')[0]}`)
    }
  }

  /**
   * Every case, in order of `cases`. Cases that share a clock run `concurrency` at a time (each is its own
   * user, so they cannot meet); a clock is only moved when no case of another is running.
   */
  async function runAll(cases: EvalCase[], concurrency = 8): Promise<CaseResult[]> {
    const results = new Map<EvalCase, CaseResult>()
    const byClock = new Map<string, EvalCase[]>()
    for (const c of cases) byClock.set(c.now, [...(byClock.get(c.now) ?? []), c])
    for (const group of byClock.values()) {
      let next = 0
      const worker = async () => {
        while (next < group.length) {
          const c = group[next++]!
          results.set(c, await run(c))
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, group.length) }, worker))
    }
    return cases.map((c) => results.get(c)!)
  }

  return { run, runAll, dispose: () => app.dispose() }
}

export interface Tally {
  pass: number
  total: number
}

export interface Summary {
  score: number
  pass: number
  total: number
  byIntent: Map<string, Tally>
  byLanguage: Map<string, Tally>
}

export function summarize(results: CaseResult[]): Summary {
  const byIntent = new Map<string, Tally>()
  const byLanguage = new Map<string, Tally>()
  for (const r of results) {
    for (const [map, key] of [[byIntent, r.intent], [byLanguage, r.language]] as const) {
      const tally = map.get(key) ?? { pass: 0, total: 0 }
      tally.total += 1
      if (r.pass) tally.pass += 1
      map.set(key, tally)
    }
  }
  const pass = results.filter((r) => r.pass).length
  return { score: results.length ? pass / results.length : 0, pass, total: results.length, byIntent, byLanguage }
}

/** Per-intent (and per-language) passes for each set side by side: counts only, never which case. */
export function table(sets: Array<[string, Summary]>): string {
  const keys = (pick: (s: Summary) => Map<string, Tally>) => [...new Set(sets.flatMap(([, s]) => [...pick(s).keys()]))].sort()
  const cell = (t: Tally | undefined) => (t ? `${t.pass}/${t.total}` : '-').padStart(9)
  const lines = [`${'intent'.padEnd(14)}${sets.map(([name]) => name.padStart(9)).join('')}`]
  for (const k of keys((s) => s.byIntent)) lines.push(`${k.padEnd(14)}${sets.map(([, s]) => cell(s.byIntent.get(k))).join('')}`)
  lines.push(`${'language'.padEnd(14)}${sets.map(([name]) => name.padStart(9)).join('')}`)
  for (const k of keys((s) => s.byLanguage)) lines.push(`${k.padEnd(14)}${sets.map(([, s]) => cell(s.byLanguage.get(k))).join('')}`)
  return lines.join('\n')
}

export const percent = (s: Summary) => `${(s.score * 100).toFixed(1)}% (${s.pass}/${s.total})`

/** The targets of the evaluation: held-out at least 90%, dev at least 95%. */
export const TARGETS = { dev: 0.95, heldout: 0.9 } as const

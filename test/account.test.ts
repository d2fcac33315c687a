// A person's own account in Settings: changing the password, taking all their data away (JSON, tasks as CSV), and
// deleting the account with everything in it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { getTableName, sql, type Table } from 'drizzle-orm'
import { exportTableCsv, type ExportTable } from '../src/features/account/export'
import { queryRows } from '../src/db/client'
import { loadEnv } from '../src/env'
import { passwordHasherOf } from '../src/features/auth/passwords'
import { resetPassword } from '../src/features/auth/service'
import { PASSWORD, testApp, type TestApp } from './helpers/app'
import { browser as browse, csrfOf } from './helpers/web'
import { until } from './helpers/wait'

let t: TestApp
beforeAll(async () => {
  // The activity trail is written by the event consumers: this app runs them.
  t = await testApp({ events: true })
})
afterAll(() => t.dispose())

const browser = (method: string, path: string, options: Parameters<typeof browse>[3] = {}) => browse(t, method, path, options)

/** A new account, signed in: its session, that page's CSRF token, its email and id. */
async function person() {
  const { token, user } = await t.signUp()
  const csrf = csrfOf((await browser('GET', '/settings', { session: token })).text)
  return { token, csrf, email: user.email, id: user.id }
}

const logIn = (email: string, password: string) => t.call('POST', '/api/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': '203.0.113.9' } })

describe('changing the password', () => {
  test('needs the current one and a good new one, each refusal naming its field', async () => {
    const me = await person()
    const wrong = await browser('POST', '/settings/password', { session: me.token, form: { current_password: 'not my password', password: 'a much better secret', _csrf: me.csrf } })
    expect(wrong.status).toBe(400)
    expect(wrong.text).toContain('current_password is not your current password')
    const weak = await browser('POST', '/settings/password', { session: me.token, form: { current_password: PASSWORD, password: 'aaaaaaaaaaaa', _csrf: me.csrf } })
    expect(weak.status).toBe(400)
    expect(weak.text).toContain('password must not be one character repeated')
    expect((await logIn(me.email, PASSWORD)).status).toBe(200)
  })

  test('signs out every other session at once; this one, and API tokens, go on; only the new password logs in', async () => {
    const me = await person()
    const elsewhere = (await logIn(me.email, PASSWORD)).body.token as string
    const apiToken = (await t.call('POST', '/api/v1/tokens', { token: me.token, body: { name: 'script' } })).body.token as string
    const changed = await browser('POST', '/settings/password', { session: me.token, form: { current_password: PASSWORD, password: 'a much better secret', _csrf: me.csrf } })
    expect(changed.status).toBe(200)
    expect(changed.text).toContain('Password changed; other sessions are signed out.')
    expect((await t.call('GET', '/api/v1/me', { token: elsewhere })).status).toBe(401)
    expect((await t.call('GET', '/api/v1/me', { token: me.token })).status).toBe(200)
    expect((await t.call('GET', '/api/v1/me', { token: apiToken })).status).toBe(200)
    expect((await logIn(me.email, PASSWORD)).status).toBe(401)
    expect((await logIn(me.email, 'a much better secret')).status).toBe(200)
  })
})

describe('forgot password: an operator resets it', () => {
  test('a new random password is set and handed back; the old one and every session stop', async () => {
    const me = await person()
    const password = await resetPassword({ db: t.database.db, clock: () => new Date(), passwords: passwordHasherOf({ env: loadEnv({}) }) }, me.email.toUpperCase())
    expect(password).toHaveLength(20)
    // The reset runs in its own process: the app hears of it through the database's NOTIFY, within moments.
    await until('the session is revoked', async () => (await t.call('GET', '/api/v1/me', { token: me.token })).status === 401, { timeoutMs: 5000 })
    expect((await logIn(me.email, PASSWORD)).status).toBe(401)
    expect((await logIn(me.email, password)).status).toBe(200)
    await expect(resetPassword({ db: t.database.db, clock: () => new Date(), passwords: passwordHasherOf({ env: loadEnv({}) }) }, 'nobody@example.com')).rejects.toThrow('account not found')
  })
})

describe('exporting', () => {
  test('JSON holds everything of the account and nothing of anyone else, and no token secret', async () => {
    const me = await person()
    const other = await person()
    const task = (await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: 'Pay rent', due_date: '2030-01-01', tags: ['home'] } })).body
    await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: me.token, body: { lead: '1d' } })
    await t.call('POST', '/api/v1/tasks', { token: other.token, body: { title: 'Not yours' } })
    await t.call('POST', '/api/v1/projects', { token: me.token, body: { name: 'Chores', color: 'red' } })
    await t.call('POST', '/api/v1/projects', { token: other.token, body: { name: 'Not yours either' } })
    const apiToken = (await t.call('POST', '/api/v1/tokens', { token: me.token, body: { name: 'script' } })).body.token as string
    await t.call('POST', '/api/v1/chat', { token: me.token, body: { message: 'list' } })
    await t.drain()
    const res = await browser('GET', '/settings/export.json', { session: me.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toStartWith('attachment; filename=')
    const data = JSON.parse(res.text)
    expect(data).toMatchObject({ format: 'todo-chatbot export', version: 1, account: { id: me.id, email: me.email } })
    expect(data.tasks).toEqual([expect.objectContaining({ id: task.id, title: 'Pay rent', all_day: true, due_day: '2030-01-01', tags: ['home'] })])
    // The account's projects, the Inbox first; each task names its project.
    expect(data.projects).toEqual([expect.objectContaining({ name: 'Inbox', is_inbox: true }), expect.objectContaining({ name: 'Chores', color: 'red', is_inbox: false })])
    expect(data.tasks[0].project_id).toBe(data.projects[0].id)
    expect(data.reminders).toEqual([expect.objectContaining({ task_id: task.id, lead: '1d' })])
    expect(data.activity.map((e: { action: string }) => e.action)).toEqual(['created'])
    expect(data.api_tokens).toEqual([expect.objectContaining({ name: 'script' })])
    expect(data.conversations[0].messages.map((m: { content: string }) => m.content)[0]).toBe('list')
    expect(res.text).not.toContain('Not yours')
    expect(res.text).not.toContain(apiToken)
    expect(res.text).not.toContain(me.token)
  })

  test('CSV: a line per task, quotes and commas kept, a formula-like title made text', async () => {
    const me = await person()
    await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: 'Buy "good" coffee, beans', tags: ['shop', 'home'] } })
    await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: '=HYPERLINK("http://x")' } })
    const res = await browser('GET', '/settings/export.csv', { session: me.token })
    expect(res.headers.get('content-type')).toStartWith('text/csv')
    const lines = res.text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,title,description,status,priority,due_date,due_day,all_day,recurrence,tags,created_at,completed_at,project_id')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(',"Buy ""good"" coffee, beans",,pending,medium,,,false,,shop home,')
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://x"")",`)
  })

  test('CSV of every other table, a file each: reminders, notifications, activity, conversations, saved filters and token names; none of anyone else', async () => {
    const me = await person()
    const other = await person()
    const task = (await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: 'Pay rent, twice', due_date: '2030-01-01' } })).body
    await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: me.token, body: { lead: '1d' } })
    await t.call('POST', '/api/v1/tasks', { token: other.token, body: { title: 'Not yours' } })
    const apiToken = (await t.call('POST', '/api/v1/tokens', { token: me.token, body: { name: 'script' } })).body.token as string
    await t.call('POST', '/api/v1/chat', { token: me.token, body: { message: 'list' } })
    await t.drain()
    const csv = async (file: string) => {
      const res = await browser('GET', `/settings/export/${file}`, { session: me.token })
      expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({ file, status: 200, type: 'text/csv; charset=utf-8' })
      expect(res.headers.get('content-disposition')).toEndWith(`-${file}"`)
      expect(res.text).not.toContain('Not yours')
      return res.text.trimEnd().split('\r\n')
    }
    expect(await csv('reminders.csv')).toEqual(['id,task_id,remind_at,lead,status', expect.stringMatching(new RegExp(`^[0-9a-f-]{36},${task.id},2029-12-31T\\S+,1d,pending$`))])
    expect(await csv('notifications.csv')).toEqual(['id,task_id,title,body,created_at,read'])
    const activity = await csv('activity.csv')
    expect(activity[0]).toBe('id,task_id,action,title,changes,actor_email,occurred_at')
    expect(activity[1]).toContain(`,${task.id},created,"Pay rent, twice",,`)
    const messages = await csv('messages.csv')
    expect(messages[0]).toBe('conversation_id,conversation_title,role,content,created_at')
    expect(messages[1]).toContain(',user,list,')
    expect(await csv('saved-filters.csv')).toEqual(['id,name,query,position,created_at,updated_at'])
    expect(await csv('projects.csv')).toEqual(['id,name,color,is_inbox,archived_at,position,created_at,updated_at', expect.stringMatching(/^[0-9a-f-]{36},Inbox,grey,true,,0,\S+,\S+$/)])
    const tokens = await csv('api-tokens.csv')
    expect(tokens).toEqual(['name,created_at,last_used_at', expect.stringMatching(/^script,\S+,$/)])
    expect(tokens.join('\n')).not.toContain(apiToken)
    expect((await browser('GET', '/settings/export/users.csv', { session: me.token })).status).toBe(404)
    expect((await browser('GET', '/settings/export/reminders.json', { session: me.token })).status).toBe(404)
  })

  test('one table as CSV reads that table alone, not the whole account', async () => {
    const me = await person()
    const tables: string[] = []
    // The database as the export sees it, noting each table it selects from.
    const db = new Proxy(t.database.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target)
        if (key !== 'select') return typeof value === 'function' ? value.bind(target) : value
        return (...args: unknown[]) => {
          const builder = value.apply(target, args)
          const from = builder.from.bind(builder)
          builder.from = (table: Table) => (tables.push(getTableName(table)), from(table))
          return builder
        }
      },
    })
    const csvOf = async (table: ExportTable) => (await exportTableCsv(db, { id: me.id, email: me.email, timezone: 'UTC' }, table)).split('\r\n')[0]
    expect(await csvOf('saved-filters')).toBe('id,name,query,position,created_at,updated_at')
    expect(tables).toEqual(['saved_filters'])
    tables.length = 0
    await csvOf('messages')
    expect(tables).toEqual(['conversations'])
  })

  test('signed out, the export leads to the log-in', async () => {
    const res = await browser('GET', '/settings/export.json')
    expect(res.status).toBe(303)
  })
})

describe('deleting the account', () => {
  test('needs the password and DELETE typed out; then everything goes, sessions and tokens stop, others are untouched', async () => {
    const me = await person()
    const other = await person()
    const apiToken = (await t.call('POST', '/api/v1/tokens', { token: me.token, body: { name: 'script' } })).body.token as string
    const theirs = (await t.call('POST', '/api/v1/tasks', { token: other.token, body: { title: 'Still here' } })).body
    for (let i = 0; i < 3; i++) await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: `Mine ${i}`, due_date: '2030-01-01T10:00' } })
    await t.drain()
    // A change still on its way when the account goes: its event must not break the consumers.
    await t.call('POST', '/api/v1/tasks', { token: me.token, body: { title: 'In flight' } })

    const unconfirmed = await browser('POST', '/settings/delete', { session: me.token, form: { password: PASSWORD, confirm: 'yes', _csrf: me.csrf } })
    expect(unconfirmed.status).toBe(400)
    expect(unconfirmed.text).toContain('confirm must be the word DELETE, typed out')
    const wrong = await browser('POST', '/settings/delete', { session: me.token, form: { password: 'not my password', confirm: 'DELETE', _csrf: me.csrf } })
    expect(wrong.status).toBe(400)
    expect(wrong.text).toContain('password is not your current password')
    expect((await t.call('GET', '/api/v1/me', { token: me.token })).status).toBe(200)

    const gone = await browser('POST', '/settings/delete', { session: me.token, form: { password: PASSWORD, confirm: 'DELETE', _csrf: me.csrf } })
    expect(gone.status).toBe(303)
    expect(gone.headers.get('location')).toBe('/login?deleted=1')
    expect(gone.headers.get('set-cookie')).toContain('session=;')
    expect((await t.call('GET', '/api/v1/me', { token: me.token })).status).toBe(401)
    expect((await t.call('GET', '/api/v1/me', { token: apiToken })).status).toBe(401)
    expect((await logIn(me.email, PASSWORD)).status).toBe(401)
    await t.drain()
    // Nothing of the account is kept: its tasks, reminders and activity went with it.
    const [left] = await queryRows<{ tasks: unknown; audit: unknown; tokens: unknown }>(
      t.database.db,
      sql`select (select count(*) from tasks where user_id = ${me.id}) as tasks, (select count(*) from audit_log where user_id = ${me.id}) as audit, (select count(*) from api_tokens where user_id = ${me.id}) as tokens`,
    )
    expect([Number(left!.tasks), Number(left!.audit), Number(left!.tokens)]).toEqual([0, 0, 0])
    expect((await t.call('GET', `/api/v1/tasks/${theirs.id}`, { token: other.token })).body.title).toBe('Still here')
  })
})

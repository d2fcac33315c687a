// Reminder webhooks: set in Settings, POSTed signed (HMAC-SHA256 over timestamp and body), retried with backoff.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { parseWebhookUrl, sign, WebhookSender } from '../src/features/reminders/webhooks'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'

let t: TestApp
const received: Array<{ headers: Headers; body: string }> = []
let failNext = 0
let receiver: ReturnType<typeof Bun.serve>

beforeAll(async () => {
  t = await testApp({ events: true, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const body = await req.text()
      if (failNext > 0) {
        failNext--
        return new Response('not now', { status: 503 })
      }
      received.push({ headers: req.headers, body })
      return new Response(null, { status: 204 })
    },
  })
})
afterAll(async () => {
  receiver.stop(true)
  await t.dispose()
})

async function settingsForm(token: string, path: string, form: Record<string, string>) {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await t.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${token}` } }))).text())![1]!
  const res = await t.app.handle(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
    }),
  )
  return { status: res.status, text: await res.text() }
}

test('webhook URLs: https to a public host, unless private addresses are allowed', () => {
  expect(parseWebhookUrl('https://hooks.example.com/todo', false)).toBe('https://hooks.example.com/todo')
  for (const bad of ['http://hooks.example.com/x', 'https://127.0.0.1/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://192.168.0.5/', 'https://user:pw@example.com/', 'ftp://example.com/', 'not a url']) {
    expect(() => parseWebhookUrl(bad, false)).toThrow()
  }
  expect(parseWebhookUrl('http://127.0.0.1:9/x', true)).toBe('http://127.0.0.1:9/x')
})

test('a fired reminder is POSTed to the webhook, signed; a failure is retried until it is delivered', async () => {
  const { token } = await t.signUp()
  const saved = await settingsForm(token, '/settings/webhook', { url: `http://127.0.0.1:${receiver.port}/hook` })
  expect(saved.status).toBe(200)
  const secret = /(whsec_[A-Za-z0-9_-]+)/.exec(saved.text)![1]!
  const bystander = await t.signUp()
  await t.call('POST', '/api/v1/tasks', { token: bystander.token, body: { title: 'Not mine' } })

  const { body: task } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Webhook me', due_date: new Date(Date.now() + 3_600_000).toISOString() } })
  await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token, body: { remind_at: new Date(Date.now() + 700).toISOString() } })
  await t.drain()
  const deadline = Date.now() + 5000
  let queued: Array<{ id: string }> = []
  while (Date.now() < deadline && queued.length === 0) {
    await Bun.sleep(50)
    await t.drain()
    queued = await rows<{ id: string }>(t.database, sql`select id from webhook_deliveries`)
  }
  expect(queued).toHaveLength(1)

  const sender = new WebhookSender({ database: t.database, log: createLogger('silent'), baseDelaySeconds: 0 })
  failNext = 1
  expect(await sender.run()).toBe(0)
  const [after] = await rows<{ attempts: number; last_status: number; delivered_at: unknown }>(t.database, sql`select attempts, last_status, delivered_at from webhook_deliveries`)
  expect(after).toMatchObject({ attempts: 1, last_status: 503, delivered_at: null })
  expect(await sender.run()).toBe(1)
  await sender.stop()

  expect(received).toHaveLength(1)
  const { headers, body } = received[0]!
  const timestamp = headers.get('x-todo-timestamp')!
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(30)
  expect(headers.get('x-todo-signature')).toBe(sign(secret, timestamp, body))
  expect(headers.get('x-todo-delivery')).toBe(queued[0]!.id)
  expect(headers.get('content-type')).toBe('application/json')
  expect(JSON.parse(body)).toMatchObject({ type: 'reminder.triggered', task: { id: task.id, title: 'Webhook me' } })
  // A delivered webhook is not sent again.
  expect(await new WebhookSender({ database: t.database, log: createLogger('silent') }).run()).toBe(0)
  expect(received).toHaveLength(1)
})

test('an unsafe URL is refused on the settings form when private addresses are not allowed', async () => {
  const strict = await testApp()
  try {
    const { token } = await strict.signUp()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await strict.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${token}` } }))).text())![1]!
    const res = await strict.app.handle(
      new Request('http://localhost/settings/webhook', {
        method: 'POST',
        headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ url: 'http://169.254.169.254/latest/meta-data', _csrf: csrf }).toString(),
      }),
    )
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('url must use https')
  } finally {
    await strict.dispose()
  }
})

test("a reminder goes only to its owner's webhook: never to another user's, and not at all for a user without one", async () => {
  const alice = await t.signUp()
  const bob = await t.signUp()
  const carol = await t.signUp()
  expect((await settingsForm(alice.token, '/settings/webhook', { url: `http://127.0.0.1:${receiver.port}/alice` })).status).toBe(200)
  expect((await settingsForm(bob.token, '/settings/webhook', { url: `http://127.0.0.1:${receiver.port}/bob` })).status).toBe(200)
  const tasks: Record<string, string> = {}
  for (const [name, who] of [['alice', alice], ['bob', bob], ['carol', carol]] as const) {
    const { body: task } = await t.call('POST', '/api/v1/tasks', { token: who.token, body: { title: `${name}'s secret errand`, due_date: new Date(Date.now() + 3_600_000).toISOString() } })
    await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: who.token, body: { remind_at: new Date(Date.now() + 500).toISOString() } })
    tasks[name] = task.id
  }
  const fired = async () => (await rows<{ n: number | string }>(t.database, sql`select count(*) as n from notifications where task_id in (${tasks.alice!}, ${tasks.bob!}, ${tasks.carol!})`))[0]!.n
  const deadline = Date.now() + 8000
  while (Date.now() < deadline && Number(await fired()) < 3) {
    await Bun.sleep(50)
    await t.drain()
  }
  expect(Number(await fired())).toBe(3)
  await t.drain()
  const deliveries = await rows<{ user_id: string; url: string; body: string }>(t.database, sql`select user_id, url, body from webhook_deliveries where user_id in (${alice.user.id}, ${bob.user.id}, ${carol.user.id})`)
  const byUser = Object.fromEntries(deliveries.map((d) => [d.user_id, { url: d.url, task: (JSON.parse(d.body) as { task: { id: string } }).task.id }]))
  expect(deliveries).toHaveLength(2)
  expect(byUser[alice.user.id]).toEqual({ url: `http://127.0.0.1:${receiver.port}/alice`, task: tasks.alice! })
  expect(byUser[bob.user.id]).toEqual({ url: `http://127.0.0.1:${receiver.port}/bob`, task: tasks.bob! })
  expect(deliveries.some((d) => d.body.includes(tasks.carol!) || d.body.includes("carol's"))).toBe(false)
})

// Reminder webhooks: set in Settings, POSTed signed (HMAC-SHA256 over timestamp and body), retried with backoff.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { sql } from 'drizzle-orm'
import { parseWebhookUrl, sign, WebhookSender } from '../src/features/reminders/webhooks'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { until } from './helpers/wait'

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
  expect(String(parseWebhookUrl('https://hooks.example.com/todo', false))).toBe('https://hooks.example.com/todo')
  for (const bad of ['http://hooks.example.com/x', 'https://127.0.0.1/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://192.168.0.5/', 'https://user:pw@example.com/', 'ftp://example.com/', 'not a url']) {
    expect(() => parseWebhookUrl(bad, false)).toThrow()
  }
  expect(String(parseWebhookUrl('http://127.0.0.1:9/x', true))).toBe('http://127.0.0.1:9/x')
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
  let queued: Array<{ id: string }> = []
  await until('the reminder to fire and queue its webhook', async () => {
    await t.drain()
    return (queued = await rows<{ id: string }>(t.database, sql`select id from webhook_deliveries`)).length > 0
  }, { timeoutMs: 5_000, everyMs: 50 })
  expect(queued).toHaveLength(1)

  const sender = new WebhookSender({ database: t.database, log: createLogger('silent'), allowPrivate: true, baseDelaySeconds: 0 })
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
  expect(await new WebhookSender({ database: t.database, log: createLogger('silent'), allowPrivate: true }).run()).toBe(0)
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
  await until('the three reminders to fire', async () => {
    await t.drain()
    return Number(await fired()) >= 3
  }, { timeoutMs: 8_000, everyMs: 50 })
  expect(Number(await fired())).toBe(3)
  await t.drain()
  const deliveries = await rows<{ user_id: string; url: string; body: string }>(t.database, sql`select user_id, url, body from webhook_deliveries where user_id in (${alice.user.id}, ${bob.user.id}, ${carol.user.id})`)
  const byUser = Object.fromEntries(deliveries.map((d) => [d.user_id, { url: d.url, task: (JSON.parse(d.body) as { task: { id: string } }).task.id }]))
  expect(deliveries).toHaveLength(2)
  expect(byUser[alice.user.id]).toEqual({ url: `http://127.0.0.1:${receiver.port}/alice`, task: tasks.alice! })
  expect(byUser[bob.user.id]).toEqual({ url: `http://127.0.0.1:${receiver.port}/bob`, task: tasks.bob! })
  expect(deliveries.some((d) => d.body.includes(tasks.carol!) || d.body.includes("carol's"))).toBe(false)
})

test('a saved webhook URL must name a public host: loopback, private, link-local, CGNAT, metadata, IPv4-in-IPv6, reserved and internal names are refused', () => {
  const refused = [
    'https://[::ffff:127.0.0.1]:8443/', 'https://localhost.:8443/', 'https://LOCALHOST/', 'https://[::]/', 'https://[::1]/', 'https://[fe80::1]/',
    'https://[::ffff:169.254.169.254]/', 'https://169.254.169.254/latest', 'https://100.64.0.1/', 'https://kubernetes.default.svc/', 'https://kubernetes/',
    'https://0x7f.1/', 'https://2130706433/', 'https://0.0.0.0/', 'https://[64:ff9b::127.0.0.1]/', 'https://[::127.0.0.1]/', 'https://[2002:7f00:1::]/',
    'https://[fc00::1]/', 'https://[fd00:ec2::254]/', 'https://224.0.0.1/', 'https://255.255.255.255/', 'https://192.0.2.1/', 'https://198.18.0.1/',
    'https://[2001:db8::1]/', 'https://[ff02::1]/', 'https://printer.local/', 'https://db.internal./', 'https://redis.default.svc.cluster.local/',
  ]
  for (const url of refused) {
    let error: unknown
    try {
      parseWebhookUrl(url, false)
    } catch (e) {
      error = e
    }
    expect({ url, field: (error as { field?: string } | undefined)?.field, message: String((error as Error | undefined)?.message) }).toMatchObject({ url, field: 'url', message: expect.stringContaining('public host') })
  }
  for (const url of ['https://hooks.example.com/todo', 'https://93.184.216.34/x', 'https://[2606:4700::1111]:8443/x', 'https://[::ffff:8.8.8.8]/x']) {
    expect(String(parseWebhookUrl(url, false))).toBe(new URL(url).toString())
  }
})

describe('at send time, with private addresses not allowed', () => {
  let strict: TestApp
  let knocks = 0
  let listener: Bun.TCPSocketListener
  beforeAll(async () => {
    strict = await testApp()
    // Counts every TCP connection: a TLS ClientHello reaching it would be an SSRF.
    listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { open: () => void knocks++, data: () => {} } })
  })
  afterAll(async () => {
    listener.stop(true)
    await strict.dispose()
  })

  /** A webhook and one queued delivery, written as if the URL had been saved before (or under WEBHOOK_ALLOW_PRIVATE). */
  async function queue(url: string): Promise<string> {
    const { user } = await strict.signUp()
    const id = crypto.randomUUID()
    await strict.database.db.execute(sql`insert into webhooks (user_id, url, secret, created_at) values (${user.id}, ${url}, 'whsec_test', now())`)
    await strict.database.db.execute(sql`insert into webhook_deliveries (id, user_id, url, body, next_attempt_at, created_at) values (${id}, ${user.id}, ${url}, '{}', now() - interval '1 second', now())`)
    return id
  }
  const delivery = async (id: string) => (await rows<{ delivered_at: unknown; last_error: string | null }>(strict.database, sql`select delivered_at, last_error from webhook_deliveries where id = ${id}`))[0]!

  test('a name or literal that reaches loopback gets no connection: localhost, localhost., IPv4-mapped, and names a resolver maps there', async () => {
    const port = listener.port
    const resolver = async (host: string) => ({ 'hooks.example.com': ['127.0.0.1'], 'mixed.example.com': ['93.184.216.34', '127.0.0.1'], 'v6.example.com': ['::ffff:127.0.0.1'], 'nat64.example.com': ['64:ff9b::7f00:1'] })[host] ?? []
    const ids = await Promise.all(
      ['localhost', 'localhost.', '[::ffff:127.0.0.1]', '127.0.0.1', 'hooks.example.com', 'mixed.example.com', 'v6.example.com', 'nat64.example.com'].map((host) => queue(`https://${host}:${port}/hook`)),
    )
    const sender = new WebhookSender({ database: strict.database, log: createLogger('silent'), allowPrivate: false, resolve: resolver, timeoutMs: 2000 })
    expect(await sender.run()).toBe(0)
    // Negative check: a connection that should never come has no event to wait for; give a stray one 50 ms.
    await Bun.sleep(50)
    expect(knocks).toBe(0)
    for (const id of ids) {
      const d = await delivery(id)
      expect(d.delivered_at).toBeNull()
      expect(d.last_error).toMatch(/non-public address|internal name/)
    }
  })

  test('the settings form refuses an IPv4-mapped loopback address with a 400 naming the field', async () => {
    const { token, user } = await strict.signUp()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await strict.app.handle(new Request('http://localhost/settings', { headers: { cookie: `session=${token}` } }))).text())![1]!
    const res = await strict.app.handle(
      new Request('http://localhost/settings/webhook', {
        method: 'POST',
        headers: { cookie: `session=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ url: 'https://[::ffff:127.0.0.1]:8443/', _csrf: csrf }).toString(),
      }),
    )
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('url must point to a public host')
    expect(await rows(strict.database, sql`select url from webhooks where user_id = ${user.id}`)).toEqual([])
  })

  test('a name is resolved once and the request goes to the address checked, with its Host and TLS name kept (no DNS rebinding)', async () => {
    let lookups = 0
    // A rebinding name: public for the check, loopback for any later lookup.
    const resolver = async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1'])
    const calls: Array<{ url: string; init: BunFetchRequestInit }> = []
    const id = await queue(`https://rebind.example.com:${listener.port}/hook`)
    const sender = new WebhookSender({
      database: strict.database,
      log: createLogger('silent'),
      allowPrivate: false,
      resolve: resolver,
      fetch: async (url, init) => {
        calls.push({ url, init })
        return new Response(null, { status: 204 })
      },
    })
    expect(await sender.run()).toBe(1)
    expect(lookups).toBe(1)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.url).toBe(`https://93.184.216.34:${listener.port}/hook`)
    expect(new Headers(calls[0]!.init.headers).get('host')).toBe(`rebind.example.com:${listener.port}`)
    expect(calls[0]!.init.tls?.serverName).toBe('rebind.example.com')
    expect(calls[0]!.init.redirect).toBe('manual')
    expect((await delivery(id)).delivered_at).not.toBeNull()
    expect(knocks).toBe(0)
  })
})

test('over TLS the request goes to the resolved address with the original Host and SNI, the certificate checked against the name; a redirect is not followed', async () => {
  const dir = new URL('./fixtures/webhook-tls/', import.meta.url).pathname
  const cert = readFileSync(`${dir}hooks-test.crt`, 'utf8')
  const seen: Array<{ host?: string; sni: unknown; path?: string }> = []
  let redirectNext = false
  let followed = 0
  const elsewhere = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => (followed++, new Response(null, { status: 204 })) })
  const server = createServer({ key: readFileSync(`${dir}hooks-test.key`), cert }, (req, res) => {
    seen.push({ host: req.headers.host, sni: (req.socket as TLSSocket).servername, path: req.url })
    req.resume()
    if (redirectNext) res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/internal` }).end()
    else res.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const app = await testApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  try {
    const { user } = await app.signUp()
    const url = `https://hooks.test:${port}/hook`
    await app.database.db.execute(sql`insert into webhooks (user_id, url, secret, created_at) values (${user.id}, ${url}, 'whsec_test', now())`)
    const queueOne = (id: string) => app.database.db.execute(sql`insert into webhook_deliveries (id, user_id, url, body, next_attempt_at, created_at) values (${id}, ${user.id}, ${url}, '{}', now() - interval '1 second', now())`)
    const sender = new WebhookSender({ database: app.database, log: createLogger('silent'), allowPrivate: true, resolve: async () => ['127.0.0.1'], ca: cert })
    await queueOne(crypto.randomUUID())
    expect(await sender.run()).toBe(1)
    expect(seen).toEqual([{ host: `hooks.test:${port}`, sni: 'hooks.test', path: '/hook' }])

    redirectNext = true
    const redirected = crypto.randomUUID()
    await queueOne(redirected)
    expect(await sender.run()).toBe(0)
    const [d] = await rows<{ delivered_at: unknown; last_status: number }>(app.database, sql`select delivered_at, last_status from webhook_deliveries where id = ${redirected}`)
    expect(d).toEqual({ delivered_at: null, last_status: 307 })
    expect(followed).toBe(0)
  } finally {
    server.close()
    elsewhere.stop(true)
    await app.dispose()
  }
})

test("the receiver's answer body is not read: a 2xx with an endless body counts as delivered", async () => {
  let streamed = 0
  const endless = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            streamed++
            controller.enqueue(new Uint8Array(64 * 1024))
          },
        }),
        { status: 200 },
      ),
  })
  const app = await testApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } })
  try {
    const { user } = await app.signUp()
    const url = `http://127.0.0.1:${endless.port}/hook`
    await app.database.db.execute(sql`insert into webhooks (user_id, url, secret, created_at) values (${user.id}, ${url}, 'whsec_test', now())`)
    await app.database.db.execute(sql`insert into webhook_deliveries (id, user_id, url, body, next_attempt_at, created_at) values (${crypto.randomUUID()}, ${user.id}, ${url}, '{}', now() - interval '1 second', now())`)
    const sender = new WebhookSender({ database: app.database, log: createLogger('silent'), allowPrivate: true, timeoutMs: 1000 })
    expect(await sender.run()).toBe(1)
    expect(streamed).toBeGreaterThan(0)
  } finally {
    endless.stop(true)
    await app.dispose()
  }
})

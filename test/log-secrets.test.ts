// A full run of the real server process at LOG_LEVEL=debug, with the Dapr sidecar double (pub/sub, Jobs;
// over HTTP, no real sidecar runs here), the fake model and a webhook receiver: every line it prints,
// on stdout and stderr, is scanned for every secret the run handled.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { DaprSidecarDouble } from './helpers/dapr-sidecar'
import { FakeOpenAI } from './helpers/fake-openai'
import { freePort, freshStorage, startServer, type RunningServer } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

const unique = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`
const secrets: Record<string, string> = {
  OPENAI_API_KEY: unique('sk-live-'),
  APP_API_TOKEN: unique('app-token-'),
  DAPR_API_TOKEN: unique('dapr-token-'),
  password: unique('Pass phrase '),
  newPassword: unique('Another pass phrase '),
}

let storage: Awaited<ReturnType<typeof freshStorage>>
let model: FakeOpenAI
let sidecar: DaprSidecarDouble
let receiver: ReturnType<typeof Bun.serve>
let server: RunningServer
const hooks: Array<{ headers: Headers; body: string }> = []

beforeAll(async () => {
  storage = await freshStorage()
  // A password in the database URL (the local server trusts it, but the app cannot know that).
  if (storage.env.DATABASE_URL) {
    secrets.DATABASE_PASSWORD = unique('db-pass-')
    const url = new URL(storage.env.DATABASE_URL)
    url.password = secrets.DATABASE_PASSWORD
    storage.env.DATABASE_URL = url.toString()
    secrets.DATABASE_URL = storage.env.DATABASE_URL
  }
  model = new FakeOpenAI()
  receiver = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      hooks.push({ headers: req.headers, body: await req.text() })
      return new Response(null, { status: 204 })
    },
  })
  const port = freePort()
  sidecar = new DaprSidecarDouble({ appUrl: `http://127.0.0.1:${port}`, appApiToken: secrets.APP_API_TOKEN, retryDelayMs: 20 })
  sidecar.listen()
  server = await startServer({
    ...storage.env,
    PORT: String(port),
    LOG_LEVEL: 'debug',
    DAPR_HTTP_PORT: String(sidecar.port),
    DAPR_API_TOKEN: secrets.DAPR_API_TOKEN!,
    APP_API_TOKEN: secrets.APP_API_TOKEN!,
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: secrets.OPENAI_API_KEY!,
    OPENAI_MODEL: 'test-model',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // The double never fires a job: the app's own sweep fires the reminder, a second late.
    REMINDER_SWEEP_GRACE_MS: '1000',
  })
  await sidecar.start()
}, hookTimeoutMs())

afterAll(async () => {
  await server?.stop()
  await sidecar?.stop()
  receiver?.stop(true)
  model?.stop()
  await storage?.dispose()
})

async function call(method: string, path: string, options: { token?: string; body?: unknown; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.cookie) headers.cookie = options.cookie
  let body: string | undefined
  if (options.form) {
    body = new URLSearchParams(options.form).toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body, redirect: 'manual' })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
const cookieOf = (headers: Headers, name: string) => headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))!

test('a full run prints no secret: passwords, session and API tokens, webhook secrets, keys, the database password', async () => {
  const email = `secrets-${crypto.randomUUID()}@example.com`
  const signup = await call('POST', '/api/v1/auth/signup', { body: { email, password: secrets.password, timezone: 'Europe/Berlin' } })
  expect(signup.status).toBe(202)
  expect((await call('POST', '/api/v1/auth/login', { body: { email, password: secrets.newPassword } })).status).toBe(401)
  const login = await call('POST', '/api/v1/auth/login', { body: { email, password: secrets.password } })
  expect(login.status).toBe(200)
  const token = (secrets.session = login.json().token)
  expect((await call('GET', '/api/v1/me', { token: unique('tcs_forged') })).status).toBe(401)

  // A personal API token: created, used by the real MCP client, revoked.
  const created = await call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  expect(created.status).toBe(201)
  const apiToken = (secrets.apiToken = created.json().token)
  const client = new Client({ name: 'secrets-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${apiToken}` } } }))
  const added = await client.callTool({ name: 'add_task', arguments: { title: 'From MCP', recurrence: 'DAILY', due_date: '2030-01-02T09:00' } })
  expect(added.isError).toBeFalsy()
  await client.close()
  expect((await call('DELETE', `/api/v1/tokens/${created.json().id}`, { token })).status).toBe(204)
  expect((await call('GET', '/api/v1/tasks', { token: apiToken })).status).toBe(401)

  // Tasks, a recurring completion, a reminder (fired by the app's sweep: the double never fires jobs), and its signed webhook.
  const task = (await call('POST', '/api/v1/tasks', { token, body: { title: 'Due soon', due_date: new Date(Date.now() + 3600_000).toISOString() } })).json()
  const recurring = (await call('GET', '/api/v1/tasks?search=MCP', { token })).json().items[0]
  expect((await call('POST', `/api/v1/tasks/${recurring.id}/complete`, { token })).status).toBe(200)

  // The web UI: a form log-in (CSRF cookie and field), the webhook set in Settings (its secret shown once), log-out.
  const form = await call('GET', '/login', { headers: { accept: 'text/html' } })
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ')
  const webLogin = await call('POST', '/login', { form: { email, password: secrets.password!, _csrf: csrfOf(form.text) }, cookie: csrfCookie, headers: { accept: 'text/html' } })
  expect(webLogin.status).toBe(303)
  const session = cookieOf(webLogin.headers, 'session')
  secrets.webSession = session.split('=')[1]!
  const settings = await call('GET', '/settings', { cookie: session, headers: { accept: 'text/html' } })
  const saved = await call('POST', '/settings/webhook', { cookie: session, form: { url: `http://127.0.0.1:${receiver.port}/hook`, _csrf: csrfOf(settings.text) }, headers: { accept: 'text/html' } })
  expect(saved.status).toBe(200)
  const webhookSecret = /Signing secret: <code class="token-value">([^<]+)</.exec(saved.text)?.[1]
  expect(webhookSecret).toBeDefined()
  secrets.webhookSecret = webhookSecret!
  // A calendar feed link (a secret URL), created and read.
  const feed = await call('POST', '/settings/calendar', { cookie: session, form: { _csrf: csrfOf(settings.text) }, headers: { accept: 'text/html' } })
  const feedUrl = /<code class="token-value">(http[^<]+\.ics)</.exec(feed.text)?.[1]
  expect(feedUrl).toBeDefined()
  secrets.calendarFeed = new URL(feedUrl!).pathname.split('/').at(-1)!.replace(/\.ics$/, '')
  expect((await fetch(feedUrl!)).status).toBe(200)

  const reminder = await call('POST', `/api/v1/tasks/${task.id}/reminders`, { token, body: { remind_at: new Date(Date.now() + 1500).toISOString() } })
  expect(reminder.status).toBe(201)
  await until('the notification', async () => (await call('GET', '/api/v1/notifications', { token })).json().items.length > 0, { timeoutMs: 10_000, everyMs: 50 })
  await until('the webhook', async () => hooks.length > 0, { timeoutMs: 10_000, everyMs: 50 })
  // The sidecar's late trigger for it, as Dapr 1.14 sends it (an Any through Go's encoding/json): a duplicate.
  const id = reminder.json().id as string
  const late = await call('POST', `/job/reminder-${id}`, { headers: { 'dapr-api-token': secrets.APP_API_TOKEN! }, body: { type_url: 'type.googleapis.com/google.protobuf.StringValue', value: Buffer.concat([Buffer.from([0x0a, id.length]), Buffer.from(id)]).toString('base64') } })
  expect(late.json()).toEqual({ outcome: 'duplicate' })

  // The model, with its key in the Authorization header.
  model.play({ tool_calls: [{ name: 'list_tasks', arguments: {} }] }, { content: 'You have tasks.' })
  expect((await call('POST', '/api/v1/chat', { token, body: { message: `my password is ${secrets.password}` } })).status).toBe(200)
  expect(model.requests.at(-1)!.authorization).toBe(`Bearer ${secrets.OPENAI_API_KEY}`)

  // A delivery without the app token is refused; one with it is taken.
  expect((await call('POST', '/events/task-events', { body: {}, headers: { 'dapr-api-token': unique('wrong-') } })).status).toBe(401)
  const logout = await call('POST', '/logout', { cookie: session, form: { _csrf: csrfOf(settings.text) }, headers: { accept: 'text/html' } })
  expect(logout.status).toBe(303)
  expect((await call('POST', '/api/v1/auth/logout', { token })).status).toBe(204)
  expect((await call('GET', '/api/v1/me', { token })).status).toBe(401)

  expect(await server.stop()).toBe(0)
  const printed = [...server.raw, await server.stderr].join('\n')
  // It did log the run: a line per request, the deliveries and job callbacks among them.
  const requests = server.lines.filter((l) => l.msg === 'request')
  expect(requests.length).toBeGreaterThan(20)
  expect(requests.map((l) => l.route)).toEqual(expect.arrayContaining(['/events/:topic', '/job/:name', '/mcp', '/login']))
  const found = Object.entries(secrets).filter(([, value]) => printed.includes(value) || printed.includes(encodeURIComponent(value)))
  expect(found.map(([name]) => name)).toEqual([])
}, 60_000)

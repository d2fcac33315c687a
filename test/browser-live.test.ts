// Live updates in headless Chromium: two app replicas on one database behind one URL; a task added over MCP
// through one replica shows in a tab served by the other within a second, a second tab sees the first's change,
// the bell and the reminders page follow a fired reminder without a poll, and Today follows the assistant. On
// PGlite (one process per data folder) one replica serves both. A page that cannot have a stream says it may be
// out of date, polls the bell, and catches up once it has one again; on PostgreSQL the tab's replica reaches the
// database through a proxy that is cut, as an outage.
import { expect } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launch, watchProblems } from './helpers/browser'
import { adminUrl } from './helpers/db'
import { CuttableProxy } from './helpers/proxy'
import { need, requires } from './helpers/requires'
import { freePort, freshStorage, signUpOverHttp, startServer, type RunningServer } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

/**
 * One URL in front of the replicas, as a load balancer: the browser's requests go to the first replica, the API's
 * and MCP's to the last, so a change made over MCP must cross from one process to the other to reach the tab.
 */
function frontDoor(replicas: RunningServer[]) {
  const served = replicas.map(() => 0)
  const server = Bun.serve({
    port: freePort(),
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const to = /^\/(mcp|api\/)/.test(url.pathname) ? replicas.length - 1 : 0
      served[to]! += 1
      const headers = new Headers(request.headers)
      headers.set('accept-encoding', 'identity')
      const upstream = await fetch(`${replicas[to]!.url}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
        signal: request.signal,
      })
      const answer = new Headers(upstream.headers)
      answer.delete('content-encoding')
      answer.delete('content-length')
      return new Response(upstream.body, { status: upstream.status, headers: answer })
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, served, stop: () => server.stop(true) }
}

let storage: Awaited<ReturnType<typeof freshStorage>>
const replicas: RunningServer[] = []
let door: ReturnType<typeof frontDoor>
let browser: Browser
let context: BrowserContext
let page: Page
let problems: string[]
let mcp: Client
let token: string
/** Between the tab's replica and PostgreSQL (on PostgreSQL only). */
let proxy: CuttableProxy | undefined

const run = requires('live updates across replicas in headless Chromium', need.chromium)

run.beforeAll(async () => {
  storage = await freshStorage()
  if (adminUrl) {
    const real = new URL(storage.env.DATABASE_URL!)
    proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) })
    await proxy.up()
    const viaProxy = new URL(real)
    viaProxy.port = String(proxy.port)
    replicas.push(await startServer({ ...storage.env, DATABASE_URL: viaProxy.toString() }))
    // A second process on the same PostgreSQL database; PGlite's folder is one process's alone.
    replicas.push(await startServer(storage.env))
  } else replicas.push(await startServer(storage.env))
  door = frontDoor(replicas)
  token = await signUpOverHttp(door.url, `live-${crypto.randomUUID()}@example.com`)
  browser = await launch()
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
  await context.addCookies([{ name: 'session', value: token, url: door.url }])
  page = await context.newPage()
  problems = watchProblems(page)
  mcp = new Client({ name: 'todo-chatbot-live-test', version: '1.0.0' })
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${door.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
}, hookTimeoutMs(2))
run.afterAll(async () => {
  await mcp?.close()
  await browser?.close()
  door?.stop()
  for (const replica of replicas) await replica.stop()
  await proxy?.down()
  await storage?.dispose()
})

/** Opens `path` and waits until its live stream is open (the answer to GET /live has started). */
async function openLive(on: Page, path: string): Promise<void> {
  const streaming = on.waitForResponse((res) => new URL(res.url()).pathname === '/live' && res.status() === 200)
  await on.goto(`${door.url}${path}`)
  await streaming
}

type ToolResult = { isError?: boolean; structuredContent?: any }
const tool = async (name: string, args: Record<string, unknown>) => {
  const result = (await mcp.callTool({ name, arguments: args })) as ToolResult
  expect(result.isError).toBeFalsy()
  return result.structuredContent
}

run.test('a task added over MCP through the other replica shows in the open tab within a second', async () => {
  await openLive(page, '/tasks')
  const shows = (title: string, timeout: number) => page.locator('#task-items li.task', { hasText: title }).waitFor({ timeout })
  // A first change with no deadline: each replica compiles the routes it takes on their first call.
  const first = `Warm-up ${crypto.randomUUID().slice(0, 8)}`
  await tool('add_task', { title: first })
  await shows(first, 10_000)
  const title = `From the assistant ${crypto.randomUUID().slice(0, 8)}`
  await tool('add_task', { title })
  const returned = Date.now()
  await shows(title, Math.max(1, 1000 - (Date.now() - returned)))
  expect(Date.now() - returned).toBeLessThanOrEqual(1000)
  // The tab and the MCP client were served by different processes when there are two.
  if (replicas.length > 1) expect(door.served.every((n) => n > 0)).toBe(true)
  expect(problems).toEqual([])
})

run.test('a second tab sees a task completed in the first, and focus stays where the person left it', async () => {
  const title = `Shared ${crypto.randomUUID().slice(0, 8)}`
  await tool('add_task', { title })
  const other = await context.newPage()
  const otherProblems = watchProblems(other)
  await openLive(other, '/tasks')
  await page.reload()
  await page.locator('#task-items li.task', { hasText: title }).waitFor()
  // The person in the second tab is typing a search; the refresh must not take the text or the focus away.
  await other.fill('#search', 'Shared')
  const row = page.locator('#task-items li.task', { hasText: title })
  await row.locator('form.toggle button').click()
  // Done: struck through where the list shows completed tasks, gone where it shows open ones only.
  await until('the second tab to show the task done', () =>
    other.evaluate((text) => {
      const row = [...document.querySelectorAll('#task-items li.task')].find((li) => li.textContent?.includes(text))
      return !row || row.classList.contains('done')
    }, title),
    { timeoutMs: 2_000 },
  )
  expect(await other.evaluate(() => document.activeElement?.id)).toBe('search')
  expect(await other.inputValue('#search')).toBe('Shared')
  expect(otherProblems).toEqual([])
  await other.close()
})

run.test('the bell counts a fired reminder without a reload or a poll', async () => {
  await openLive(page, '/tasks')
  await until('the bell to be filled in', async () => (await page.locator('#bell').getAttribute('data-unread')) !== null)
  expect(await page.locator('#bell').getAttribute('data-unread')).toBe('0')
  const task = await tool('add_task', { title: `Ring ${crypto.randomUUID().slice(0, 8)}` })
  const remindAt = new Date(Date.now() + 3_000).toISOString()
  await tool('set_reminder', { task_id: task.id, remind_at: remindAt })
  // A second tab on the task's reminders page sees the reminder scheduled, then sent.
  const other = await context.newPage()
  const otherProblems = watchProblems(other)
  await openLive(other, `/tasks/${task.id}/reminders`)
  await until('the bell to count the reminder', async () => (await page.locator('#bell').getAttribute('data-unread')) === '1', { timeoutMs: 15_000 })
  expect(await page.locator('#bell .badge').textContent()).toBe('1')
  await until('the reminders page to say it was sent', async () => (await other.locator('#reminder-list li.reminder .hint').textContent()) === 'Sent', { timeoutMs: 5_000 })
  expect(problems).toEqual([])
  expect(otherProblems).toEqual([])
  await other.close()
})

run.test('Today shows a task due today that the assistant added, without a reload, and keeps overdue folded as the person left it', async () => {
  await tool('add_task', { title: `Overdue ${crypto.randomUUID().slice(0, 8)}`, due_date: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) })
  await openLive(page, '/today')
  const fold = page.locator('details.overdue-fold')
  // A short overdue list starts open; the person folds it away.
  expect(await fold.evaluate((el: HTMLDetailsElement) => el.open)).toBe(true)
  await fold.locator('summary').click()
  expect(await fold.evaluate((el: HTMLDetailsElement) => el.open)).toBe(false)
  const title = `Due today ${crypto.randomUUID().slice(0, 8)}`
  await tool('add_task', { title, due_date: new Date().toISOString().slice(0, 10) })
  await page.locator('#today li', { hasText: title }).waitFor({ timeout: 5_000 })
  expect(await fold.evaluate((el: HTMLDetailsElement) => el.open)).toBe(false)
  expect(problems).toEqual([])
})

/** Whether the line saying live updates are paused shows on `on`. */
const pausedLine = (on: Page) => on.locator('#live-status').isVisible()
/** The bell's unread count, once it is filled in. */
const unread = async (on: Page) => Number(await on.locator('#bell').getAttribute('data-unread'))

run.test('a page refused a stream (too many tabs) says it may be out of date, polls the bell, and catches up once a stream is free', async () => {
  await page.goto('about:blank')
  // Ten tabs elsewhere hold the person's ten streams on this replica.
  const tabs = Array.from({ length: 10 }, () => new AbortController())
  const held = await Promise.all(tabs.map((tab) => fetch(`${door.url}/live`, { headers: { cookie: `session=${token}`, accept: 'text/event-stream' }, signal: tab.signal })))
  expect(held.map((res) => res.status)).toEqual(Array(10).fill(200))
  // Each tab reads its stream, as a browser does (an unread body let go would close it).
  for (const res of held) void res.body!.pipeTo(new WritableStream()).catch(() => {})
  const refused = page.waitForResponse((res) => new URL(res.url()).pathname === '/live')
  await page.goto(`${door.url}/tasks`)
  expect((await refused).status()).toBe(429)
  await until('the page to say it may be out of date', () => pausedLine(page), { timeoutMs: 5_000 })
  await until('the bell to be filled in', async () => (await page.locator('#bell').getAttribute('data-unread')) !== null)
  const before = await unread(page)
  // A reminder fires meanwhile: the bell's poll (every 30 s while paused) brings it.
  const task = await tool('add_task', { title: `Polled ${crypto.randomUUID().slice(0, 8)}` })
  await tool('set_reminder', { task_id: task.id, remind_at: new Date(Date.now() + 2_000).toISOString() })
  await until('the polled bell to count the reminder', async () => (await unread(page)) === before + 1, { timeoutMs: 45_000, everyMs: 250 })
  // A stream is free again: the page takes it, the line goes, and the task added while paused shows.
  for (const tab of tabs) tab.abort()
  await until('live updates to resume', async () => !(await pausedLine(page)), { timeoutMs: 30_000, everyMs: 250 })
  await page.locator('#task-items li.task', { hasText: task.title }).waitFor({ timeout: 5_000 })
}, 90_000)

requires('live updates through a database outage in headless Chromium', need.chromium, need.postgres).test(
  'a database outage pauses the tab’s live updates: it says so, and catches up by itself once the database is back',
  async () => {
    await openLive(page, '/tasks')
    expect(await pausedLine(page)).toBe(false)
    await proxy!.down()
    let cut = true
    try {
      await until('the page to say it may be out of date', () => pausedLine(page), { timeoutMs: 40_000, everyMs: 250 })
      // Added through the other replica, which still reaches the database.
      const title = `During the outage ${crypto.randomUUID().slice(0, 8)}`
      await tool('add_task', { title })
      await proxy!.up()
      cut = false
      await until('live updates to resume', async () => !(await pausedLine(page)), { timeoutMs: 90_000, everyMs: 250 })
      await page.locator('#task-items li.task', { hasText: title }).waitFor({ timeout: 5_000 })
      // Live again: the next change arrives within seconds, not at the next poll.
      const next = `After the outage ${crypto.randomUUID().slice(0, 8)}`
      await tool('add_task', { title: next })
      await page.locator('#task-items li.task', { hasText: next }).waitFor({ timeout: 5_000 })
    } finally {
      if (cut) await proxy!.up()
    }
  },
  150_000,
)

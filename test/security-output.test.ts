// What the app sends back: XSS payloads in every field a user can write stay inert text in every view (and a line
// break in a task cannot forge a calendar event), and every kind of answer carries the protective headers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'
import { browser, csrfOf } from './helpers/web'

const P = {
  script: '<script>alert("xss-title")</script>',
  attr: `"><img src=x onerror=alert('xss-description')>`,
  svg: '<svg onload=alert("xss-token")>',
  chat: '<iframe src="javascript:alert(1)"></iframe>',
  url: 'https://hooks.example.com/x?a="><script>alert(5)</script>',
}
const EMAIL = `<img/src=x/onerror=alert(4)>@evil.example`

let t: TestApp
let token: string
let csrf: string
const ids: Record<string, string> = {}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  t = await testApp()
  const signed = await t.signUp(EMAIL, { timezone: 'UTC' })
  token = signed.token
  csrf = csrfOf((await browser(t, 'GET', '/settings', { session: token })).text)
  const add = async (body: Record<string, unknown>) => (await t.call('POST', '/api/v1/tasks', { token, body })).body.id as string
  ids.today = await add({ title: P.script, description: P.attr, due_date: `${day(0)}T23:00`, tags: ['work'] })
  ids.overdue = await add({ title: `${P.script} overdue`, due_date: `${day(-2)}T09:00` })
  ids.series = await add({ title: `${P.script} series`, due_date: `${day(1)}T09:00`, recurrence: 'DAILY' })
  ids.ics = await add({ title: 'Calendar line', description: 'one\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged', due_date: `${day(3)}T09:00` })
  await t.call('POST', `/api/v1/tasks/${ids.overdue}/complete`, { token })
  await t.call('POST', `/api/v1/tasks/${ids.today}/reminders`, { token, body: { lead: '1h' } })
  await t.call('POST', '/api/v1/tokens', { token, body: { name: P.svg } })
  ids.conversation = (await t.call('POST', '/api/v1/chat', { token, body: { message: P.chat } })).body.conversation_id
  await browser(t, 'POST', '/settings/webhook', { session: token, form: { url: P.url, _csrf: csrf } })
})
afterAll(() => t.dispose())

/** Every element and attribute of a page, as a browser's parser sees them (Bun's HTMLRewriter). */
async function markup(html: string): Promise<Array<{ tag: string; attrs: Array<[string, string]> }>> {
  const found: Array<{ tag: string; attrs: Array<[string, string]> }> = []
  await new HTMLRewriter()
    .on('*', { element: (el) => void found.push({ tag: el.tagName, attrs: [...el.attributes] as Array<[string, string]> }) })
    .transform(new Response(html))
    .text()
  return found
}

/** No payload became markup: no event-handler attribute, no javascript: URL, no element we do not write ourselves. */
async function expectInert(where: string, html: string) {
  for (const { tag, attrs } of await markup(html)) {
    const problem =
      (tag === 'script' && !attrs.some(([k]) => k === 'nonce')) ||
      tag === 'iframe' ||
      (tag === 'img' && !attrs.some(([k, v]) => k === 'src' && v.startsWith('/assets/'))) ||
      attrs.some(([k, v]) => k.startsWith('on') || /^\s*javascript:/i.test(v))
    if (problem) throw new Error(`${where}: injected markup <${tag} ${attrs.map(([k, v]) => `${k}="${v}"`).join(' ')}>`)
  }
}

describe('XSS payloads in every field are inert in every view', () => {
  test('task list, search, edit form and item fragment, Today, Upcoming, Calendar, Progress, Activity, reminders, settings, chat', async () => {
    const views = [
      '/tasks',
      `/tasks?search=${encodeURIComponent(P.attr)}`,
      `/tasks/${ids.today}/edit`,
      `/tasks/${ids.today}/item`,
      '/today',
      '/upcoming',
      '/calendar',
      '/progress?days=7',
      '/audit',
      `/tasks/${ids.today}/reminders`,
      '/settings',
      `/chat?c=${ids.conversation}`,
      '/notifications',
    ]
    for (const path of views) {
      for (const htmx of [false, true]) {
        const res = await browser(t, 'GET', path, { session: token, headers: htmx ? { 'hx-request': 'true' } : {} })
        expect(`${path} ${res.status}`).toBe(`${path} 200`)
        await expectInert(`${path}${htmx ? ' (htmx)' : ''}`, res.text)
      }
    }
    // The check itself catches each payload were it left unescaped.
    for (const payload of [P.script, P.attr, P.svg, P.chat, EMAIL]) await expect(expectInert('probe', `<p title="a">${payload}</p>`)).rejects.toThrow()
    // Each view does show the text, escaped: the payload is data, not gone.
    const list = await browser(t, 'GET', '/tasks', { session: token })
    expect(list.text).toContain('&lt;script&gt;alert(&quot;xss-title&quot;)&lt;/script&gt;')
    expect((await browser(t, 'GET', '/settings', { session: token })).text).toContain('&lt;svg onload=alert(&quot;xss-token&quot;)&gt;')
  })

  test('a form echoed back with its error, and the error pages, stay inert', async () => {
    const refused = await browser(t, 'POST', '/tasks', { session: token, form: { title: 'x'.repeat(201) + P.attr, description: P.script, _csrf: csrf } })
    expect(refused.status).toBeWithin(400, 500)
    await expectInert('the refused form', refused.text)
    const missing = await browser(t, 'GET', `/tasks/${encodeURIComponent(P.script)}/edit`, { session: token })
    expect(missing.status).toBe(404)
    await expectInert('the 404 page', missing.text)
    const login = await browser(t, 'GET', `/login?next=${encodeURIComponent(`javascript:alert(1)//${P.attr}`)}`)
    await expectInert('the log-in page', login.text)
    expect(login.text).not.toContain('javascript:alert')
  })

  test('a line break in a description cannot forge a calendar event', async () => {
    const created = await browser(t, 'POST', '/settings/calendar', { session: token, form: { _csrf: csrf } })
    const path = /http:\/\/localhost(\/calendar\/tcf_[A-Za-z0-9_-]+\.ics)/.exec(created.text)![1]!
    const feed = await t.call('GET', path)
    expect(feed.status).toBe(200)
    const lines = feed.text.split('\r\n')
    // Three dated, open tasks: three events, and no line the description wrote on its own.
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(3)
    expect(lines).not.toContain('SUMMARY:forged')
    expect(feed.text).not.toContain(P.script.slice(0, 8) + '\r\n')
  })
})

describe('protective headers on every kind of answer', () => {
  test('pages, fragments, error pages, JSON, MCP, the calendar feed and assets', async () => {
    const answers: Array<[string, Response]> = []
    const get = async (name: string, path: string, init: RequestInit = {}) => answers.push([name, await t.app.handle(new Request(`http://localhost${path}`, init))])
    const cookie = { cookie: `session=${token}`, accept: 'text/html' }
    await get('page', '/tasks', { headers: cookie })
    await get('fragment', `/tasks/${ids.today}/item`, { headers: { ...cookie, 'hx-request': 'true' } })
    await get('log-in page', '/login')
    await get('404 page', '/tasks/nope/edit', { headers: cookie })
    await get('403 page', '/tasks', { method: 'POST', headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' })
    await get('JSON', '/api/v1/tasks', { headers: { authorization: `Bearer ${token}` } })
    await get('JSON error', '/api/v1/tasks/nope', { headers: { authorization: `Bearer ${token}` } })
    await get('401', '/api/v1/tasks')
    await get('MCP', '/mcp', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) })
    await get('calendar feed (unknown)', '/calendar/tcf_unknown.ics')
    await get('asset', '/assets/app.css')
    await get('health', '/healthz')
    for (const [name, res] of answers) {
      expect(`${name}: ${res.headers.get('x-content-type-options')}`).toBe(`${name}: nosniff`)
      expect(`${name}: ${res.headers.get('referrer-policy')}`).toBe(`${name}: same-origin`)
      expect(`${name}: ${res.headers.get('x-frame-options')}`).toBe(`${name}: DENY`)
      if (res.headers.get('content-type')?.startsWith('text/html')) {
        const csp = res.headers.get('content-security-policy') ?? ''
        expect(`${name}: ${csp.includes("frame-ancestors 'none'")}`).toBe(`${name}: true`)
        expect(`${name}: ${/script-src 'self' 'nonce-[^']+'(;|$)/.test(csp)}`).toBe(`${name}: true`)
      }
    }
    expect(answers.filter(([, r]) => r.headers.get('content-type')?.startsWith('text/html')).length).toBeGreaterThanOrEqual(5)
  })
})

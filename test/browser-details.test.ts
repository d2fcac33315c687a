// The details a person notices first, in headless Chromium against the real server: the API-token hint and a new
// token shown once with a Copy button, the API docs page and the way to it, repeat rules in words, Progress's
// figures said in words, and text with "&" and quotes kept as typed in every attribute.
import { expect } from 'bun:test'
import type { BrowserContext, Page } from 'playwright-core'
import { isoDay, localDay } from '../src/lib/time'
import { step } from './helpers/browser'
import { browserSuite, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import type { RunningServer } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

const ZONE = 'Europe/Berlin'
const suite = browserSuite()
let server: RunningServer
let context: BrowserContext
let page: Page
let problems: string[]
let api: SignedIn['api']
const day = (offset: number) => isoDay(localDay(new Date(), ZONE, offset))

const run = requires('the web UI in headless Chromium', need.chromium)

run.beforeAll(async () => {
  await suite.start()
  server = suite.server
  ;({ context, page, problems, api } = await suite.signIn('details', ZONE, { viewport: { width: 1100, height: 900 } }))
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

run.test('Settings: the token hint reads as it should; a new token shows once, after a redirect, with a Copy button', async () => {
  await page.goto(`${server.url}/settings`)
  await step(page, 'token-hint', async () => {
    expect(await page.locator('section[aria-labelledby="tokens-heading"] .hint code').first().textContent()).toBe('Authorization: Bearer <token>')
  })
  await step(page, 'token-create', async () => {
    await page.fill('#token-name', 'laptop')
    await page.click('form[action="/settings/tokens"] button[type=submit]')
    // The answer to the POST is a redirect: the page the person sees is GET /settings, which a reload does not post.
    await page.waitForURL(`${server.url}/settings#new-token`)
    expect(await page.isVisible('#new-token-value')).toBe(true)
  })
  const value = (await page.textContent('#new-token-value'))!.trim()
  expect(value).toStartWith('tct_')
  expect(page.url()).not.toContain(value)
  await step(page, 'token-copy', async () => {
    await page.click('#new-token button[data-copy]')
    await page.waitForFunction(() => document.querySelector('#new-token button[data-copy]')?.textContent === 'Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value)
  })
  expect((await api('GET', '/api/v1/me')).status).toBe(200)
  const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${value}` } })
  expect(me.status).toBe(200)
  await step(page, 'token-reload', async () => {
    await page.reload()
    expect(await page.isVisible('#new-token-value')).toBe(false)
    expect(await page.content()).not.toContain(value)
    // One token: the reload made no second one.
    expect(await page.locator('#tokens > li').count()).toBe(1)
    expect((await api('GET', '/api/v1/tokens')).body.items).toHaveLength(1)
  })
  expect(problems).toEqual([])
})

run.test('the API docs: linked from Settings, no stray text above the title, its description whole in the meta tag', async () => {
  await page.goto(`${server.url}/settings`)
  await step(page, 'api-docs-link', async () => {
    await page.click('a[href="/openapi"]')
    await page.waitForURL(`${server.url}/openapi`)
  })
  await step(page, 'api-docs-page', async () => {
    await page.waitForSelector('#swagger-ui .info .title')
    expect(await page.textContent('#swagger-ui .info .title')).toContain('todo-chatbot API')
    const description = await page.getAttribute('meta[name="description"]', 'content')
    expect(description).toBe(
      'Tasks, accounts and API tokens. Authenticate with "Authorization: Bearer <token>" (a session token from /api/v1/auth/login or a personal API token). Errors are { "error": { "code", "message", "field" } }.',
    )
    expect(await page.getAttribute('meta[property="og:description"]', 'content')).toBe(description)
    // Nothing but the way back shows above Swagger UI.
    const above = await page.evaluate(() => {
      const root = document.getElementById('swagger-ui')!
      let text = ''
      for (let node = document.body.firstChild; node && node !== root; node = node.nextSibling) text += node.textContent ?? ''
      return text.trim()
    })
    expect(above).toBe('← Back to todo-chatbot')
    expect(await page.locator('head > title').textContent()).toBe('todo-chatbot API')
  })
  expect(problems).toEqual([])
})

run.test('repeat rules in words on the task list, Today, Upcoming and the edit form', async () => {
  const weekday = (offset: number) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'short' }).format(new Date(`${day(offset)}T12:00:00Z`))
  const byday = (offset: number) => weekday(offset).slice(0, 2).toUpperCase()
  // Due today and in two days, each on a day its rule names.
  const today = await api('POST', '/api/v1/tasks', { title: 'Gym', recurrence: `FREQ=WEEKLY;BYDAY=${byday(0)}`, due_date: `${day(0)}T23:30` })
  const soon = await api('POST', '/api/v1/tasks', { title: 'Piano lesson', recurrence: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${byday(2)}`, due_date: `${day(2)}T17:00` })
  const lessons = await api('POST', '/api/v1/tasks', { title: 'Stand-up', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due_date: `${day(3)}T09:00` })
  for (const created of [today, soon, lessons]) expect(created.status).toBe(201)
  const gym = `↻ Every ${weekday(0)}`
  const piano = `↻ Every 2 weeks on ${weekday(2)}`

  await page.goto(`${server.url}/tasks`)
  // What the eye reads (a screen reader gets the rule in full words instead: test/a11y.test.ts).
  await step(page, 'repeat-list', async () => {
    expect((await page.textContent(`#task-${today.body.id} .repeat [aria-hidden="true"]`))!.trim()).toBe(gym)
    expect((await page.textContent(`#task-${soon.body.id} .repeat [aria-hidden="true"]`))!.trim()).toBe(piano)
    expect((await page.textContent(`#task-${lessons.body.id} .repeat [aria-hidden="true"]`))!.trim()).toBe('↻ Weekdays')
    expect(await page.locator('#task-items .repeat', { hasText: 'Custom' }).count()).toBe(0)
  })
  await page.goto(`${server.url}/today`)
  await step(page, 'repeat-today', async () => {
    expect((await page.textContent(`#today-${today.body.id} .repeat [aria-hidden="true"]`))!.trim()).toBe(gym)
  })
  await page.goto(`${server.url}/upcoming`)
  await step(page, 'repeat-upcoming', async () => {
    expect((await page.textContent(`#upcoming-${soon.body.id} .repeat [aria-hidden="true"]`))!.trim()).toBe(piano)
  })
  await page.goto(`${server.url}/tasks/${soon.body.id}/edit`)
  await step(page, 'repeat-edit', async () => {
    const words = page.locator('small.hint', { hasText: 'In words:' })
    expect((await words.textContent())!.trim()).toBe(`In words: Every 2 weeks on ${weekday(2)}`)
  })
  expect(problems).toEqual([])
})

run.test('text with "&" and quotes stays as typed in attributes: the edit form saves the title it was given', async () => {
  const title = 'Fish &amp; chips for "Bob" <3'
  const created = await api('POST', '/api/v1/tasks', { title })
  expect(created.status).toBe(201)
  await page.goto(`${server.url}/tasks/${created.body.id}/edit`)
  await step(page, 'ampersand-edit', async () => {
    const input = page.locator('form input[name="title"]')
    expect(await input.inputValue()).toBe(title)
    // Saved unchanged, the title stays as it was typed (a decoded "&amp;" would have become "&").
    await page.fill('form input[name="description"], form textarea[name="description"]', 'saved from the form')
    await input.press('Enter')
    await until('the edit saved', async () => (await api('GET', `/api/v1/tasks/${created.body.id}`)).body.description === 'saved from the form')
  })
  expect((await api('GET', `/api/v1/tasks/${created.body.id}`)).body.title).toBe(title)
  await page.goto(`${server.url}/tasks`)
  expect(await page.getAttribute(`#task-${created.body.id} input.select`, 'aria-label')).toContain(title)
  expect(problems).toEqual([])
})

run.test('Progress says what its completion figures are: done in the period, open now', async () => {
  const done = await api('POST', '/api/v1/tasks', { title: 'Water plants', tags: ['home'] })
  await api('POST', `/api/v1/tasks/${done.body.id}/complete`)
  await api('POST', '/api/v1/tasks', { title: 'Fix the tap', tags: ['home'] })
  await page.goto(`${server.url}/progress`)
  await step(page, 'progress-words', async () => {
    const home = page.locator('#tag-chart g.share', { hasText: '#home' })
    expect(await home.locator('text.figure').textContent()).toBe('1 done · 1 open')
    expect((await page.locator('#tag-chart').locator('xpath=..').locator('.legend').textContent())!.replace(/\s+/g, ' ').trim()).toBe('done in the last 30 days open now')
    expect(await page.locator('#tag-chart-table thead th').allTextContents()).toEqual(['', 'Done in the last 30 days', 'Open now'])
    expect(await page.content()).not.toMatch(/\d+\/\d+ · \d+%/)
  })
  expect(problems).toEqual([])
})

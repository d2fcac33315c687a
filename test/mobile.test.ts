// The web UI on a phone (375×812), in headless Chromium against the real server, with 30 open tasks (some
// overdue, some today): the first task is on the first screen of the task list, a project's and Today, the navigation
// is one row, and every control a finger taps is at least 24×24 CSS pixels (WCAG 2.2, 2.5.8).
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { isoDay, localDay } from '../src/lib/time'
import { step } from './helpers/browser'
import { browserSuite, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import type { RunningServer } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

const ZONE = 'Europe/Berlin'
const PHONE = { width: 375, height: 812 }
const suite = browserSuite()
let server: RunningServer
let page: Page
let problems: string[]
let api: SignedIn['api']
const day = (offset: number) => isoDay(localDay(new Date(), ZONE, offset))

const run = requires('the web UI on a phone in headless Chromium', need.chromium)

run.beforeAll(async () => {
  await suite.start()
  server = suite.server
  const person = await suite.signIn('phone', ZONE, { viewport: PHONE, isMobile: true, hasTouch: true })
  ;({ page, problems, api } = person)
  // 30 open tasks: 10 overdue, 5 today, 15 later; a dozen tags between them.
  for (let i = 0; i < 30; i++) {
    const due = i < 10 ? `${day(-1 - i)}T09:00` : i < 15 ? `${day(0)}T2${i % 4}:00` : `${day(i)}T10:00`
    const res = await api('POST', '/api/v1/tasks', { title: `Task number ${i + 1}`, due_date: due, tags: [`tag${i % 12}`], ...(i % 7 === 0 ? { recurrence: 'WEEKLY' } : {}) })
    expect(res.status).toBe(201)
  }
  // The newest task, first on the list, has subtasks under it (one with its own), indented.
  const first = (await api('GET', '/api/v1/tasks?limit=1')).body.items[0].id
  const step = (await api('POST', '/api/v1/tasks', { title: 'A first step', parent_id: first })).body.id
  await api('POST', '/api/v1/tasks', { title: 'A detail of the first step', parent_id: step })
  await api('POST', '/api/v1/tasks', { title: 'A second step', parent_id: first })
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

/** The top of the first task row, in CSS pixels from the top of the page. */
const firstTaskTop = (selector: string) => page.evaluate((s) => document.querySelector(s)?.getBoundingClientRect().top ?? Infinity, selector)

run.test('the task list: one row of navigation, and the first task on the first screen', async () => {
  await page.goto(`${server.url}/tasks`)
  await step(page, 'phone-list', async () => {
    const nav = (await page.locator('header nav').boundingBox())!
    const link = (await page.locator('header nav a').first().boundingBox())!
    // One row: the navigation is no taller than one of its links (with its padding).
    expect(nav.height).toBeLessThan(link.height * 1.6)
    expect(await firstTaskTop('#task-items li.task')).toBeLessThan(PHONE.height)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    // The subtasks under it, indented and within the screen's width.
    expect(await page.locator('#task-items li.task.indent-2 .title').textContent()).toBe('A detail of the first step')
  })
})

run.test("a project's page (the Inbox, holding the 30): the project menu above the list, and the first task on the first screen", async () => {
  const inbox = (await api('GET', '/api/v1/projects')).body.items[0]
  expect(inbox.is_inbox).toBe(true)
  await page.goto(`${server.url}/projects/${inbox.id}`)
  await step(page, 'phone-project', async () => {
    expect(await page.locator('.switcher summary').textContent()).toContain('Inbox')
    expect(await firstTaskTop('#task-items li.task')).toBeLessThan(PHONE.height)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
  })
})

run.test('Today: the first task due today on the first screen', async () => {
  await page.goto(`${server.url}/today`)
  await step(page, 'phone-today', async () => {
    expect(await firstTaskTop('#due-today li.task')).toBeLessThan(PHONE.height)
  })
})

run.test('every control a finger taps is at least 24×24', async () => {
  const inbox = (await api('GET', '/api/v1/projects')).body.items[0]
  for (const path of ['/tasks', '/today', '/upcoming', `/projects/${inbox.id}`, '/projects']) {
    await page.goto(`${server.url}${path}`)
    await step(page, `phone-targets-${path.slice(1).replaceAll('/', '-')}`, async () => {
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('main button, main a, main input:not([type=hidden]), main select, header a, header button')]
          .filter((el) => {
            const box = el.getBoundingClientRect()
            const style = getComputedStyle(el)
            // Hidden, or a link inside a line of text (WCAG's inline exception).
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') return false
            if (el.tagName === 'A' && style.display === 'inline' && !el.matches('.chip, .button, .check')) return false
            return box.width < 24 || box.height < 24
          })
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`),
      )
      expect([...new Set(small)]).toEqual([])
    })
  }
})

run.test('Upcoming: each task can be completed from its row', async () => {
  await page.goto(`${server.url}/upcoming`)
  await step(page, 'phone-upcoming-complete', async () => {
    const row = page.locator('.upcoming-item').first()
    const title = (await row.locator('.title').textContent())!
    await row.locator('.check').click()
    await page.waitForFunction((t) => document.querySelector('#upcoming .notice')?.textContent === `Completed "${t}".`, title)
    expect(await page.locator('.upcoming-item .title').allTextContents()).not.toContain(title)
    // And back, from the toast.
    await page.locator('#toasts .toast button.undo').last().click()
    const status = async () => (await api('GET', `/api/v1/tasks?status=pending&search=${encodeURIComponent(title)}`)).body.items.some((x: { title: string }) => x.title === title)
    await until('the task is open again', status, { timeoutMs: 5000 })
  })
})

run.test('no script errors or CSP violations', () => {
  expect(problems).toEqual([])
})

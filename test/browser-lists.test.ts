// The planning lists as a person reads them, in headless Chromium against the real server: the task list sorted by
// due date in groups (Overdue, Today, Tomorrow, Later, No date) that page correctly and fold; Upcoming compact, one
// line a task with its complete control and a menu for the rest; the Calendar showing a weekly task's next instances.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { addDays, isoDay, localDay, parseDay } from '../src/lib/time'
import { step } from './helpers/browser'
import { browserSuite, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import { hookTimeoutMs } from './helpers/wait'

// A zone far from the server's UTC, so "today" is the person's, not the machine's.
const ZONE = 'America/Los_Angeles'
const DESKTOP = { width: 1280, height: 800 }
const suite = browserSuite()
const day = (offset: number) => isoDay(localDay(new Date(), ZONE, offset))

const run = requires('the planning lists in headless Chromium', need.chromium)

run.beforeAll(() => suite.start(), hookTimeoutMs())
run.afterAll(() => suite.stop())

async function person(prefix: string): Promise<{ page: Page; api: SignedIn['api']; problems: string[] }> {
  return suite.signIn(prefix, ZONE, { viewport: DESKTOP })
}

async function add(api: SignedIn['api'], task: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/api/v1/tasks', task)
  expect(res.status).toBe(201)
  return res.body.id
}

/** The list's group headings as read aloud, in order. */
const headings = (page: Page) => page.locator('#task-items h2').evaluateAll((hs) => hs.map((h) => h.textContent!.replace(/\s+/g, ' ').trim()))
const groupTitles = (page: Page, group: string) => page.locator(`#task-items section[data-group="${group}"] .title`).allTextContents()

run.test('sorted by due date, the task list reads in groups with counts: Overdue, Today, Tomorrow, Later, No date', async () => {
  const { page, api, problems } = await person('groups')
  await add(api, { title: 'Renew passport', due_date: `${day(-3)}T10:00` })
  await add(api, { title: 'Pay rent', due_date: `${day(-1)}T09:00`, priority: 'high' })
  await add(api, { title: 'Call the bank', due_date: `${day(0)}T23:30` })
  await add(api, { title: 'Water plants', due_date: day(0) })
  await add(api, { title: 'Dentist', due_date: `${day(1)}T08:15` })
  await add(api, { title: 'Book flights', due_date: `${day(5)}T12:00` })
  await add(api, { title: 'Annual review', due_date: `${day(40)}T12:00` })
  await add(api, { title: 'Learn Rust' })
  const done = await add(api, { title: 'Old chore', due_date: `${day(-2)}T10:00` })
  expect((await api('POST', `/api/v1/tasks/${done}/complete`)).status).toBe(200)

  await step(page, 'lists-groups', async () => {
    await page.goto(`${suite.server.url}/tasks?sort=due_date`)
    expect(await headings(page)).toEqual(['Overdue 2 tasks', 'Today 2 tasks', 'Tomorrow 1 task', 'Later 2 tasks', 'No date 1 task'])
    // Real headings, for a screen reader's list of headings.
    expect(await page.getByRole('heading', { level: 2, name: /^Overdue/ }).count()).toBe(1)
    expect(await page.getByRole('heading', { level: 2, name: /^No date/ }).count()).toBe(1)
    expect(await groupTitles(page, 'overdue')).toEqual(['Renew passport', 'Pay rent'])
    expect(await groupTitles(page, 'today')).toEqual(['Water plants', 'Call the bank'])
    expect(await groupTitles(page, 'tomorrow')).toEqual(['Dentist'])
    expect(await groupTitles(page, 'later')).toEqual(['Book flights', 'Annual review'])
    expect(await groupTitles(page, 'none')).toEqual(['Learn Rust'])

    // Overdue folds away, and opens again, from its heading's button.
    const fold = page.getByRole('button', { name: /^Overdue/ })
    expect(await fold.getAttribute('aria-expanded')).toBe('true')
    await fold.click()
    await page.locator('#task-items li:has-text("Renew passport")').waitFor({ state: 'hidden' })
    expect(await fold.getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('#task-items li:has-text("Call the bank")').isVisible()).toBe(true)
    await fold.click()
    await page.locator('#task-items li:has-text("Renew passport")').waitFor({ state: 'visible' })

    // A search keeps the groups, with their counts under it.
    await page.fill('#search', 're')
    await page.waitForFunction(() => location.search.includes('search=re'))
    await page.waitForFunction(() => !document.querySelector('#task-items section[data-group="none"]'))
    expect(await headings(page)).toEqual(['Overdue 2 tasks', 'Later 1 task'])
    expect(await groupTitles(page, 'later')).toEqual(['Annual review'])

    // Completed ones are "Earlier", not overdue.
    await page.goto(`${suite.server.url}/tasks?sort=due_date&status=completed`)
    expect(await headings(page)).toEqual(['Earlier 1 task'])
  })
  expect(problems).toEqual([])
}, 90_000)

run.test('a page of fifty may end inside a group: the next page says the group continues, and nothing repeats', async () => {
  const { page, api, problems } = await person('paging')
  for (let i = 0; i < 3; i++) await add(api, { title: `Late ${i}`, due_date: `${day(-1 - i)}T10:00` })
  for (let i = 0; i < 50; i++) await add(api, { title: `Someday ${String(i).padStart(2, '0')}`, due_date: `${day(3 + (i % 20))}T${String(8 + (i % 10)).padStart(2, '0')}:00` })
  for (let i = 0; i < 2; i++) await add(api, { title: `Undated ${i}` })

  await step(page, 'lists-paging', async () => {
    await page.goto(`${suite.server.url}/tasks?sort=due_date`)
    expect(await headings(page)).toEqual(['Overdue 3 tasks', 'Later 50 tasks'])
    expect(await page.locator('#task-items .title').count()).toBe(50)
    await page.click('a:has-text("Load more")')
    await page.waitForFunction(() => document.querySelectorAll('#task-items .title').length === 55)
    expect(await headings(page)).toEqual(['Overdue 3 tasks', 'Later 50 tasks', 'Later (continued) 50 tasks', 'No date 2 tasks'])
    const titles = await page.locator('#task-items .title').allTextContents()
    expect(new Set(titles).size).toBe(55)
    expect(await groupTitles(page, 'later')).toHaveLength(50)
    expect(await page.locator('a:has-text("Load more")').count()).toBe(0)
  })
  expect(problems).toEqual([])
}, 120_000)

run.test('Upcoming is compact: 30 tasks over 14 days on one line each, every one with its complete control', async () => {
  const { page, api, problems } = await person('upcoming')
  // 30 tasks on 10 of the 14 days; four days stay empty.
  const busy = [0, 1, 2, 3, 5, 6, 8, 9, 11, 13]
  for (let i = 0; i < 30; i++) await add(api, { title: `Errand number ${i + 1} with a fairly long title to read`, due_date: `${day(busy[i % busy.length]!)}T${String(8 + (i % 12)).padStart(2, '0')}:30`, tags: ['errands'] })

  await step(page, 'lists-upcoming', async () => {
    await page.goto(`${suite.server.url}/upcoming`)
    const rows = page.locator('#upcoming li.upcoming-item')
    expect(await rows.count()).toBe(30)
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    console.log(`Upcoming with 30 tasks: ${height} px tall at 1280×800`)
    expect(height).toBeLessThanOrEqual(1800)
    // One line each: a row is no taller than two lines of text, and each has a complete control of at least 24×24.
    for (const box of await rows.evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().height))) expect(box).toBeLessThan(48)
    for (const size of await page.locator('#upcoming li.upcoming-item .check').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect())))
      expect(Math.min(size.width, size.height)).toBeGreaterThanOrEqual(24)
    expect(await page.getByRole('checkbox', { name: /^Complete "Errand number/ }).count()).toBe(30)
    // An empty day is one thin line.
    const empty = page.locator(`#upcoming section.day[data-day="${day(4)}"]`)
    expect(await empty.textContent()).toContain('nothing planned')
    expect((await empty.boundingBox())!.height).toBeLessThan(30)

    // The date picker and Move wait behind the row's menu, which the keyboard opens.
    const first = rows.first()
    const date = first.locator('input[type="date"]')
    expect(await date.isVisible()).toBe(false)
    const menu = first.getByText(/Move "Errand number/)
    await first.locator('summary').focus()
    await page.keyboard.press('Enter')
    await date.waitFor({ state: 'visible' })
    expect(await first.getByRole('button', { name: /^Move "Errand number/ }).isVisible()).toBe(true)
    expect(await menu.count()).toBe(1)
    const summary = (await first.locator('summary').boundingBox())!
    expect(Math.min(summary.width, summary.height)).toBeGreaterThanOrEqual(24)
    await page.keyboard.press('Escape')
    await date.waitFor({ state: 'hidden' })

    // Moving with it still works: the first task goes to the third day.
    const title = (await first.locator('.title').textContent())!
    await first.locator('summary').click()
    await date.fill(day(2))
    await first.getByRole('button', { name: /^Move "/ }).click()
    await page.locator(`#upcoming section.day[data-day="${day(2)}"] .title:text-is("${title}")`).waitFor()

    // Completing from a row.
    const second = page.locator('#upcoming li.upcoming-item').first()
    const secondTitle = (await second.locator('.title').textContent())!
    await second.locator('.check').click()
    await page.waitForFunction((t) => ![...document.querySelectorAll('#upcoming .upcoming-item .title')].some((e) => e.textContent === t), secondTitle)
    expect(await page.locator('#upcoming li.upcoming-item').count()).toBe(29)
  })
  expect(problems).toEqual([])
}, 120_000)

run.test('the Calendar shows a weekly task’s next instances on their days, marked as projected, and opens the series', async () => {
  const { page, api, problems } = await person('calendar')
  const other = await person('calendar-other')
  const tomorrow = parseDay(day(1))!
  const gym = await add(api, { title: 'Gym', due_date: `${day(1)}T18:00`, recurrence: 'WEEKLY' })
  await add(api, { title: 'One-off errand', due_date: `${day(2)}T10:00` })
  await add(other.api, { title: 'Someone else’s swim', due_date: `${day(1)}T07:00`, recurrence: 'WEEKLY' })

  // A month wholly after the task's due day: every week of its grid holds one projected Gym, on the task's weekday.
  const later = addDays(tomorrow, 45)
  const month = `${later.year}-${String(later.month).padStart(2, '0')}`
  await step(page, 'lists-calendar', async () => {
    await page.goto(`${suite.server.url}/calendar?month=${month}`)
    const weeks = await page.locator('table.month tbody tr').count()
    const projected = page.locator('table.month li.projected')
    expect(await projected.count()).toBe(weeks)
    const days = await projected.evaluateAll((lis) => lis.map((li) => li.closest('td')!.getAttribute('data-day')!))
    const weekday = new Date(`${day(1)}T12:00:00Z`).getUTCDay()
    for (const d of days) expect(new Date(`${d}T12:00:00Z`).getUTCDay()).toBe(weekday)
    expect(await projected.first().innerText()).toContain('↻')
    expect(await page.getByRole('link', { name: 'Gym (projected: repeats every week)', exact: true }).count()).toBe(weeks)
    expect(await page.locator('table.month').textContent()).not.toContain('Someone else')

    // In this month, the task itself is listed on its day and its next instances a week apart are projected.
    await page.goto(`${suite.server.url}/calendar?month=${day(1).slice(0, 7)}`)
    const next = isoDay(addDays(tomorrow, 7))
    const cellOf = (d: string) => page.locator(`table.month td[data-day="${d}"]`)
    expect(await cellOf(day(1)).locator('li:not(.projected)').first().textContent()).toBe('Gym')
    expect(await cellOf(day(1)).locator('li.projected').count()).toBe(0)
    if ((await cellOf(next).count()) === 1) expect(await cellOf(next).locator('li.projected').textContent()).toContain('Gym')

    // A projection opens the series' current task.
    await page.goto(`${suite.server.url}/calendar?month=${month}`)
    await projected.first().locator('a').click()
    await page.waitForURL((url) => url.pathname === `/tasks/${gym}/edit`)
    expect(await page.inputValue('input[name="title"]')).toBe('Gym')
  })
  expect(problems).toEqual([])
  expect(other.problems).toEqual([])
}, 90_000)

// The web UI in real headless Chromium against the real server: the daily flows, without and with JavaScript.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { isoDay, localDay } from '../src/lib/time'
import { signUpInBrowser, step, visitUntil, watchProblems } from './helpers/browser'
import { browserSuite, PASSWORD } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import type { RunningServer } from './helpers/server'
import { hookTimeoutMs } from './helpers/wait'

const suite = browserSuite()
let server: RunningServer
let browser: Browser

// A laptop without Chromium cannot run these; CI installs it (.ci/run) and must run them.
const run = requires('the web UI in headless Chromium', need.chromium)

run.beforeAll(async () => {
  await suite.start()
  ;({ server, browser } = suite)
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

const signUp = (context: BrowserContext, email: string): Promise<Page> => signUpInBrowser(context, server.url, email, PASSWORD)

async function quickAdd(page: Page, task: { title: string; tags?: string; priority?: string; due?: string }) {
  await page.fill('#qa-title', task.title)
  if (task.tags || task.priority || task.due) {
    if (!(await page.isVisible('#qa-tags'))) await page.click('#quick-add summary')
    if (task.tags) await page.fill('#qa-tags', task.tags)
    if (task.priority) await page.selectOption('#qa-priority', task.priority)
    // The form takes the day and the time apart; a day alone is an all-day task.
    if (task.due) await page.fill('#qa-due', task.due.slice(0, 10))
    if (task.due && task.due.length > 10) await page.fill('#qa-due-time', task.due.slice(11))
  }
  const before = await page.locator('#task-items > li').count()
  await page.press('#qa-title', 'Enter')
  await page.waitForFunction((n) => document.querySelectorAll('#task-items > li').length === n + 1, before)
}

const titles = (page: Page) => page.locator('#task-items .title').allTextContents()

run.describe('with JavaScript (htmx)', () => {
  let context: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    context = await browser.newContext({ timezoneId: 'Europe/Berlin', viewport: { width: 1100, height: 900 } })
    page = await signUp(context, 'ada@example.com')
    problems = watchProblems(page)
  })
  afterAll(() => context.close())

  test('sign-up took the browser time zone', async () => {
    await page.goto(`${server.url}/settings`)
    expect(await page.inputValue('#timezone')).toBe('Europe/Berlin')
    await page.goto(`${server.url}/tasks`)
  })

  test('add tasks with tags, priority and due dates; the due date is read in the user zone', async () => {
    await step(page, 'quick add', async () => {
      await page.keyboard.press('n')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('qa-title')
      await quickAdd(page, { title: 'Buy milk', tags: 'home, errands', priority: 'low', due: '2030-01-10T09:00' })
      await quickAdd(page, { title: 'Write report', tags: 'work', priority: 'high', due: '2030-01-05T17:00' })
      await quickAdd(page, { title: 'Call plumber', tags: 'home', due: '2030-01-07T08:30' })
      await quickAdd(page, { title: '<img src=x onerror=alert(1)>' })
      expect(await titles(page)).toEqual(['<img src=x onerror=alert(1)>', 'Call plumber', 'Write report', 'Buy milk'])
      // The quick add is fresh and focused for the next task.
      expect(await page.inputValue('#qa-title')).toBe('')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('qa-title')
      const due = await page.locator('li:has-text("Write report") time').getAttribute('datetime')
      expect(due).toBe('2030-01-05T16:00:00.000Z')
      expect(await page.locator('#task-items img').count()).toBe(0)
    })
  }, 60_000)

  test('quick add shows what it understood as the line is typed, before saving', async () => {
    await step(page, 'quick add preview', async () => {
      await page.fill('#qa-title', 'team lunch friday at noon #work')
      await page.waitForFunction(() => document.querySelector('#qa-preview')?.textContent?.includes('#work'))
      const said = await page.locator('#qa-preview .understood > div').allTextContents()
      expect(said[0]).toBe('Titleteam lunch')
      expect(said[1]).toMatch(/^DueFri \d+ \w+(?: \d{4})?, 12:00$/)
      expect(said[2]).toBe('Tags#work')
      await page.fill('#qa-title', '')
      await page.waitForFunction(() => document.querySelector('#qa-preview')?.textContent === '')
    })
  }, 60_000)

  test('search as you type, filter by tag, sort; all of it in the URL and kept on reload', async () => {
    await step(page, 'search filter sort', async () => {
      await page.fill('#search', 'report')
      await page.waitForFunction(() => location.search.includes('search=report'))
      await page.waitForFunction(() => document.querySelectorAll('#task-items > li').length === 1)
      expect(await titles(page)).toEqual(['Write report'])

      await page.fill('#search', '')
      await page.waitForFunction(() => document.querySelectorAll('#task-items > li').length === 4)
      await page.click('#task-items li:has-text("Buy milk") a.chip:has-text("#home")')
      await page.waitForFunction(() => location.search.includes('tags=home'))
      await page.waitForFunction(() => document.querySelectorAll('#task-items > li').length === 2)
      expect((await titles(page)).sort()).toEqual(['Buy milk', 'Call plumber'])

      await page.selectOption('#f-sort', 'due_date')
      await page.waitForFunction(() => location.search.includes('sort=due_date'))
      await page.waitForFunction(() => document.querySelector('#task-items .title')?.textContent === 'Call plumber')
      expect(await titles(page)).toEqual(['Call plumber', 'Buy milk'])

      await page.reload()
      expect(new URL(page.url()).searchParams.get('tags')).toBe('home')
      expect(await page.inputValue('#f-sort')).toBe('due_date')
      expect(await titles(page)).toEqual(['Call plumber', 'Buy milk'])
      await expect(page.locator('.chip.active').textContent()).resolves.toContain('#home')

      await page.goBack()
      await page.waitForFunction(() => !location.search.includes('sort=due_date'))
      await page.goto(`${server.url}/tasks`)
    })
  }, 60_000)

  test('edit inline; Escape cancels an edit', async () => {
    await step(page, 'inline edit', async () => {
      const item = page.locator('#task-items li:has-text("Buy milk")')
      await item.locator('a:has-text("Edit")').click()
      const form = page.locator('form.edit')
      await form.waitFor()
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('title')
      await form.locator('input[name=title]').fill('Buy oat milk')
      await form.locator('button:has-text("Save")').click()
      await page.locator('#task-items .title:text-is("Buy oat milk")').waitFor()
      expect(await page.locator('form.edit').count()).toBe(0)

      await page.locator('#task-items li:has-text("Call plumber") a:has-text("Edit")').click()
      await page.locator('form.edit').waitFor()
      await page.locator('form.edit input[name=title]').fill('Should not be saved')
      await page.keyboard.press('Escape')
      await page.locator('form.edit').waitFor({ state: 'detached' })
      expect(await titles(page)).toContain('Call plumber')
      expect(await titles(page)).not.toContain('Should not be saved')
    })
  }, 60_000)

  test('an invalid edit shows the error in place', async () => {
    await step(page, 'invalid edit', async () => {
      await page.locator('#task-items li:has-text("Call plumber") a:has-text("Edit")').click()
      const form = page.locator('form.edit')
      await form.locator('input[name=tags]').fill('ok, has space')
      await form.locator('button:has-text("Save")').click()
      await form.locator('.form-error').waitFor()
      expect(await form.locator('.form-error').textContent()).toContain('has space')
      await page.keyboard.press('Escape')
      await page.locator('form.edit').waitFor({ state: 'detached' })
    })
  }, 60_000)

  test('complete and reopen with the checkbox; the counts follow', async () => {
    await step(page, 'complete reopen', async () => {
      const check = page.locator('#task-items li:has-text("Write report") .check')
      await check.click()
      await page.waitForFunction(() => document.querySelector('#task-items li.done .title')?.textContent === 'Write report')
      expect(await page.locator('#task-items li:has-text("Write report") .check').getAttribute('aria-checked')).toBe('true')
      expect(await page.locator('#counts a:has-text("Completed") .count').textContent()).toBe('1')
      // Focus stays on the row's checkbox, not dropped to the page.
      expect(await page.evaluate(() => document.activeElement?.matches('li.task .check') && document.activeElement.closest('li')?.querySelector('.title')?.textContent)).toBe('Write report')
      // Completing offers Undo in a toast; "u" takes it.
      expect(await page.locator('#toasts .toast').last().textContent()).toContain('Completed "Write report"')
      await page.keyboard.press('u')
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 0)
      await page.locator('#task-items li:has-text("Write report") .check').click()
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 1)
      await page.locator('#task-items li:has-text("Write report") .check').click()
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 0)
      expect(await page.locator('#counts a:has-text("Completed") .count').textContent()).toBe('0')
    })
  }, 60_000)

  test('delete, then undo from the toast', async () => {
    await step(page, 'delete undo', async () => {
      const rows = await titles(page)
      const after = rows[rows.indexOf('Call plumber') + 1] ?? rows[rows.indexOf('Call plumber') - 1]
      await page.locator('#task-items li:has-text("Call plumber") button:has-text("Delete")').click()
      await page.waitForFunction(() => ![...document.querySelectorAll('#task-items .title')].some((t) => t.textContent === 'Call plumber'))
      // Focus moves to the neighbouring row, not to the page.
      await page.waitForFunction((title) => document.activeElement?.closest('li.task')?.querySelector('.title')?.textContent === title, after)
      const toast = page.locator('#toasts .toast:has-text("Deleted")')
      await toast.waitFor()
      expect(await toast.textContent()).toContain('Deleted "Call plumber"')
      await toast.locator('button:has-text("Undo")').click()
      await page.locator('#task-items .title:text-is("Call plumber")').waitFor()
      expect((await titles(page)).length).toBe(4)
    })
  }, 60_000)

  test('bulk complete', async () => {
    await step(page, 'bulk complete', async () => {
      await page.locator('#task-items li:has-text("Buy oat milk") input.select').check()
      await page.locator('#task-items li:has-text("Call plumber") input.select').check()
      await page.click('#bulk button:has-text("Complete selected")')
      // The list shows open tasks: the two leave it, and are under Completed.
      await page.waitForFunction(() => ![...document.querySelectorAll('#task-items .title')].some((t) => t.textContent === 'Buy oat milk' || t.textContent === 'Call plumber'))
      expect(await page.locator('#toasts .toast').last().textContent()).toContain('Completed 2 tasks')
      expect(await page.locator('#toasts .toast').last().locator('button.undo').count()).toBe(1)
      await page.click('#counts a:has-text("Completed")')
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 2)
      const done = await page.locator('#task-items li.done .title').allTextContents()
      expect(done.sort()).toEqual(['Buy oat milk', 'Call plumber'])
      await page.click('#counts a:has-text("All")')
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 2 && document.querySelectorAll('#task-items li:not(.done)').length > 0)
      await page.click('#counts a:has-text("Open")')
      await page.waitForFunction(() => document.querySelectorAll('#task-items li.done').length === 0)
    })
  }, 60_000)

  test('the activity page shows the audit trail, and each task its own history', async () => {
    await step(page, 'audit trail', async () => {
      await page.click('nav a:has-text("Activity")')
      await page.waitForURL(`${server.url}/audit`)
      // Events reach the audit log asynchronously: reload until the last change has arrived.
      await visitUntil(page, `${server.url}/audit`, '.entry.completed:has-text("Call plumber")')
      const actions = await page.locator('.entry strong').allTextContents()
      expect(actions).toContain('Completed')
      expect(actions).toContain('Edited')
      expect(actions).toContain('Deleted')
      expect(actions).toContain('Restored')
      const edit = page.locator('.entry.updated:has-text("Buy oat milk")').first()
      expect(await edit.locator('.changes').textContent()).toContain('title: Buy milk → Buy oat milk')
      await page.locator('.entry a.title:text-is("Call plumber")').first().click()
      await page.waitForURL(/\/audit\?task_id=/)
      expect(await page.textContent('h1')).toBe('History of "Call plumber"')
      const history = await page.locator('.entry strong').allTextContents()
      expect(history.at(-1)).toBe('Created')
      await page.goto(`${server.url}/tasks`)
    })
  }, 60_000)

  test('set a reminder from a task; when it fires, the bell and the notification centre show it', async () => {
    await step(page, 'reminder', async () => {
      await page.locator('#task-items li:has-text("Write report") a:has-text("Remind")').click()
      await page.waitForURL(/\/reminders$/)
      const at = new Date(Date.now() + 2500)
      // The datetime-local input takes the wall time in the browser's zone (Europe/Berlin).
      const wall = await page.evaluate((iso) => {
        const d = new Date(iso)
        const p = (n: number) => String(n).padStart(2, '0')
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
      }, at.toISOString())
      await page.fill('#remind-at', wall)
      await page.click('button:has-text("Add reminder")')
      await page.locator('.reminder.pending').waitFor()
      await page.locator('#lead').selectOption('1h')
      await page.click('button:has-text("Add reminder")')
      // Both listed once the second is in; the first may be Sent already, as the page follows its reminders live.
      await page.locator('.reminder.pending', { hasText: '1h before' }).waitFor()
      expect(await page.locator('.reminder').count()).toBe(2)
      expect(await page.locator('.reminder.pending', { hasText: '1h before' }).count()).toBe(1)
      // The reminder fires on the server: reload the task list until its bell shows it.
      await visitUntil(page, `${server.url}/tasks`, '#bell .badge')
      expect(await page.locator('#bell .badge').textContent()).toBe('1')
      await page.click('#bell')
      await page.waitForURL(`${server.url}/notifications`)
      expect(await page.locator('.notifications li.unread .title').textContent()).toBe('Write report')
      // Seen is read: back on the list, the bell has nothing new.
      await page.goto(`${server.url}/tasks`)
      expect(await page.locator('#bell .badge').count()).toBe(0)
      // Snoozed for an hour, the task has one more reminder waiting.
      await page.goto(`${server.url}/notifications`)
      expect(await page.locator('.notifications li.read .title').textContent()).toBe('Write report')
      await page.locator('.notifications li select[name=for]').first().selectOption('1h')
      await page.click('.notifications li button:has-text("Snooze")')
      await page.waitForURL(`${server.url}/notifications`)
      await page.click('.notifications li .title')
      expect(await page.locator('.reminder.pending').count()).toBe(2)
      await page.goto(`${server.url}/tasks`)
    })
  }, 60_000)

  test('the assistant panel answers in place, and its change shows in the task list', async () => {
    await step(page, 'assistant', async () => {
      await page.click('nav a:has-text("Assistant")')
      await page.waitForURL(`${server.url}/chat`)
      await page.fill('#chat-message', 'add call the vet tomorrow 10am !high')
      await page.press('#chat-message', 'Enter')
      await page.locator('.msg.assistant:not(.pending) p:has-text("Added")').waitFor()
      expect(page.url()).toBe(`${server.url}/chat`)
      expect(await page.locator('.msg.user p').last().textContent()).toBe('add call the vet tomorrow 10am !high')
      await page.fill('#chat-message', 'list')
      await page.press('#chat-message', 'Enter')
      await page.locator('.msg.assistant:not(.pending) p:has-text("Your open tasks")').waitFor()
      await page.goto(`${server.url}/tasks?search=vet`)
      expect(await titles(page)).toEqual(['call the vet'])
      // The assistant's change comes with an Undo in a toast: one click takes it back.
      await page.goto(`${server.url}/chat`)
      await page.fill('#chat-message', 'add renew passport friday')
      await page.press('#chat-message', 'Enter')
      await page.locator('.msg.assistant:not(.pending) p:has-text(\'Added "renew passport"\')').waitFor()
      await page.click('#toasts .toast button.undo')
      await page.locator('.msg.assistant:not(.pending) p:has-text("Undone: removed")').waitFor()
      // Loaded afresh (no script needed), only the newest change offers an Undo, and an undo offers none.
      await page.goto(`${server.url}/chat`)
      expect(await page.locator('.chat-undo').count()).toBe(0)
      await page.goto(`${server.url}/tasks?search=passport`)
      expect(await titles(page)).toEqual([])
      // A long conversation opens at its end, with the message box on screen.
      await page.goto(`${server.url}/chat`)
      for (let i = 0; i < 8; i++) {
        await page.fill('#chat-message', 'help')
        await page.press('#chat-message', 'Enter')
        await page.locator('.msg.assistant.pending').waitFor({ state: 'detached' })
      }
      await page.reload()
      const box = (await page.locator('#chat-message').boundingBox())!
      expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height)
      const log = (await page.locator('#chat-log').boundingBox())!
      const last = (await page.locator('#chat-log .msg').last().boundingBox())!
      expect(last.y + last.height).toBeLessThanOrEqual(log.y + log.height + 1)
      expect(last.y).toBeGreaterThanOrEqual(log.y - 1)
      await page.goto(`${server.url}/tasks`)
    })
  }, 60_000)

  test('usable at 375 px: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    await page.reload()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.setViewportSize({ width: 1100, height: 900 })
  })

  test('no script errors or CSP violations happened, and the XSS title never ran', () => {
    expect(problems).toEqual([])
  })

  test('a second user sees none of the first user tasks, on any page', async () => {
    const other = await browser.newContext()
    try {
      const page2 = await signUp(other, 'bob@example.com')
      expect(await titles(page2)).toEqual([])
      expect(await page2.textContent('#task-list')).toContain('Nothing to do yet')
      await page2.goto(`${server.url}/tasks?search=report`)
      expect(await titles(page2)).toEqual([])
      const id = await page.locator('#task-items li:has-text("Write report")').getAttribute('data-id')
      const edit = await page2.goto(`${server.url}/tasks/${id}/edit`)
      expect(edit!.status()).toBe(404)
      expect(await page2.textContent('body')).not.toContain('Write report')
    } finally {
      await other.close()
    }
  }, 60_000)
})

run.describe('without JavaScript: forms post and redirect', () => {
  test('sign up, add, complete, edit and delete', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await signUp(context, 'nojs@example.com')
    await step(page, 'no-js flow', async () => {
      await page.fill('#qa-title', 'Plain form task')
      await page.click('#quick-add button.primary')
      await page.waitForURL(`${server.url}/tasks`)
      expect(await titles(page)).toEqual(['Plain form task'])
      await page.click('#task-items .check')
      // Done, it leaves the open list and is found under Completed.
      expect(await titles(page)).toEqual([])
      await page.click('#counts a:has-text("Completed")')
      expect(await page.locator('#task-items li.done').count()).toBe(1)
      await page.click('#task-items a:has-text("Edit")')
      await page.fill('form.edit input[name=title]', 'Renamed without JS')
      await page.click('form.edit button:has-text("Save")')
      await page.waitForURL(`${server.url}/tasks?status=completed`)
      expect(await titles(page)).toEqual(['Renamed without JS'])
      await page.click('#task-items button:has-text("Delete")')
      expect(await titles(page)).toEqual([])
    })
    await context.close()
  }, 60_000)
})

run.describe('planning views: Today, Upcoming, Calendar and Progress (htmx)', () => {
  let context: BrowserContext
  let page: Page
  let problems: string[]
  let token: string
  const zone = 'Europe/Berlin'
  const day = (offset: number) => isoDay(localDay(new Date(), zone, offset))
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    return (await res.json()) as any
  }
  const sectionTitles = (id: string) => page.locator(`#${id} .title`).allTextContents()

  beforeAll(async () => {
    const email = `today-${crypto.randomUUID()}@example.com`
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect((await post('/api/v1/auth/signup', { email, password: PASSWORD, timezone: zone })).status).toBe(202)
    token = ((await (await post('/api/v1/auth/login', { email, password: PASSWORD })).json()) as { token: string }).token
    await api('POST', '/api/v1/tasks', { title: 'Renew visa', due_date: `${day(-3)}T10:00` })
    await api('POST', '/api/v1/tasks', { title: 'File taxes', due_date: `${day(-2)}T18:00`, priority: 'high' })
    await api('POST', '/api/v1/tasks', { title: 'Standup notes', due_date: `${day(0)}T23:59` })
    await api('POST', '/api/v1/tasks', { title: 'Next week', due_date: `${day(7)}T09:00` })
    const done = await api('POST', '/api/v1/tasks', { title: 'Morning run', due_date: `${day(0)}T07:00` })
    await api('POST', `/api/v1/tasks/${done.id}/complete`)
    context = await browser.newContext({ timezoneId: zone, viewport: { width: 1100, height: 900 } })
    page = await context.newPage()
    problems = watchProblems(page)
    await page.goto(`${server.url}/login?next=%2Ftoday`)
    await page.fill('#email', email)
    await page.fill('#password', PASSWORD)
    await page.click('form button[type=submit]')
    await page.waitForURL(`${server.url}/today`)
  }, 60_000)
  afterAll(() => context?.close())

  test('overdue, due today and completed today, each in its section; Today is the current page', async () => {
    await step(page, 'today-sections', async () => {
      expect(await page.textContent('h1')).toContain('Today,')
      expect(await page.getAttribute('nav a[href="/today"]', 'aria-current')).toBe('page')
      expect(await sectionTitles('overdue')).toEqual(['Renew visa', 'File taxes'])
      expect(await sectionTitles('due-today')).toEqual(['Standup notes'])
      expect(await sectionTitles('done-today')).toEqual(['Morning run'])
      expect(await page.textContent('body')).not.toContain('Next week')
      // What is due today comes first; the two overdue tasks fold below it, unfolded while they are few.
      const order = await page.evaluate(() => [...document.querySelectorAll('#today h2')].map((h) => h.id))
      expect(order.indexOf('due-today-heading')).toBeLessThan(order.indexOf('overdue-heading'))
      expect(await page.locator('details.overdue-fold').getAttribute('open')).not.toBeNull()
    })
  })

  test('"n" and a line add a task due today, in place; the box is empty and ready for the next', async () => {
    await step(page, 'today-add', async () => {
      await page.locator('body').press('n')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('qa-title')
      await page.keyboard.type('Call the vet !high')
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => [...document.querySelectorAll('#due-today .title')].some((t) => t.textContent === 'Call the vet'))
      expect(await page.textContent('#today .notice')).toBe('Added "Call the vet".')
      await page.waitForFunction(() => document.activeElement?.id === 'qa-title')
      expect(await page.inputValue('#qa-title')).toBe('')
      const vet = (await api('GET', '/api/v1/tasks?search=vet')).items[0]
      expect(vet).toMatchObject({ priority: 'high', all_day: true, due_day: day(0) })
      await fetch(`${server.url}/api/v1/tasks/${vet.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
      await page.reload()
    })
  })

  test('one overdue task moved to today, in place', async () => {
    await step(page, 'today-move-one', async () => {
      await page.click('button[aria-label="Move \\"Renew visa\\" to today"]')
      await page.waitForFunction(() => document.querySelectorAll('#overdue .title').length === 1)
      expect(await sectionTitles('due-today')).toEqual(['Renew visa', 'Standup notes'])
      expect(await page.textContent('#today .notice')).toBe('Moved "Renew visa".')
      expect(page.url()).toBe(`${server.url}/today`)
    })
  })

  test('all overdue tasks moved to a chosen day, keeping their time', async () => {
    await step(page, 'today-move-all', async () => {
      await page.fill('input[aria-label="Move all overdue tasks: choose a day"]', day(3))
      await page.click('button[aria-label="Move all overdue tasks to the chosen day"]')
      await page.waitForSelector('#overdue-heading', { state: 'detached' })
      const moved = (await api('GET', '/api/v1/tasks?search=taxes')).items[0]
      const local = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(moved.due_date))
      expect(local).toBe(`${day(3)} 18:00`)
    })
  })

  test('Upcoming: 14 days, a series projected, a task moved with the keyboard and by drag and drop', async () => {
    await api('POST', '/api/v1/tasks', { title: 'Stretch', due_date: `${day(1)}T07:30`, recurrence: 'DAILY' })
    await page.click('nav a[href="/upcoming"]')
    await page.waitForURL(`${server.url}/upcoming`)
    const inDay = (d: string) => page.locator(`section[data-day="${d}"] .upcoming-item .title`).allTextContents()
    await step(page, 'upcoming-layout', async () => {
      expect(await page.locator('section.day[data-day]').count()).toBe(14)
      expect(await inDay(day(7))).toEqual(['Next week'])
      // The daily series: its task tomorrow, then projected on each later day of the fortnight.
      expect(await inDay(day(1))).toContain('Stretch')
      expect(await page.locator('.task.projected:has-text("Stretch")').count()).toBe(12)
      expect(await page.locator(`section[data-day="${day(2)}"] .task.projected .badge`).textContent()).toBe('projected')
    })
    await step(page, 'upcoming-keyboard', async () => {
      // The date picker waits behind the row's menu (⋯).
      await page.locator('#upcoming li:has-text("Next week") summary').click()
      const input = page.getByLabel('Move "Next week" to the day', { exact: true })
      await input.fill(day(8))
      await input.press('Enter')
      await page.waitForFunction((d) => document.querySelector(`section[data-day="${d}"] .upcoming-item`) !== null, day(8))
      expect(await inDay(day(7))).toEqual([])
      expect(await page.textContent('#upcoming .notice')).toBe('Moved "Next week".')
    })
    await step(page, 'upcoming-drag', async () => {
      // The drag events a drag and drop fires, dispatched in the page (headless Chromium does not start a native drag from synthetic mouse moves here).
      await page.evaluate((d) => {
        const source = [...document.querySelectorAll('.upcoming-item')].find((li) => li.textContent?.includes('Next week'))!
        const target = document.querySelector(`section[data-day="${d}"] h2`)!
        const data = new DataTransfer()
        source.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: data }))
        target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }))
        target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }))
      }, day(10))
      await page.waitForFunction((d) => (document.querySelector(`section[data-day="${d}"]`)?.textContent ?? '').includes('Next week'), day(10))
      const moved = (await api('GET', '/api/v1/tasks?search=Next%20week')).items[0]
      const local = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(moved.due_date))
      expect(local).toBe(`${day(10)} 09:00`)
    })
  }, 60_000)

  test('Calendar: a month in the URL, days by arrow keys, months by Page Up and Down, a day opens its list', async () => {
    const [y, m] = day(0).split('-').map(Number) as [number, number]
    const month = `${y}-${String(m).padStart(2, '0')}`
    const nextMonth = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
    // A long title on a day of this month other than today (whose cell the test reads below).
    const other = day(1).startsWith(month) ? day(1) : day(-1)
    const long = await api('POST', '/api/v1/tasks', { title: 'Quarterly budget review', due_date: `${other}T22:00` })
    await page.goto(`${server.url}/calendar?month=${month}`)
    await step(page, 'calendar-grid', async () => {
      expect(await page.getAttribute('nav a[href="/calendar"]', 'aria-current')).toBe('page')
      expect(await page.locator('a.day-link[aria-current="date"]').count()).toBe(1)
      expect(await page.locator(`td[data-day="${day(0)}"] .titles`).textContent()).toContain('Standup notes')
      // Wide enough that a title of a few words shows whole (the page is 1100 px wide here).
      const cut = await page.evaluate(() => [...document.querySelectorAll('table.month .titles li')].filter((li) => li.scrollWidth > li.clientWidth || li.scrollHeight > li.clientHeight + 1).map((li) => li.textContent))
      expect(cut).toEqual([])
      await fetch(`${server.url}/api/v1/tasks/${long.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
      const focused = () => page.evaluate(() => document.activeElement?.closest('td')?.getAttribute('data-day'))
      await page.locator(`td[data-day="${month}-01"] a.day-link`).focus()
      await page.keyboard.press('ArrowRight')
      expect(await focused()).toBe(`${month}-02`)
      await page.keyboard.press('ArrowDown')
      expect(await focused()).toBe(`${month}-09`)
      await page.keyboard.press('ArrowUp')
      await page.keyboard.press('ArrowLeft')
      expect(await focused()).toBe(`${month}-01`)
    })
    await step(page, 'calendar-months', async () => {
      await page.keyboard.press('PageDown')
      await page.waitForURL(`${server.url}/calendar?month=${nextMonth}`)
      await page.waitForFunction(() => document.activeElement?.classList.contains('day-link'))
      await page.keyboard.press('PageUp')
      await page.waitForURL(`${server.url}/calendar?month=${month}`)
      // The URL holds the month: reload and back keep it.
      await page.reload()
      expect(await page.locator('a.day-link[aria-current="date"]').count()).toBe(1)
    })
    await step(page, 'calendar-open-day', async () => {
      await page.locator('a.day-link[aria-current="date"]').focus()
      await page.keyboard.press('Enter')
      await page.waitForURL(new RegExp(`/tasks\\?due_date_from=${day(0)}&due_date_to=${day(0)}`))
      expect(await titles(page)).toContain('Standup notes')
    })
  }, 60_000)

  test('Progress: charts that name themselves, figures as a table, the period in the URL', async () => {
    await page.goto(`${server.url}/progress`)
    const tasks = (await api('GET', '/api/v1/tasks?limit=100')).items as Array<{ status: string; due_date: string | null; completed_at: string | null }>
    const doneToday = tasks.filter((x) => x.completed_at && isoDay(localDay(new Date(x.completed_at), zone)) === day(0)).length
    const overdueNow = tasks.filter((x) => x.status === 'pending' && x.due_date && new Date(x.due_date) <= new Date()).length
    await step(page, 'progress-charts', async () => {
      expect(await page.getAttribute('nav a[href="/progress"]', 'aria-current')).toBe('page')
      // Each chart is an image named by its title and described by its summary.
      await page.getByRole('img', { name: 'Tasks completed per day, the last 30 days' }).waitFor()
      expect(await page.getByRole('img', { name: /^Tasks overdue at the end of each day/ }).count()).toBe(1)
      expect(await page.getByRole('img', { name: /^Completion by priority/ }).count()).toBe(1)
      expect(await page.locator('#completed-chart rect.bar').count()).toBe(30)
      expect(Number(await page.locator('#completed-chart rect.bar').last().getAttribute('data-value'))).toBe(doneToday)
      expect(Number(await page.locator('#overdue-chart circle.dot').last().getAttribute('data-value'))).toBe(overdueNow)
      expect(await page.locator('#overdue-now .value').textContent()).toBe(String(overdueNow))
      expect(Number(await page.locator('#streak .value').textContent())).toBeGreaterThanOrEqual(1)
      // The figures behind a chart, as a table.
      expect(await page.locator('#completed-chart-table').isVisible()).toBe(false)
      await page.click('#completed-chart summary')
      expect(await page.locator('#completed-chart-table tbody tr').count()).toBe(30)
    })
    await step(page, 'progress-period', async () => {
      await page.click('nav.periods a:has-text("7 days")')
      await page.waitForURL(`${server.url}/progress?days=7`)
      await page.getByRole('img', { name: 'Tasks completed per day, the last 7 days' }).waitFor()
      expect(await page.locator('#completed-chart rect.bar').count()).toBe(7)
      expect(await page.getAttribute('nav.periods a[aria-current="true"]', 'href')).toBe('/progress?days=7')
      await page.goBack()
      await page.waitForURL(`${server.url}/progress`)
      await page.getByRole('img', { name: 'Tasks completed per day, the last 30 days' }).waitFor()
      await page.reload()
      expect(await page.locator('#completed-chart rect.bar').count()).toBe(30)
    })
  }, 60_000)

  test('usable at 375 px, with no script errors or CSP violations', async () => {
    await page.goto(`${server.url}/today`)
    await api('POST', '/api/v1/tasks', { title: 'Overdue again', due_date: `${day(-1)}T08:00` })
    await page.setViewportSize({ width: 375, height: 800 })
    await page.reload()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    for (const path of ['/upcoming', '/calendar', '/progress?days=90']) {
      await page.goto(`${server.url}${path}`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    }
    expect(problems).toEqual([])
  })
})

// Taking data in and out from Settings, in headless Chromium against the real server: a Todoist export and a
// calendar's to-dos uploaded with the report shown (what was skipped and why), the same file again adding nothing,
// and every export downloaded: JSON whole, and CSV a file per table.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { readCsv } from '../src/features/import/csv'
import { step } from './helpers/browser'
import { browserSuite, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import { hookTimeoutMs } from './helpers/wait'

const suite = browserSuite()
let page: Page
let problems: string[]
let api: SignedIn['api']
const fixture = (name: string) => new URL(`./fixtures/import/${name}`, import.meta.url).pathname

const run = requires('the web UI in headless Chromium', need.chromium)

run.beforeAll(async () => {
  await suite.start()
  ;({ page, problems, api } = await suite.signIn('import', 'Europe/Berlin', { viewport: { width: 1280, height: 800 }, acceptDownloads: true }))
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

/** Uploads `file` as `format` with the form in Settings and waits for the report. */
async function upload(format: string, file: string) {
  await page.goto(`${suite.server.url}/settings`)
  await page.selectOption('#import-format', format)
  await page.setInputFiles('#import-file', fixture(file))
  await page.click('#import-form button[type=submit]')
  await page.locator('#import-report').waitFor()
  return page.locator('#import-report')
}

run.test('a Todoist export uploaded in Settings: the report says what was made and lists each skipped line and why; the tasks are there', async () => {
  await step(page, 'import-todoist', async () => {
    const report = await upload('todoist-csv', 'todoist-project.csv')
    expect(await report.locator('[role=status]').textContent()).toBe('9 tasks created, 0 rows already imported before, 2 rows skipped.')
    expect(await report.locator('ul[aria-label="Skipped rows"] li').allTextContents()).toEqual([
      'Line 14: title must not be empty',
      'Line 19: TYPE "label" is not task, section or note',
    ])
    expect(await report.locator('ul[aria-label="Rows imported with a change"] li').first().textContent()).toBe(
      'Line 6: the repeat "every last friday" is not one this app follows; imported without a due date or repeat',
    )
    await report.locator('a:has-text("See your tasks")').click()
    await page.waitForURL(/\/tasks/)
    expect(await page.locator('#task-items .title').allTextContents()).toContain('Buy oat milk')
  })
  const { body } = await api('GET', '/api/v1/tasks?search=Plan the week')
  expect(body.items[0]).toMatchObject({ priority: 'high', recurrence: 'FREQ=WEEKLY;BYDAY=MO', tags: ['planning'] })
}, 60_000)

run.test('the same file again adds nothing; a calendar file of to-dos imports beside it', async () => {
  await step(page, 'import-again', async () => {
    const again = await upload('todoist-csv', 'todoist-project.csv')
    expect(await again.locator('[role=status]').textContent()).toBe('0 tasks created, 9 rows already imported before, 2 rows skipped.')
    expect(await again.locator('ul[aria-label="Rows already imported"] li').first().textContent()).toBe('Line 3: imported before')
    const ics = await upload('ics', 'tasks.ics')
    expect(await ics.locator('[role=status]').textContent()).toBe('4 tasks created, 0 rows already imported before, 3 rows skipped.')
    expect(await ics.locator('ul[aria-label="Skipped rows"] li').allTextContents()).toContain('Line 79: a VEVENT (an event), not a to-do (VTODO)')
  })
  const { body } = await api('GET', '/api/v1/tasks?status=completed')
  expect(body.items.map((task: { title: string }) => task.title)).toEqual(['Renew passport'])
}, 60_000)

run.test('a file of the wrong kind is refused on the form, the file field marked', async () => {
  await step(page, 'import-wrong', async () => {
    await page.goto(`${suite.server.url}/settings/import`)
    await page.selectOption('#import-format', 'ics')
    await page.setInputFiles('#import-file', fixture('todoist-project.csv'))
    await page.click('#import-form button[type=submit]')
    await page.locator('#import-form [role=alert]').waitFor()
    expect(await page.locator('#import-form [role=alert]').textContent()).toBe('file is not an iCalendar file: it has no BEGIN:VCALENDAR line')
    expect(await page.locator('#import-file').getAttribute('aria-invalid')).toBe('true')
  })
}, 60_000)

run.test('Settings: every export downloads, JSON whole and CSV a file per table, each opening with its header', async () => {
  await page.goto(`${suite.server.url}/settings`)
  const download = async (label: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("${label}")`)])
    return { name: file.suggestedFilename(), text: await Bun.file((await file.path())!).text() }
  }
  const json = await download('Export all (JSON)')
  expect(JSON.parse(json.text).tasks).toHaveLength(13)
  const tasks = await download('Export tasks (CSV)')
  // A header and a record per task (a description may hold line breaks, inside its quotes).
  expect(readCsv(tasks.text)).toHaveLength(14)
  const headers: Record<string, string> = {
    'Reminders (CSV)': 'id,task_id,remind_at,lead,status',
    'Notifications (CSV)': 'id,task_id,title,body,created_at,read',
    'Activity (CSV)': 'id,task_id,action,title,changes,actor_email,occurred_at',
    'Assistant conversations (CSV)': 'conversation_id,conversation_title,role,content,created_at',
    'Saved filters (CSV)': 'id,name,query,position,created_at,updated_at',
    'API token names (CSV)': 'name,created_at,last_used_at',
  }
  for (const [label, header] of Object.entries(headers)) {
    const file = await download(label)
    expect({ label, name: file.name.endsWith('.csv'), header: file.text.split('\r\n')[0] }).toEqual({ label, name: true, header })
  }
  expect(problems).toEqual([])
}, 60_000)

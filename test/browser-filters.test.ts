// Saved views in headless Chromium against the real server: a filter typed on the task list narrows it, is saved under a
// name, shows as a view that opens the list filtered, and is deleted; a mistyped filter says where it goes wrong.
import { expect } from 'bun:test'
import { step } from './helpers/browser'
import { onePersonSuite } from './helpers/browser-suite'

const { suite, run, person } = onePersonSuite('filters', 'Europe/Berlin', { viewport: { width: 1280, height: 800 } }, async ({ api }) => {
  for (const task of [
    { title: 'File the taxes', priority: 'high', tags: ['admin'] },
    { title: 'Book the dentist', priority: 'low', tags: ['health'] },
    { title: 'Water the plants', priority: 'medium' },
  ]) {
    expect((await api('POST', '/api/v1/tasks', task)).status).toBe(201)
  }
})

const titles = () => person().page.locator('#task-items .title').allTextContents()
const showing = (expected: string[]) =>
  person().page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#task-items .title')].map((e) => e.textContent).sort()) === JSON.stringify(want), [...expected].sort())

run.test('a typed filter narrows the list, is saved as a view, opens from the views, and is deleted', async () => {
  const { page, problems, api } = person()
  await step(page, 'filter-typed', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    await page.click('summary:has-text("Filters")')
    await page.fill('#f-filter', 'p1 | #health')
    await page.press('#f-filter', 'Enter')
    await showing(['File the taxes', 'Book the dentist'])
    await page.waitForURL(/filter=p1/)
  })
  await step(page, 'view-saved', async () => {
    await page.fill('#view-name', 'Needs me')
    await page.click('button:has-text("Save view")')
    await page.locator('nav[aria-label="Saved views"] a:has-text("Needs me")').waitFor()
    expect(await page.locator('nav[aria-label="Saved views"] a[aria-current="page"]').textContent()).toBe('Needs me')
    expect((await titles()).sort()).toEqual(['Book the dentist', 'File the taxes'])
    expect(await page.locator('#save-view').count()).toBe(0)
  })
  await step(page, 'view-opened', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    await showing(['File the taxes', 'Book the dentist', 'Water the plants'])
    await page.click('nav[aria-label="Saved views"] a:has-text("Needs me")')
    await showing(['File the taxes', 'Book the dentist'])
    await page.waitForURL(/filter=p1\+%7C\+%23health/)
    expect(await page.inputValue('#f-filter')).toBe('p1 | #health')
  })
  await step(page, 'view-deleted', async () => {
    await page.click('button:has-text("Delete the view Needs me")')
    await page.locator('nav[aria-label="Saved views"]').waitFor({ state: 'detached' })
    expect((await api('GET', '/api/v1/filters')).body.items).toEqual([])
  })
  expect(problems).toEqual([])
}, 90_000)

run.test('a mistyped filter keeps the whole list and says where it goes wrong', async () => {
  const { page } = person()
  await step(page, 'filter-mistyped', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    await page.click('summary:has-text("Filters")')
    await page.fill('#f-filter', 'p1 & (#health')
    await page.press('#f-filter', 'Enter')
    await page.locator('#task-list [role="alert"]').waitFor()
    expect(await page.locator('#task-list [role="alert"]').textContent()).toBe('filter: expected ")" (to close "(" from column 6) at column 14')
    expect((await titles()).length).toBe(3)
  })
}, 60_000)

// Completing a task that has open subtasks, in headless Chromium against the real server: the complete control and
// "Complete selected" lead to the offer, which completes the subtasks too or leaves them open, and comes back to the list.
import { expect } from 'bun:test'
import { step } from './helpers/browser'
import { onePersonSuite } from './helpers/browser-suite'

const { suite, run, person } = onePersonSuite('subtasks', 'Europe/Berlin', { viewport: { width: 1280, height: 800 } })

/** A parent with two open subtasks, one with a sub-subtask; returns their ids. */
async function tree(title: string) {
  const { api } = person()
  const add = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/api/v1/tasks', body)
    expect(res.status).toBe(201)
    return res.body.id as string
  }
  const parent = await add({ title })
  const first = await add({ title: `${title}: first step`, parent_id: parent })
  const second = await add({ title: `${title}: second step`, parent_id: parent })
  const deeper = await add({ title: `${title}: a detail`, parent_id: first })
  return { parent, subtasks: [first, second, deeper] }
}

const statusOf = async (id: string) => (await person().api('GET', `/api/v1/tasks/${id}`)).body.status

run.test('the complete control offers to complete the open subtasks too, and does', async () => {
  const { page, problems } = person()
  const { parent, subtasks } = await tree('Move house')
  await step(page, 'offer-shown', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    await page.click('button[aria-label="Complete \\"Move house\\""]')
    await page.waitForURL(/\/tasks\/complete\?/)
    expect(await page.locator('h1').textContent()).toBe('Complete "Move house"?')
    expect(await page.locator('#open-subtasks').textContent()).toBe('It has 3 open subtasks')
    expect((await page.locator('section.card li').allTextContents()).sort()).toEqual(['Move house: a detail', 'Move house: first step', 'Move house: second step'])
  })
  await step(page, 'completed-all', async () => {
    await page.click('button:has-text("Complete them too")')
    await page.waitForURL(/\/tasks(\?|$)/)
    await page.locator('#task-items').waitFor({ state: 'attached' })
    expect(await page.locator('#task-items .title', { hasText: 'Move house' }).count()).toBe(0)
  })
  for (const id of [parent, ...subtasks]) expect(await statusOf(id)).toBe('completed')
  expect(problems).toEqual([])
}, 90_000)

run.test('"Complete selected" with a parent among them can leave its subtasks open', async () => {
  const { page, problems } = person()
  const { parent, subtasks } = await tree('Plan the trip')
  await step(page, 'selected', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    await page.check('input[aria-label="Select \\"Plan the trip\\""]')
    await page.click('button:has-text("Complete selected")')
    await page.waitForURL(/\/tasks\/complete\?/)
    expect(await page.locator('#open-subtasks').textContent()).toBe('It has 3 open subtasks')
  })
  await step(page, 'kept-open', async () => {
    await page.click('button:has-text("Leave them open")')
    await page.waitForURL(/\/tasks(\?|$)/)
    await page.locator('#task-items .title', { hasText: 'Plan the trip: first step' }).waitFor()
    expect(await page.locator('#task-items .title', { hasText: /^Plan the trip$/ }).count()).toBe(0)
  })
  expect(await statusOf(parent)).toBe('completed')
  for (const id of subtasks) expect(await statusOf(id)).toBe('pending')
  expect(problems).toEqual([])
}, 90_000)

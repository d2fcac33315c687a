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

/** A project of the person's own, so its page lists only the tasks a test adds. */
async function project(name: string) {
  const res = await person().api('POST', '/api/v1/projects', { name, color: 'green' })
  expect(res.status).toBe(201)
  return res.body.id as string
}

const parentOf = async (id: string) => (await person().api('GET', `/api/v1/tasks/${id}`)).body.parent_id
/** The list's rows as the eye reads them: each title, indented two spaces a level. */
const rowsShown = () =>
  person().page.evaluate(() =>
    [...document.querySelectorAll('#task-items li.task')].map((li) => '  '.repeat(Number(/indent-(\d)/.exec(li.className)?.[1] ?? 0)) + li.querySelector('.title')!.textContent),
  )
/** The id of the row holding the focus. */
const focusedRow = () => person().page.evaluate(() => document.activeElement?.closest('li.task')?.id ?? document.activeElement?.tagName)

run.test('subtasks show under their parent, indented, and the parent shows their progress', async () => {
  const { page, problems } = person()
  const { parent } = await tree('Paint the shed')
  await step(page, 'nested', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    const rows = await rowsShown()
    const at = rows.indexOf('Paint the shed')
    expect(rows.slice(at, at + 4)).toEqual(['Paint the shed', '  Paint the shed: first step', '    Paint the shed: a detail', '  Paint the shed: second step'])
    const progress = page.locator(`#progress-${parent}`)
    expect(await progress.locator('[aria-hidden="true"]').textContent()).toBe('0/2')
    expect(await progress.locator('.visually-hidden').textContent()).toBe('0 of 2 subtasks done')
    // The subtask's row sits to the right of its parent's.
    const x = async (title: string) => (await page.locator('#task-items li.task', { has: page.locator('.title', { hasText: new RegExp(`^${title}$`) }) }).boundingBox())!.x
    expect(await x('Paint the shed: first step')).toBeGreaterThan(await x('Paint the shed'))
    expect(await x('Paint the shed: a detail')).toBeGreaterThan(await x('Paint the shed: first step'))
  })
  await step(page, 'searched-flat', async () => {
    await page.fill('#search', 'shed: second')
    await page.locator('#task-items li.task .title', { hasText: 'Paint the shed: second step' }).waitFor()
    await page.waitForFunction(() => document.querySelectorAll('#task-items li.task').length === 1)
    expect(await page.locator('#task-items .parent-hint').textContent()).toBe('in Paint the shed')
  })
  expect(problems).toEqual([])
}, 90_000)

run.test('Ctrl+] and Ctrl+[ indent and outdent the focused task, keep the focus on it, and say why when they cannot', async () => {
  const { page, problems, api } = person()
  const shed = await project('Shed')
  const add = async (title: string) => (await api('POST', '/api/v1/tasks', { title, project_id: shed })).body.id as string
  const lower = await add('Sand the boards')
  const upper = await add('Buy paint')
  await page.goto(`${suite.server.url}/projects/${shed}`)
  expect(await rowsShown()).toEqual(['Buy paint', 'Sand the boards'])
  await step(page, 'indented', async () => {
    await page.focus(`#task-${lower} button.check`)
    await page.keyboard.press('Control+]')
    await page.waitForFunction((id) => document.getElementById(`task-${id}`)?.classList.contains('indent-1'), lower)
    expect(await rowsShown()).toEqual(['Buy paint', '  Sand the boards'])
    expect(await parentOf(lower)).toBe(upper)
    await page.waitForFunction((id) => document.activeElement?.closest('li.task')?.id === `task-${id}`, lower)
    expect(await page.locator(`#progress-${upper} .visually-hidden`).textContent()).toBe('0 of 1 subtask done')
  })
  await step(page, 'refused', async () => {
    // The only subtask: no task above it at its level to go under.
    await page.keyboard.press('Control+]')
    await page.locator('#toasts .toast', { hasText: '"Sand the boards" has no task above it at its level to become a subtask of' }).waitFor()
    expect(await parentOf(lower)).toBe(upper)
    expect(await focusedRow()).toBe(`task-${lower}`)
  })
  await step(page, 'outdented', async () => {
    await page.keyboard.press('Control+[')
    await page.waitForFunction((id) => document.getElementById(`task-${id}`)?.classList.contains('indent-1') === false, lower)
    expect(await parentOf(lower)).toBeNull()
    await page.waitForFunction((id) => document.activeElement?.closest('li.task')?.id === `task-${id}`, lower)
    expect(await rowsShown()).toEqual(['Buy paint', 'Sand the boards'])
  })
  expect(problems).toEqual([])
}, 90_000)

run.test("a row's Subtasks menu indents, outdents and adds a subtask read like the quick add", async () => {
  const { page, problems, api } = person()
  const garden = await project('Garden')
  const add = async (title: string) => (await api('POST', '/api/v1/tasks', { title, project_id: garden })).body.id as string
  const lower = await add('Plant tulips')
  const upper = await add('Dig the beds')
  await page.goto(`${suite.server.url}/projects/${garden}`)
  const row = (id: string) => page.locator(`#task-${id}`)
  await step(page, 'menu-indent', async () => {
    await row(lower).locator('.subtask-menu summary').click()
    await row(lower).getByRole('button', { name: 'Indent "Plant tulips" under the task above' }).click()
    await page.waitForFunction((id) => document.getElementById(`task-${id}`)?.classList.contains('indent-1'), lower)
    expect(await parentOf(lower)).toBe(upper)
    // A subtask moves with its parent: its row offers no Move of its own.
    expect(await row(lower).locator('.move-menu').count()).toBe(0)
  })
  await step(page, 'menu-add', async () => {
    await row(upper).locator('.subtask-menu summary').click()
    await row(upper).getByLabel('Add subtask').fill('Buy compost tomorrow !high')
    await row(upper).getByRole('button', { name: 'Add', exact: true }).click()
    await page.locator('#task-items li.task.indent-1 .title', { hasText: /^Buy compost$/ }).waitFor()
    const added = (await api('GET', `/api/v1/tasks?parent_id=${upper}`)).body.items.find((t: { title: string }) => t.title === 'Buy compost')
    expect(added.priority).toBe('high')
    expect(added.due_date).not.toBeNull()
    expect(await rowsShown()).toEqual(['Dig the beds', '  Plant tulips', '  Buy compost'])
    expect(await page.locator(`#progress-${upper} [aria-hidden="true"]`).textContent()).toBe('0/2')
  })
  await step(page, 'menu-outdent', async () => {
    await row(lower).locator('.subtask-menu summary').click()
    await row(lower).getByRole('button', { name: 'Outdent "Plant tulips" one level up' }).click()
    await page.waitForFunction((id) => document.getElementById(`task-${id}`)?.classList.contains('indent-1') === false, lower)
    expect(await parentOf(lower)).toBeNull()
  })
  await step(page, 'complete-subtask', async () => {
    const compost = page.locator('#task-items li.task', { has: page.locator('.title', { hasText: /^Buy compost$/ }) })
    await compost.locator('button.check').click()
    await page.waitForFunction((id) => document.querySelector(`#progress-${id} [aria-hidden="true"]`)?.textContent === '1/1', upper)
  })
  expect(problems).toEqual([])
}, 90_000)

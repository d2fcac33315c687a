// Projects in headless Chromium against the real server: on a wide screen a sidebar lists the Inbox first, then the
// projects with their open counts; a project is added from it and opens as its own list, whose add box (n) adds
// there; another tab's change updates the counts. On a phone a menu above the list switches project.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { step } from './helpers/browser'
import { onePersonSuite } from './helpers/browser-suite'
import { until } from './helpers/wait'

const { suite, run, person } = onePersonSuite('projects', 'Europe/Berlin', { viewport: { width: 1280, height: 800 } }, async ({ api }) => {
  expect((await api('POST', '/api/v1/tasks', { title: 'Buy milk' })).status).toBe(201)
  const work = await api('POST', '/api/v1/projects', { name: 'Work', color: 'blue' })
  expect(work.status).toBe(201)
  expect((await api('POST', '/api/v1/tasks', { title: 'Send the report', project_id: work.body.id })).status).toBe(201)
})

/** The projects the sidebar lists, the archived fold left out. */
const sidebarNames = (page: Page) => page.locator('.sidebar nav[aria-label="Projects"] > .project-list .project-name').allTextContents()
const sidebarCount = (page: Page, name: string) => page.locator(`.sidebar .project-link:has(.project-name:text-is("${name}")) .count > span:first-child`).textContent()
const titles = (page: Page) => page.locator('#task-items .title').allTextContents()

run.test('the sidebar lists the Inbox first with open counts; a new project opens as its own list and its add box adds there', async () => {
  const { page, problems, api } = person()
  await step(page, 'projects-sidebar', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    expect(await sidebarNames(page)).toEqual(['Inbox', 'Work'])
    expect(await sidebarCount(page, 'Inbox')).toBe('1')
    expect(await sidebarCount(page, 'Work')).toBe('1')
    // The colour is read out as words, not only shown.
    expect(await page.locator('.sidebar .project-link:has-text("Work") .visually-hidden').first().textContent()).toBe('(blue)')
    expect((await titles(page)).sort()).toEqual(['Buy milk', 'Send the report'])
  })
  await step(page, 'projects-open', async () => {
    await page.click('.sidebar a:has-text("Work")')
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/)
    expect(await page.locator('h1').textContent()).toBe('Work')
    expect(await page.locator('.sidebar a[aria-current="page"] .project-name').textContent()).toBe('Work')
    expect(await titles(page)).toEqual(['Send the report'])
  })
  await step(page, 'projects-add', async () => {
    await page.fill('.sidebar input[name="name"]', 'Garden')
    await page.click('.sidebar button:has-text("Add project")')
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Garden')
    expect(await sidebarNames(page)).toEqual(['Inbox', 'Work', 'Garden'])
    expect(await page.locator('#empty-state').textContent()).toContain('No tasks in this project yet')
    // n focuses the add box; what is added there lands in this project, and its count follows.
    await page.locator('body').press('n')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qa-title')
    await page.keyboard.type('Plant the tulips')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => [...document.querySelectorAll('#task-items .title')].some((e) => e.textContent === 'Plant the tulips'))
    await until('the sidebar counts the new task', async () => (await sidebarCount(page, 'Garden')) === '1', { timeoutMs: 5000 })
    const garden = (await api('GET', '/api/v1/projects')).body.items.find((p: { name: string }) => p.name === 'Garden')
    const listed = await api('GET', `/api/v1/tasks?project_id=${garden.id}`)
    expect(listed.body.items.map((t: { title: string }) => t.title)).toEqual(['Plant the tulips'])
  })
  await step(page, 'projects-complete-count', async () => {
    await page.locator('#task-items li.task:has-text("Plant the tulips") .check').click()
    await until('the sidebar counts the task done', async () => (await sidebarCount(page, 'Garden')) === '0', { timeoutMs: 5000 })
  })
  expect(problems).toEqual([])
}, 90_000)

run.test("another tab's change updates the sidebar's counts", async () => {
  const { page, api } = person()
  await step(page, 'projects-live', async () => {
    // The live stream is open before the change is made elsewhere.
    const streaming = page.waitForResponse((res) => new URL(res.url()).pathname === '/live' && res.status() === 200)
    await page.goto(`${suite.server.url}/tasks`)
    await streaming
    const before = Number(await sidebarCount(page, 'Work'))
    const work = (await api('GET', '/api/v1/projects')).body.items.find((p: { name: string }) => p.name === 'Work')
    expect((await api('POST', '/api/v1/tasks', { title: 'Call the client', project_id: work.id })).status).toBe(201)
    await until('the sidebar counts the task added elsewhere', async () => Number(await sidebarCount(page, 'Work')) === before + 1, { timeoutMs: 5000 })
  })
}, 60_000)

run.test('on a phone a menu above the list switches project, and the first task stays on the first screen', async () => {
  const { context } = person()
  const phone = await context.newPage()
  await phone.setViewportSize({ width: 375, height: 812 })
  await step(phone, 'projects-phone', async () => {
    await phone.goto(`${suite.server.url}/tasks`)
    expect(await phone.locator('.sidebar').isVisible()).toBe(false)
    await phone.click('.switcher summary')
    await phone.click('.switcher-list a:has-text("Work")')
    await phone.waitForURL(/\/projects\//)
    expect(await phone.locator('.switcher summary').textContent()).toContain('Work')
    expect((await titles(phone)).sort()).toEqual(['Call the client', 'Send the report'])
    const top = await phone.evaluate(() => document.querySelector('#task-items li.task')!.getBoundingClientRect().top)
    expect(top).toBeLessThan(812)
  })
  await phone.close()
}, 60_000)

run.test('a project is renamed, coloured, archived under the fold and back, and deleted only with a choice for its tasks', async () => {
  const { page, problems, api } = person()
  const projectId = async (name: string) => (await api('GET', '/api/v1/projects?archived=true')).body.items.find((p: { name: string }) => p.name === name)?.id
  const errands = (await api('POST', '/api/v1/projects', { name: 'Errands' })).body.id
  expect((await api('POST', '/api/v1/tasks', { title: 'Buy stamps', project_id: errands })).status).toBe(201)
  await step(page, 'projects-rename', async () => {
    await page.goto(`${suite.server.url}/projects/${errands}`)
    await page.click('a:has-text("Edit project")')
    await page.fill('#ps-name', 'Office')
    await page.click('label.color-choice:has-text("Red")')
    await page.click('button:has-text("Save")')
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Office')
    expect(await sidebarNames(page)).toContain('Office')
    expect(await sidebarNames(page)).not.toContain('Errands')
    expect(await page.locator('.sidebar .project-link:has-text("Office") .visually-hidden').first().textContent()).toBe('(red)')
  })
  await step(page, 'projects-archive', async () => {
    await page.click('a:has-text("Edit project")')
    await page.click('button:has-text("Archive project")')
    await page.locator('.notice:has-text("This project is archived")').waitFor()
    expect(await page.locator('#quick-add').count()).toBe(0)
    expect(await sidebarNames(page)).not.toContain('Office')
    await page.click('.sidebar summary:has-text("Archived (1)")')
    expect(await page.locator('.sidebar .archived .project-name').allTextContents()).toEqual(['Office'])
    await page.click('a:has-text("Edit project")')
    await page.click('button:has-text("Unarchive project")')
    await page.locator('#quick-add').waitFor()
    expect(await sidebarNames(page)).toContain('Office')
    expect(await page.locator('.sidebar .archived').count()).toBe(0)
  })
  await step(page, 'projects-delete', async () => {
    await page.goto(`${suite.server.url}/projects/${errands}/settings`)
    // Without a choice (past the browser's own check) the server refuses and says what to choose.
    await page.evaluate(() => document.querySelectorAll('input[name="tasks"]').forEach((input) => input.removeAttribute('required')))
    await page.click('button:has-text("Delete project")')
    await page.locator('#ps-delete-error').waitFor()
    expect(await page.locator('#ps-delete-error').textContent()).toContain('choose what happens to its tasks')
    expect(await projectId('Office')).toBe(errands)
    await page.check('input[name="tasks"][value="move"]')
    await page.click('button:has-text("Delete project")')
    await page.waitForURL(/\/tasks$/)
    expect(await sidebarNames(page)).not.toContain('Office')
    const inbox = await projectId('Inbox')
    const moved = await api('GET', `/api/v1/tasks?project_id=${inbox}&search=stamps`)
    expect(moved.body.items.map((t: { title: string }) => t.title)).toEqual(['Buy stamps'])
  })
  expect(problems).toEqual([])
}, 90_000)

run.test("a task moves to another project from its row's menu, and from its edit form's Project select", async () => {
  const { page, problems, api } = person()
  const home = (await api('POST', '/api/v1/projects', { name: 'Home', color: 'teal' })).body.id
  const chores = (await api('POST', '/api/v1/projects', { name: 'Chores', color: 'orange' })).body.id
  const task = (await api('POST', '/api/v1/tasks', { title: 'Fix the shelf' })).body
  const projectOf = async () => (await api('GET', `/api/v1/tasks/${task.id}`)).body.project_id
  await step(page, 'projects-move-menu', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    const row = page.locator(`#task-${task.id}`)
    await row.locator('.move-menu summary').click()
    await row.locator('.move-menu select').selectOption({ label: 'Home' })
    await row.locator('.move-menu button:has-text("Move")').click()
    await page.locator('#toasts .toast:has-text("Moved \\"Fix the shelf\\" to Home.")').waitFor()
    await until('the task is in Home', async () => (await projectOf()) === home, { timeoutMs: 5000 })
    // On the list of all tasks the row says where it lives now.
    await page.locator(`#task-${task.id} .project-mark:has-text("Home")`).waitFor()
  })
  await step(page, 'projects-edit-select', async () => {
    await page.goto(`${suite.server.url}/projects/${home}`)
    const row = page.locator(`#task-${task.id}`)
    await row.locator('a:has-text("Edit")').click()
    const select = page.locator(`#task-${task.id} form.edit select[name="project_id"]`)
    await select.waitFor()
    expect(await select.inputValue()).toBe(home)
    await select.selectOption({ label: 'Chores' })
    await page.locator(`#task-${task.id} button:has-text("Save")`).click()
    await page.locator(`#task-${task.id}`).waitFor({ state: 'detached' })
    expect(await projectOf()).toBe(chores)
    await until('the sidebar counts it in Chores', async () => (await sidebarCount(page, 'Chores')) === '1', { timeoutMs: 5000 })
  })
  expect(problems).toEqual([])
}, 90_000)

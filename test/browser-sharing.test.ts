// Shared projects in headless Chromium against the real server, three people each in their own browser: the owner
// invites from the project's settings; the invited see a notice beside the projects, accept on Settings and land on
// the project, listed under "Shared with me" with their role; an editor's task reaches the owner; a viewer gets no
// add box and no row controls; a removed member's next load of the project is a 404.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { step } from './helpers/browser'
import { browserSuite, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import { hookTimeoutMs } from './helpers/wait'

const suite = browserSuite()
const run = requires('the web UI in headless Chromium', need.chromium)
const WIDE = { viewport: { width: 1280, height: 800 } }
let owner: SignedIn
let editor: SignedIn & { email: string }
let viewer: SignedIn & { email: string; id: string }
let projectId: string

async function withEmail(person: SignedIn) {
  const me = (await person.api('GET', '/api/v1/me')).body as { id: string; email: string }
  return Object.assign(person, { email: me.email, id: me.id })
}

run.beforeAll(async () => {
  await suite.start()
  owner = await suite.signIn('owner', 'Europe/Berlin', WIDE)
  editor = await withEmail(await suite.signIn('editor', 'Europe/Berlin', WIDE))
  viewer = await withEmail(await suite.signIn('viewer', 'Europe/Berlin', WIDE))
  const garden = await owner.api('POST', '/api/v1/projects', { name: 'Garden', color: 'green' })
  expect(garden.status).toBe(201)
  projectId = garden.body.id
  expect((await owner.api('POST', '/api/v1/tasks', { title: 'Water the roses', project_id: projectId })).status).toBe(201)
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

const titles = (page: Page) => page.locator('#task-items .title').allTextContents()

/** The owner invites `email` as `role` on the project's settings page. */
async function invite(email: string, role: 'editor' | 'viewer') {
  const { page } = owner
  await page.goto(`${suite.server.url}/projects/${projectId}/settings`)
  await page.fill('#ps-invite-email', email)
  await page.selectOption('#ps-invite-role', role)
  await page.click('form[action$="/members"] button:has-text("Invite")')
  await page.waitForSelector(`.sharing li:has-text("${email}")`)
}

/** The invited person follows the notice beside the projects to Settings and accepts; they land on the project. */
async function accept(person: SignedIn) {
  const { page } = person
  await page.goto(`${suite.server.url}/tasks`)
  await page.click('.sidebar-notice a:has-text("1 project invitation waiting")')
  await page.waitForURL(/\/settings#invitations$/)
  expect(await page.locator('#invitations').textContent()).toContain('"Garden"')
  await page.click('#invitations button:has-text("Accept")')
  await page.waitForURL(`${suite.server.url}/projects/${projectId}`)
}

run.test('an invited editor accepts, sees the project and its tasks, and adds a task the owner sees', async () => {
  await step(owner.page, 'sharing-invite-editor', () => invite(editor.email, 'editor'))
  const { page, problems } = editor
  await step(page, 'sharing-accept-editor', async () => {
    await accept(editor)
    expect(await page.locator('h1').textContent()).toBe('Garden')
    expect(await titles(page)).toEqual(['Water the roses'])
    const shared = page.locator('.sidebar nav[aria-label="Projects"] .project-link:has(.project-name:text-is("Garden"))')
    expect(await shared.locator('.role-hint').textContent()).toBe('editor')
    expect(await page.locator('.sidebar .sidebar-title').allTextContents()).toContain('Shared with me')
  })
  await step(page, 'sharing-editor-adds', async () => {
    await page.fill('#qa-title', 'Prune the apple tree')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => [...document.querySelectorAll('#task-items .title')].some((e) => e.textContent === 'Prune the apple tree'))
    const listed = await owner.api('GET', `/api/v1/tasks?project_id=${projectId}`)
    expect(listed.body.items.map((t: { title: string }) => t.title).sort()).toEqual(['Prune the apple tree', 'Water the roses'])
    await owner.page.goto(`${suite.server.url}/projects/${projectId}`)
    expect((await titles(owner.page)).sort()).toEqual(['Prune the apple tree', 'Water the roses'])
  })
  expect(problems).toEqual([])
}, 90_000)

run.test('a viewer sees the tasks with no add box and no controls that change them', async () => {
  await step(owner.page, 'sharing-invite-viewer', () => invite(viewer.email, 'viewer'))
  const { page, problems } = viewer
  await step(page, 'sharing-viewer', async () => {
    await accept(viewer)
    expect((await titles(page)).sort()).toEqual(['Prune the apple tree', 'Water the roses'])
    expect(await page.locator('#quick-add').count()).toBe(0)
    expect(await page.locator('#bulk').count()).toBe(0)
    const row = page.locator('#task-items li.task:has-text("Water the roses")')
    expect(await row.locator('button, input, select').count()).toBe(0)
    expect(await row.locator('a:has-text("Edit")').count()).toBe(0)
    expect(await row.locator('.read-only').textContent()).toBe('view only')
    expect(await page.locator('.notice').first().textContent()).toContain('You can view this project')
    // The project's settings show who has access, and no owner's control.
    await page.click('a:has-text("Who has access")')
    await page.waitForURL(`${suite.server.url}/projects/${projectId}/settings`)
    expect(await page.locator('.members').textContent()).toContain(editor.email)
    expect(await page.locator('button:has-text("Save"), button:has-text("Delete project"), button:has-text("Archive project")').count()).toBe(0)
    expect(await page.locator('button:has-text("Leave project")').count()).toBe(1)
  })
  expect(problems).toEqual([])
}, 90_000)

run.test("the owner removes the viewer; the viewer's next load of the project is a 404", async () => {
  await step(owner.page, 'sharing-remove', async () => {
    const { page } = owner
    await page.goto(`${suite.server.url}/projects/${projectId}/settings`)
    await page.click(`form[action$="/members/${viewer.id}/remove"] button`)
    await page.waitForFunction((email) => ![...document.querySelectorAll('.sharing li')].some((li) => li.textContent?.includes(email)), viewer.email)
  })
  await step(viewer.page, 'sharing-removed', async () => {
    const answer = await viewer.page.goto(`${suite.server.url}/projects/${projectId}`)
    expect(answer?.status()).toBe(404)
    await viewer.page.goto(`${suite.server.url}/tasks`)
    expect(await viewer.page.locator('.sidebar').textContent()).not.toContain('Garden')
  })
}, 60_000)

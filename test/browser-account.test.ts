// What a person does with their account and a long history, in headless Chromium against the real server: the task
// list opens on open tasks fifty at a time, a long conversation opens at its end, the password is changed, the data
// exported, and the account deleted from Settings; the log-in says how a forgotten password is reset.
import { expect } from 'bun:test'
import type { Page } from 'playwright-core'
import { step } from './helpers/browser'
import { browserSuite, PASSWORD, type SignedIn } from './helpers/browser-suite'
import { need, requires } from './helpers/requires'
import { hookTimeoutMs } from './helpers/wait'

const ZONE = 'Europe/Berlin'
const suite = browserSuite()
let page: Page
let problems: string[]
let api: SignedIn['api']

const run = requires('the web UI in headless Chromium', need.chromium)

run.beforeAll(async () => {
  await suite.start()
  ;({ page, problems, api } = await suite.signIn('account', ZONE, { viewport: { width: 1280, height: 800 }, acceptDownloads: true }))
}, hookTimeoutMs())
run.afterAll(() => suite.stop())

run.test('the task list opens on open tasks only, fifty at a time, and "Load more" brings the rest', async () => {
  for (let i = 1; i <= 60; i++) expect((await api('POST', '/api/v1/tasks', { title: `Open ${String(i).padStart(2, '0')}` })).status).toBe(201)
  for (let i = 1; i <= 5; i++) {
    const { body } = await api('POST', '/api/v1/tasks', { title: `Finished ${i}` })
    expect((await api('POST', `/api/v1/tasks/${body.id}/complete`)).status).toBe(200)
  }
  await step(page, 'list-default', async () => {
    await page.goto(`${suite.server.url}/tasks`)
    const titles = await page.locator('#task-items .title').allTextContents()
    expect(titles).toHaveLength(50)
    expect(titles.filter((t) => t.startsWith('Finished'))).toEqual([])
    await page.click('a:has-text("Load more")')
    await page.waitForFunction(() => document.querySelectorAll('#task-items .title').length === 60)
    expect((await page.locator('#task-items .title').allTextContents()).some((t) => t.startsWith('Finished'))).toBe(false)
  })
}, 60_000)

run.test('a long conversation opens at its end, with the message box on screen', async () => {
  let conversation: string | undefined
  for (let i = 1; i <= 25; i++) {
    const { status, body } = await api('POST', '/api/v1/chat', { message: `list #nothing-${i}`, ...(conversation ? { conversation_id: conversation } : {}) })
    expect(status).toBe(200)
    conversation = body.conversation_id
  }
  await step(page, 'chat-end', async () => {
    await page.goto(`${suite.server.url}/chat?c=${conversation}`)
    const log = page.locator('#chat-log')
    await page.waitForFunction(() => {
      const el = document.getElementById('chat-log')!
      return el.scrollHeight > el.clientHeight && el.scrollTop + el.clientHeight >= el.scrollHeight - 2
    })
    expect(await log.locator('li').last().isVisible()).toBe(true)
    const box = await page.locator('#chat-message').boundingBox()
    expect(box!.y + box!.height).toBeLessThanOrEqual(800)
  })
}, 60_000)

run.test('Settings: a wrong current password is named; a good change signs in with the new password only', async () => {
  const NEW = 'a much longer battery staple'
  await step(page, 'password-change', async () => {
    await page.goto(`${suite.server.url}/settings`)
    await page.fill('#current-password', 'not my password')
    await page.fill('#new-password', NEW)
    await page.click('form[action="/settings/password"] button[type=submit]')
    expect(await page.locator('#current-password').getAttribute('aria-invalid')).toBe('true')
    await page.fill('#current-password', PASSWORD)
    await page.fill('#new-password', NEW)
    await page.click('form[action="/settings/password"] button[type=submit]')
    await page.locator('[role=status]:has-text("Password changed")').waitFor()
  })
  // This session goes on; the new password logs in, the old one does not.
  const me = (await api('GET', '/api/v1/me')).body
  const login = (password: string) => fetch(`${suite.server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: me.email, password }) })
  expect((await login(PASSWORD)).status).toBe(401)
  expect((await login(NEW)).status).toBe(200)
}, 60_000)

run.test('Settings: the export downloads everything as JSON and the tasks as CSV', async () => {
  await page.goto(`${suite.server.url}/settings`)
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Export all (JSON)")')])
  const data = JSON.parse(await Bun.file((await json.path())!).text())
  expect(data.tasks).toHaveLength(65)
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Export tasks (CSV)")')])
  const lines = (await Bun.file((await csv.path())!).text()).trim().split(/\r?\n/)
  expect(lines).toHaveLength(66)
  expect(csv.suggestedFilename()).toMatch(/\.csv$/)
}, 60_000)

run.test('Settings: deleting the account asks for the password and DELETE, then signs out for good', async () => {
  await step(page, 'delete-account', async () => {
    await page.goto(`${suite.server.url}/settings`)
    await page.fill('#delete-password', 'a much longer battery staple')
    await page.fill('#delete-confirm', 'delete')
    await page.click('form[action="/settings/delete"] button[type=submit]')
    expect(await page.locator('#delete-confirm').getAttribute('aria-invalid')).toBe('true')
    await page.fill('#delete-password', 'a much longer battery staple')
    await page.fill('#delete-confirm', 'DELETE')
    await page.click('form[action="/settings/delete"] button[type=submit]')
    await page.waitForURL(/\/login/)
    await page.goto(`${suite.server.url}/tasks`)
    await page.waitForURL(/\/login/)
    // With no mail to send, the log-in says who can reset a forgotten password.
    expect(await page.locator('main').textContent()).toContain('Forgot your password? This service sends no mail: ask whoever runs it to reset it for you.')
  })
  expect((await api('GET', '/api/v1/tasks')).status).toBe(401)
}, 60_000)

run.test('no script errors or CSP violations', () => {
  expect(problems).toEqual([])
})

// Settings read through a real Dapr secret store: daprd 1.14.0 with the chart's secret store component, run here
// as secretstores.local.file, and the app waiting for the sidecar's components (/v1.0/healthz/outbound) at start.
import { expect } from 'bun:test'
import { need, requires } from './helpers/requires'
import { startStack, type Stack } from './helpers/runtime'
import { freshStorage, signUpOverHttp } from './helpers/server'
import { hookTimeoutMs } from './helpers/wait'

// The store hands the app its database URL (the app needs one to start with a store): PostgreSQL only, as in CI.
const suite = requires('settings from the real Dapr secret store', need.daprRuntime, need.helm, need.postgres)
let stack: Stack
let storage: Awaited<ReturnType<typeof freshStorage>>

suite.beforeAll(async () => {
  storage = await freshStorage()
  // The app is given no database URL: it must come from the store.
  stack = await startStack(
    need.daprRuntime.found!,
    { ...storage.env, DATABASE_URL: '', SECRET_STORE: 'kubernetes-secrets', SECRET_STORE_SECRET: 'todo-app-secrets' },
    { secrets: { 'todo-app-secrets': { DATABASE_URL: storage.env.DATABASE_URL!, OPENAI_API_KEY: 'sk-from-the-store-0123' } } },
  )
}, hookTimeoutMs(4))

suite.afterAll(async () => {
  await stack?.stop()
  await storage?.dispose()
})

suite.test('the app starts on the settings it reads from the real sidecar, and never prints them', async () => {
  const token = await signUpOverHttp(stack.app.url)
  const res = await fetch(`${stack.app.url}/api/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'from the store' }) })
  expect(res.status).toBe(201)
  const secret = await stack.dapr('GET', '/v1.0/secrets/kubernetes-secrets/todo-app-secrets')
  expect(secret.status).toBe(200)
  expect(Object.keys((await secret.json()) as object).sort()).toEqual(['DATABASE_URL', 'OPENAI_API_KEY'])
  const printed = stack.app.raw.join('\n')
  expect(printed).not.toContain('sk-from-the-store-0123')
  expect(printed).not.toContain(storage.env.DATABASE_URL!)
  expect(printed).toContain('"database":"postgresql (postgres-js)"')
}, 60_000)

// The embedded default: PGlite under DATA_DIR keeps tasks across restarts (runs in every suite, PostgreSQL or not).
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { openDatabase } from '../src/db/client'
import { runMigrations } from '../src/db/migrate'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'

const dir = mkdtempSync(join(tmpdir(), 'todo-pglite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function boot() {
  const database = await openDatabase({ dataDir: dir })
  await runMigrations(database)
  const app = createApp({ env: loadEnv({ DATA_DIR: dir }), database, log: createLogger('silent') })
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await app.handle(
      new Request(`http://localhost${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    return { status: res.status, body: (await res.json()) as any }
  }
  return { database, call }
}

test('tasks, accounts and search survive a restart on the embedded database', async () => {
  const first = await boot()
  const credentials = { email: 'solo@example.com', password: 'correct horse battery' }
  expect((await first.call('POST', '/api/v1/auth/signup', undefined, credentials)).status).toBe(202)
  const signed = await first.call('POST', '/api/v1/auth/login', undefined, credentials)
  expect(signed.status).toBe(200)
  const token = signed.body.token as string
  expect((await first.call('POST', '/api/v1/tasks', token, { title: 'Persist me', tags: ['disk'] })).status).toBe(201)
  await first.database.close()

  const second = await boot()
  const list = await second.call('GET', '/api/v1/tasks?search=persist&tags=disk', token)
  expect(list.status).toBe(200)
  expect(list.body.items.map((t: { title: string }) => t.title)).toEqual(['Persist me'])
  await second.database.close()
  // Two boots of the embedded database, each migrated: seconds, more on a busy CI runner.
}, 30_000)

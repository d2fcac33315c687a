// Migrations: applied at start, safe to run twice, safe with two replicas starting together; `npm run migrate` alone.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase, type Database } from '../src/db/client'
import { MIGRATIONS_FOLDER, runMigrations } from '../src/db/migrate'
import { adminUrl, createScratchDatabase, rows } from './helpers/db'

const migrationCount = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length
const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** A fresh, empty database of the kind this run tests (PostgreSQL when DATABASE_URL is set). */
async function emptyDatabase(): Promise<{ open: () => Promise<Database>; url: string | undefined }> {
  if (adminUrl) {
    const scratch = await createScratchDatabase()
    cleanups.push(scratch.drop)
    return { url: scratch.url, open: () => openDatabase({ url: scratch.url, poolMax: 2 }) }
  }
  const dir = mkdtempSync(join(tmpdir(), 'todo-migrate-'))
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
  return { url: undefined, open: () => openDatabase({ dataDir: dir }) }
}

async function applied(database: Database): Promise<number> {
  const [row] = await rows<{ n: number | string }>(database, sql`select count(*) as n from drizzle.__drizzle_migrations`)
  return Number(row!.n)
}

describe('migrations', () => {
  test('run twice: the second run finds nothing to do and changes nothing', async () => {
    const { open, url } = await emptyDatabase()
    const database = await open()
    cleanups.push(() => database.close())
    await runMigrations(database, url)
    await database.db.execute(sql`insert into users (id, email, password_hash) values (gen_random_uuid(), 'keep@example.com', 'x')`)
    await runMigrations(database, url)
    expect(await applied(database)).toBe(migrationCount)
    const [kept] = await rows<{ n: number | string }>(database, sql`select count(*) as n from users`)
    expect(Number(kept!.n)).toBe(1)
  })

  test('two replicas starting together both succeed and apply each migration once', async () => {
    const { open, url } = await emptyDatabase()
    if (url) {
      // Two processes' worth of connections on one fresh PostgreSQL database.
      const [a, b] = await Promise.all([open(), open()])
      cleanups.push(() => a.close(), () => b.close())
      await Promise.all([runMigrations(a, url), runMigrations(b, url)])
      expect(await applied(a)).toBe(migrationCount)
    } else {
      // PGlite belongs to one process; concurrent runs inside it must still be harmless.
      const a = await open()
      cleanups.push(() => a.close())
      await Promise.all([runMigrations(a), runMigrations(a)])
      expect(await applied(a)).toBe(migrationCount)
    }
  })

  test('`npm run migrate` applies them alone and exits 0, twice', async () => {
    const { url } = await emptyDatabase()
    const dir = mkdtempSync(join(tmpdir(), 'todo-migrate-cli-'))
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }))
    const env = { ...process.env, ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dir }) }
    for (let i = 0; i < 2; i++) {
      const run = Bun.spawnSync(['npm', 'run', '--silent', 'migrate'], { env, stdout: 'pipe', stderr: 'pipe' })
      expect(run.stderr.toString()).toBe('')
      expect(run.exitCode).toBe(0)
      expect(run.stdout.toString()).toContain('migrations applied')
    }
  })

  test('`npm run migrate` with a bad setting exits non-zero naming it', () => {
    const run = Bun.spawnSync(['npm', 'run', '--silent', 'migrate'], { env: { ...process.env, DATABASE_URL: 'mysql://nope' }, stderr: 'pipe' })
    expect(run.exitCode).toBe(2)
    expect(run.stderr.toString()).toContain('DATABASE_URL')
  })
})

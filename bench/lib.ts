// Small shared helpers of the bench scripts: `--name value` options, percentiles and a scratch database.
import postgres from 'postgres'
import { openDatabase } from '../src/db/client'
import type { listStatements } from '../src/features/tasks/list'
import { runMigrations } from '../src/db/migrate'
import { DAPR_VERSION, runtimeBin, startStack, type Stack } from '../test/helpers/runtime'
import { freshStorage, startServer } from '../test/helpers/server'

/** The script's `--name value` options. */
export function options(): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
  return args
}

/**
 * Sends PostgreSQL what the API sends it for one list (`listStatements`): the page carrying its total, or a search's
 * page and its count at once, on two connections of `direct`.
 */
export async function sendList(direct: postgres.Sql, { page, total, apart }: ReturnType<typeof listStatements>): Promise<void> {
  await Promise.all([
    direct.unsafe(page.sql, page.params as never[], { prepare: true }),
    apart ? direct.unsafe(total.sql, total.params as never[], { prepare: true }) : undefined,
  ])
}

/** The p-th percentile of `xs` (nearest rank; NaN for none). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

/**
 * A migrated database of the bench's own on the PostgreSQL server DATABASE_URL names (exits with a
 * message when it is unset); `drop` removes it.
 */
export async function benchDatabase(bench: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    console.error(`bench/${bench} needs DATABASE_URL pointing at a PostgreSQL server (it creates and drops its own database)`)
    process.exit(2)
  }
  const name = `bench_${bench.replace(/\W/g, '_')}_${process.pid}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ url: url.toString(), poolMax: 2 })
  await runMigrations(database, url.toString())
  await database.close()
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

/**
 * What a bench through the real Dapr runtime needs: DATABASE_URL (a PostgreSQL server for scratch databases)
 * and the runtime's folder. Exits with a message saying which is missing.
 */
export function runtimeBenchSetup(bench: string): string {
  if (!process.env.DATABASE_URL) {
    console.error(`bench/${bench} needs DATABASE_URL pointing at a PostgreSQL server (it creates and drops scratch databases), e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:${bench}`)
    process.exit(2)
  }
  const bin = runtimeBin()
  if (!bin) {
    console.error(`bench/${bench} needs the Dapr ${DAPR_VERSION} runtime (Go to build it with .ci/runtime/build.sh, or TODO_RUNTIME_BIN)`)
    process.exit(2)
  }
  return bin
}

export interface BenchApp {
  url: string
  /** What daprd says its version is, for the printout ('' without a sidecar). */
  note: string
  /** The runtime, when the app runs beside it. */
  stack?: Stack
  stop(): Promise<void>
}

/**
 * Runs `body` against the real server process on a scratch PostgreSQL database (with a direct connection to it):
 * alone (in-process bus, local scheduler) when `bin` is undefined, else beside the real runtime. On a failure the
 * runtime's last lines are printed; whatever happens, every process and the database are gone afterwards.
 */
export async function withBenchApp(bin: string | undefined, env: Record<string, string>, body: (app: BenchApp, sql: postgres.Sql) => Promise<void>): Promise<void> {
  const storage = await freshStorage()
  const sql = postgres(storage.env.DATABASE_URL!, { max: 2, onnotice: () => {} })
  let app: BenchApp | undefined
  try {
    app = await startBenchApp(bin, { ...storage.env, ...env })
    await body(app, sql)
  } catch (error) {
    if (app?.stack) console.error(app.stack.tails())
    throw error
  } finally {
    await app?.stop()
    await sql.end()
    await storage.dispose()
  }
}

async function startBenchApp(bin: string | undefined, env: Record<string, string>): Promise<BenchApp> {
  if (!bin) {
    const server = await startServer(env)
    return { url: server.url, note: '', stop: async () => void (await server.stop()) }
  }
  const stack = await startStack(bin, env)
  try {
    const meta = (await (await stack.dapr('GET', '/v1.0/metadata')).json()) as { runtimeVersion?: string }
    return { url: stack.app.url, note: ` (daprd reports runtime version ${meta.runtimeVersion ?? 'unknown'})`, stack, stop: () => stack.stop() }
  } catch (error) {
    await stack.stop()
    throw error
  }
}

/**
 * Organises a user's seeded tasks as a person who uses projects and subtasks has them: spread over eight projects
 * besides the Inbox (made through the API), and one in ten a subtask of the task before it, in its parent's project.
 * Returns the projects' ids.
 */
export async function organise(direct: postgres.Sql, url: string, token: string, userId: string): Promise<string[]> {
  const projects: string[] = []
  for (let p = 1; p <= 8; p++) {
    const made = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: `Project ${p}` }),
    })
    projects.push(((await made.json()) as { id: string }).id)
  }
  await direct.unsafe(
    `with numbered as (select id, row_number() over (order by id) as n from tasks where user_id = $1)
     update tasks set project_id = ($2::uuid[])[numbered.n % 9] from numbered
     where tasks.id = numbered.id and numbered.n % 9 <> 0`,
    [userId, projects],
  )
  await direct.unsafe(
    `with numbered as (select id, project_id, row_number() over (order by id) as n from tasks where user_id = $1)
     update tasks set parent_id = prev.id, project_id = prev.project_id
     from numbered as cur join numbered as prev on prev.n = cur.n - 1
     where tasks.id = cur.id and cur.n % 10 = 5`,
    [userId],
  )
  return projects
}

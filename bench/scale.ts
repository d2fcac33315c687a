// Scale: how the cost of a list grows with the work. For one user at 1k, 10k, 100k and 1M tasks: list, search for a
// common word (each of 20 words is in ~5% of the tasks) and for a rare one (1 task in 10,000), and MCP list_tasks, p95
// over one client, beside the same statement run straight on PostgreSQL; then mixed REST + MCP throughput at 10, 50
// and 200 clients (bench/load.ts). Each on PostgreSQL and on the embedded PGlite default.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:scale
//   [-- --sizes 1000,10000,100000,1000000 --pglite-sizes 1000,10000,100000,1000000 --seconds 4 --mixed 10,50,200 --mixed-seconds 20]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql as raw } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, sessionSettings, type Database } from '../src/db/client'
import { runMigrations } from '../src/db/migrate'
import { listStatements } from '../src/features/tasks/list'
import { parseListQuery } from '../src/features/tasks/list-query'
import { startServer, type RunningServer } from '../test/helpers/server'
import { benchDatabase, options, percentile, sendList } from './lib'

const args = options()
const list = (name: string, fallback: string) => (args.get(name) ?? fallback).split(',').filter(Boolean).map(Number)
const SIZES = list('sizes', '1000,10000,100000,1000000')
const PGLITE_SIZES = list('pglite-sizes', '1000,10000,100000,1000000')
const SECONDS = Number(args.get('seconds') ?? 4)
const MIXED = list('mixed', '10,50,200')
const MIXED_SECONDS = Number(args.get('mixed-seconds') ?? 20)
const WORDS = ['alpha', 'bravo', 'cobalt', 'delta', 'ember', 'falcon', 'garnet', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen',
  'meadow', 'nectar', 'onyx', 'pepper', 'quartz', 'raven', 'saffron', 'tundra']
const COMMON = 'harbor'
const RARE = 'zephyr'

/**
 * Tasks `from` < i <= `to` for `userId`: each title holds one of 20 words (each in 5% of tasks) and a number, one task
 * in 10,000 says "zephyr", a third have a description, a quarter are done; created one a minute, newest last.
 */
const seedSql = (userId: string, from: number, to: number) => raw`
  insert into tasks (id, user_id, title, description, status, priority, due_date, tags, created_at, updated_at, completed_at)
  select gen_random_uuid(), ${userId}::uuid,
         (${raw.raw(`array[${WORDS.map((w) => `'${w}'`).join(',')}]`)})[1 + i % 20] || ' task ' || i || case when i % 10000 = 7 then ' ${raw.raw(RARE)}' else '' end,
         case when i % 3 = 0 then 'notes ' || md5(i::text) else '' end,
         (case when i % 4 = 0 then 'completed' else 'pending' end)::task_status,
         (array['low','medium','high'])[1 + i % 3]::task_priority,
         case when i % 5 = 0 then null else timestamptz '2026-01-01' + (i % 400) * interval '1 day' end,
         array['t' || (i % 50)],
         timestamptz '2020-01-01' + i * interval '1 minute', now(), case when i % 4 = 0 then now() end
  from generate_series(${from + 1}::int, ${to}::int) as g(i)`

interface Row { size: number; name: string; api: number[]; sql?: number[] }

/** Runs `op` back to back for `seconds` (one client: latency without queueing) and returns each call's milliseconds. */
async function timed(op: () => Promise<void>, seconds: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await op()
  const out: number[] = []
  const end = performance.now() + seconds * 1000
  while (performance.now() < end) {
    const start = performance.now()
    await op()
    out.push(performance.now() - start)
  }
  return out
}

async function account(url: string): Promise<{ token: string; userId: string }> {
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' }
  const body = JSON.stringify({ email: 'scale@example.com', password: 'correct horse battery' })
  await fetch(`${url}/api/v1/auth/signup`, { method: 'POST', headers, body })
  const login = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers, body })).json()) as { token: string; user: { id: string } }
  return { token: login.token, userId: login.user.id }
}

/** The four measurements at one size, through the running server (and straight to PostgreSQL when `direct` is given). */
async function measureSize(size: number, server: RunningServer, token: string, userId: string, straightTo?: { db: Database; direct: postgres.Sql }): Promise<Row[]> {
  const headers = { authorization: `Bearer ${token}` }
  const rest = (params: Record<string, string>) => async () => {
    const res = await fetch(`${server.url}/api/v1/tasks?${new URLSearchParams(params)}`, { headers })
    if (res.status !== 200) throw new Error(`list answered ${res.status}`)
    await res.arrayBuffer()
  }
  const mcp = async () => {
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: {} } }),
    })
    if (res.status !== 200) throw new Error(`MCP answered ${res.status}`)
    await res.arrayBuffer()
  }
  const straight = ({ db, direct }: NonNullable<typeof straightTo>, params: Record<string, string>) => {
    const statements = listStatements(db.db, { userId, shared: [] }, parseListQuery(params, 'UTC', new Date()))
    return () => sendList(direct, statements)
  }
  const cases: Array<[string, Record<string, string>]> = [
    ['list, newest 20', {}],
    [`search, common word (${COMMON})`, { search: COMMON }],
    [`search, rare word (${RARE})`, { search: RARE }],
  ]
  const rows: Row[] = []
  for (const [name, params] of cases) {
    rows.push({ size, name, api: await timed(rest(params), SECONDS), sql: straightTo ? await timed(straight(straightTo, params), SECONDS) : undefined })
  }
  rows.push({ size, name: 'MCP list_tasks, 20', api: await timed(mcp, SECONDS) })
  return rows
}

const ms = (xs: number[] | undefined, p: number) => (xs ? percentile(xs, p).toFixed(2) : '–')

function printTable(title: string, rows: Row[]) {
  console.log(`\n${title}: p50 / p95 ms, one client\n`)
  console.log('| tasks | what | API p50 | API p95 | SQL p50 | SQL p95 |')
  console.log('|---:|---|---:|---:|---:|---:|')
  for (const r of rows) console.log(`| ${r.size.toLocaleString('en')} | ${r.name} | ${ms(r.api, 50)} | ${ms(r.api, 95)} | ${ms(r.sql, 50)} | ${ms(r.sql, 95)} |`)
}

/** PostgreSQL: one database, grown size by size while the server runs. */
async function onPostgres(): Promise<Row[]> {
  const scratch = await benchDatabase('scale')
  const direct = postgres(scratch.url, { max: 2, onnotice: () => {}, connection: sessionSettings(true) })
  const db = await openDatabase({ url: scratch.url, poolMax: 2 })
  let server: RunningServer | undefined
  try {
    server = await startServer({ DATABASE_URL: scratch.url, TASKS_PER_USER: '10000000', MCP_CALLS_PER_MINUTE: '1000000' })
    const { token, userId } = await account(server.url)
    const rows: Row[] = []
    let have = 0
    for (const size of SIZES) {
      const started = performance.now()
      await db.db.execute(seedSql(userId, have, size))
      await direct`vacuum analyze tasks`
      have = size
      console.log(`PostgreSQL: ${size.toLocaleString('en')} tasks (seeded in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
      rows.push(...(await measureSize(size, server, token, userId, { db, direct })))
    }
    return rows
  } finally {
    await server?.stop()
    await db.close()
    await direct.end()
    await scratch.drop()
  }
}

/** PGlite: one folder; the server owns it while it runs, so each size is seeded between two runs of the server. */
async function onPglite(): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-scale-pglite-'))
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, TASKS_PER_USER: '10000000', MCP_CALLS_PER_MINUTE: '1000000' }
  try {
    let server = await startServer(env, 120_000)
    const { token, userId } = await account(server.url)
    await server.stop()
    const rows: Row[] = []
    let have = 0
    for (const size of PGLITE_SIZES) {
      const started = performance.now()
      const db = await openDatabase({ dataDir })
      await runMigrations(db)
      await db.db.execute(seedSql(userId, have, size))
      await db.db.execute(raw`vacuum analyze tasks`)
      await db.close()
      have = size
      console.log(`PGlite: ${size.toLocaleString('en')} tasks (seeded in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
      server = await startServer(env, 300_000)
      try {
        rows.push(...(await measureSize(size, server, token, userId)))
      } finally {
        await server.stop()
      }
    }
    return rows
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** bench/load.ts at each client count; returns its summary lines. */
async function mixed(embedded: boolean): Promise<string[]> {
  const out: string[] = []
  for (const clients of MIXED) {
    const proc = Bun.spawn([process.execPath, 'bench/load.ts', '--clients', String(clients), '--seconds', String(MIXED_SECONDS), ...(embedded ? ['--embedded', '1'] : [])], {
      env: process.env,
      stdout: 'pipe',
      stderr: 'inherit',
    })
    const text = await new Response(proc.stdout).text()
    await proc.exited
    const all = /^all\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/m.exec(text)
    const rps = /^throughput: (\d+) requests\/s/m.exec(text)?.[1] ?? '?'
    const fivexx = /^5xx answers: (\d+)/m.exec(text)?.[1] ?? '?'
    const verdict = /no event lost or doubled/.test(text) ? 'held' : 'FAILED'
    out.push(`| ${embedded ? 'PGlite' : 'PostgreSQL'} | ${clients} | ${rps} | ${all?.[2] ?? '?'} | ${all?.[3] ?? '?'} | ${fivexx} | ${verdict} |`)
    console.log(out.at(-1))
  }
  return out
}

if (!process.env.DATABASE_URL) {
  console.error('bench/scale needs DATABASE_URL pointing at a PostgreSQL server (it creates and drops its own database); the PGlite half needs nothing')
  process.exit(2)
}
console.log(`driver: ${process.env.DATABASE_DRIVER ?? 'postgres-js'}; ${SECONDS} s a measurement; the load generator runs on this machine`)
const pg = SIZES.length ? await onPostgres() : []
const lite = PGLITE_SIZES.length ? await onPglite() : []
const mixedRows = MIXED.length ? [...(await mixed(false)), ...(await mixed(true))] : []
if (pg.length) printTable('PostgreSQL', pg)
if (lite.length) printTable('PGlite (embedded default; no direct SQL column: the server owns the database)', lite)
if (mixedRows.length) {
  console.log(`\nmixed REST + MCP load (bench/load.ts, ${MIXED_SECONDS} s each)\n`)
  console.log('| database | clients | req/s | p50 ms | p95 ms | 5xx | events and successors |')
  console.log('|---|---:|---:|---:|---:|---:|---|')
  for (const r of mixedRows) console.log(r)
}

// Load: concurrent clients against the real server process on real PostgreSQL, mixing create, list, search,
// update and complete over REST and MCP (JSON-RPC tools/call). Prints p50/p95/p99 per operation and throughput,
// checks there was no 5xx, that every task event reached the audit log once and every recurring completion made
// exactly one successor; with --profile, where the server's CPU time went (a Bun CPU profile, by module).
// With --embedded 1 the server runs on the embedded PGlite default instead (no DATABASE_URL needed); the checks then
// read its folder once the server has stopped.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:load [-- --clients 200 --seconds 60 --profile 1 --embedded 1]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql as raw } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, queryRows } from '../src/db/client'
import { freePort } from '../test/helpers/server'
import { benchDatabase, options, percentile } from './lib'

const args = options()
const CLIENTS = Number(args.get('clients') ?? 200)
const SECONDS = Number(args.get('seconds') ?? 60)
const USERS = Number(args.get('users') ?? 20)
const PROFILE = args.has('profile')
const EMBEDDED = args.get('embedded') === '1'
const scratch = EMBEDDED ? undefined : await benchDatabase('load')
const direct = scratch ? postgres(scratch.url, { max: 2, onnotice: () => {} }) : undefined
const dataDir = EMBEDDED ? mkdtempSync(join(tmpdir(), 'todo-load-data-')) : undefined
const profileDir = mkdtempSync(join(tmpdir(), 'todo-load-prof-'))
const port = freePort()
const metricsPort = freePort()
const url = `http://127.0.0.1:${port}`
const storage = scratch ? { DATABASE_URL: scratch.url, DATABASE_POOL_MAX: '20' } : { DATABASE_URL: '', DATA_DIR: dataDir! }
const server = Bun.spawn([process.execPath, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), 'src/index.ts'], {
  env: { ...process.env, ...storage, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRUST_PROXY: 'true', MCP_CALLS_PER_MINUTE: '1000000', TASKS_PER_USER: '10000000', METRICS_PORT: String(metricsPort) },
  stdout: 'ignore',
  stderr: 'inherit',
})
/** CPU seconds the server process has used so far (Linux /proc; 0 elsewhere). */
function serverCpuSeconds(): number {
  try {
    const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

const stopServer = async () => {
  if (server.exitCode !== null) return
  server.kill('SIGTERM')
  await server.exited
}

/** One number from the database: straight from PostgreSQL, or from PGlite's folder once the server has let it go. */
async function scalar(text: string): Promise<number> {
  if (direct) return Number((await direct.unsafe(text))[0]!.n)
  await stopServer()
  const database = await openDatabase({ dataDir })
  try {
    return Number((await queryRows<{ n: unknown }>(database.db, raw.raw(text)))[0]!.n)
  } finally {
    await database.close()
  }
}

type Op = 'create' | 'list' | 'search' | 'update' | 'complete' | 'mcp list' | 'mcp add'
const WEIGHTS: Array<[Op, number]> = [['create', 22], ['list', 22], ['search', 13], ['update', 13], ['complete', 10], ['mcp list', 10], ['mcp add', 10]]
const latencies = new Map<Op, number[]>(WEIGHTS.map(([op]) => [op, []]))
const statuses = new Map<string, number>()
const pick = (): Op => {
  let r = Math.random() * 100
  for (const [op, w] of WEIGHTS) if ((r -= w) < 0) return op
  return 'list'
}

try {
  for (let i = 0; i < 100 && !(await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false)); i++) await Bun.sleep(200)
  const tokens: string[] = []
  for (let u = 0; u < USERS; u++) {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${u + 1}` }
    await fetch(`${url}/api/v1/auth/signup`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: `load-${u}@example.com`, password: 'correct horse battery', timezone: 'Europe/Berlin' }),
    })
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email: `load-${u}@example.com`, password: 'correct horse battery' }) })
    tokens.push(((await res.json()) as { token: string }).token)
  }
  console.log(`${CLIENTS} clients, ${USERS} users, ${SECONDS} s, against ${url} (${EMBEDDED ? 'embedded PGlite' : `PostgreSQL, ${process.env.DATABASE_DRIVER ?? 'postgres-js'}`}${PROFILE ? ', CPU profile on' : ''})`)

  const deadline = Date.now() + SECONDS * 1000
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    const token = tokens[c % USERS]!
    const mine: string[] = []
    const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const mcp = (name: string, args: Record<string, unknown>) =>
      fetch(`${url}/mcp`, { method: 'POST', headers: { ...json, accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }) })
    for (let n = 0; Date.now() < deadline; n++) {
      let op = pick()
      if ((op === 'update' || op === 'complete') && mine.length === 0) op = 'create'
      const id = mine[Math.floor(Math.random() * mine.length)]
      const started = performance.now()
      let res: Response
      switch (op) {
        case 'create':
          res = await fetch(`${url}/api/v1/tasks`, { method: 'POST', headers: json, body: JSON.stringify({ title: `Load ${c}-${n} invoice`, tags: [`t${n % 5}`], due_date: new Date(Date.now() + 86_400_000).toISOString(), recurrence: n % 10 === 0 ? 'DAILY' : null }) })
          break
        case 'list':
          res = await fetch(`${url}/api/v1/tasks?limit=20`, { headers: json })
          break
        case 'search':
          res = await fetch(`${url}/api/v1/tasks?search=invoice&tags=t${n % 5}&sort=due_date`, { headers: json })
          break
        case 'update':
          res = await fetch(`${url}/api/v1/tasks/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ priority: n % 2 ? 'high' : 'low' }) })
          break
        case 'complete':
          res = await fetch(`${url}/api/v1/tasks/${id}/complete`, { method: 'POST', headers: json })
          mine.splice(mine.indexOf(id!), 1)
          break
        case 'mcp list':
          res = await mcp('list_tasks', { search: 'invoice' })
          break
        case 'mcp add':
          res = await mcp('add_task', { title: `MCP ${c}-${n}` })
          break
      }
      const body = await res.text()
      latencies.get(op)!.push(performance.now() - started)
      const key = `${op} ${res.status}`
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
      if (op === 'create' && res.status === 201) mine.push((JSON.parse(body) as { id: string }).id)
    }
  })
  const t0 = performance.now()
  const cpu0 = { generator: process.cpuUsage(), server: serverCpuSeconds() }
  await Promise.all(clients)
  const elapsed = (performance.now() - t0) / 1000
  const generatorCpu = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpu0.generator))
  const serverCpu = serverCpuSeconds() - cpu0.server

  let total = 0
  console.log(`\noperation      count     p50 ms   p95 ms   p99 ms`)
  const row = (name: string, xs: number[]) =>
    console.log(`${name.padEnd(12)} ${String(xs.length).padStart(7)}  ${percentile(xs, 50).toFixed(1).padStart(8)} ${percentile(xs, 95).toFixed(1).padStart(8)} ${percentile(xs, 99).toFixed(1).padStart(8)}`)
  for (const [op, xs] of latencies) {
    total += xs.length
    row(op, xs)
  }
  row('all', [...latencies.values()].flat())
  const fivexx = [...statuses].filter(([k]) => / 5\d\d$/.test(k))
  console.log(`\nthroughput: ${(total / elapsed).toFixed(0)} requests/s (${total.toLocaleString()} in ${elapsed.toFixed(1)} s)`)
  console.log(`answers: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
  console.log(`5xx answers: ${fivexx.reduce((n, [, v]) => n + v, 0)}`)
  // Both share this machine's cores (PostgreSQL too): what each used of them.
  console.log(`CPU: server ${(serverCpu / elapsed).toFixed(2)} cores, load generator ${(generatorCpu / elapsed).toFixed(2)} cores (of ${navigator.hardwareConcurrency})`)

  // Nothing lost or doubled: the relay drains, every task event is audited once, every recurring completion has one successor.
  const count = (where: string) => `select count(*) as n from ${where}`
  const UNPUBLISHED = count(`outbox_events where published_at is null`)
  const UNAUDITED = count(`outbox_events o where o.type like 'task.%' and not exists (select 1 from audit_log a where a.event_id = o.id::text)`)
  if (direct) {
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 900 && !(await check()); i++) await Bun.sleep(100)
    }
    await until(async () => (await scalar(UNPUBLISHED)) === 0)
    await until(async () => (await scalar(UNAUDITED)) === 0)
  } else {
    // The embedded database has one owner: wait until the relay has published everything there is (its counter
    // stands still for 3 s), then read the folder once the server has stopped.
    const published = async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => undefined))?.text()
      return [...(text ?? '').matchAll(/^todo_events_published_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0)
    }
    for (let last = -1, still = 0; still < 30; ) {
      const now = await published()
      still = now === last ? still + 1 : 0
      last = now
      await Bun.sleep(100)
    }
  }
  const events = await scalar(count(`outbox_events where type like 'task.%'`))
  const auditEntries = await scalar(count('audit_log'))
  const distinctEvents = await scalar(`select count(distinct event_id) as n from audit_log`)
  const pending = await scalar(UNPUBLISHED)
  const recurring = await scalar(count(`tasks where recurrence is not null and status = 'completed'`))
  const orphans = await scalar(count(`tasks where recurrence is not null and status = 'completed' and successor_id is null`))
  const shared = await scalar(count(`(select successor_id from tasks where successor_id is not null group by successor_id having count(*) > 1) s`))
  const missing = await scalar(count(`tasks p where p.successor_id is not null and not exists (select 1 from tasks s where s.id = p.successor_id)`))
  console.log(`task events in the outbox: ${events}, audit entries: ${auditEntries} (${distinctEvents} distinct events), unpublished: ${pending}`)
  console.log(`recurring completions: ${recurring}; without a successor: ${orphans}; successors shared: ${shared}; successors missing: ${missing}`)
  const ok = fivexx.length === 0 && pending === 0 && events === auditEntries && auditEntries === distinctEvents && orphans === 0 && shared === 0 && missing === 0
  console.log(ok ? '\nno 5xx, no event lost or doubled, one successor per recurring completion' : '\nFAILED: see the figures above')
  process.exitCode = ok ? 0 : 1
} finally {
  await stopServer()
  await direct?.end()
  await scratch?.drop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}

if (PROFILE) {
  // Self time by where the code lives: the driver, the query builder, the framework, rendering and JSON, our own code.
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))
  if (file) {
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>
      samples: number[]
      timeDeltas: number[]
    }
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
    const where = (f: { functionName: string; url: string }) => {
      const u = f.url
      if (/JSON|stringify|parse/.test(f.functionName) && !u.includes('node_modules')) return 'JSON (parse, stringify)'
      if (u.includes('node_modules/postgres/')) return 'database driver (postgres.js)'
      if (u.includes('node_modules/drizzle-orm/')) return 'query building and row mapping (drizzle)'
      if (u.includes('node_modules/elysia/') || u.includes('node_modules/@sinclair/')) return 'HTTP framework and validation (elysia, typebox)'
      if (u.includes('node_modules/@modelcontextprotocol/') || u.includes('node_modules/zod/')) return 'MCP SDK (and zod)'
      if (u.includes('/views/') || u.includes('@elysiajs/html') || u.includes('@kitajs/')) return 'HTML rendering'
      if (u.includes('/src/')) return 'our code'
      if (u.includes('node_modules/')) return 'other libraries'
      if (f.functionName === '(garbage collector)') return 'garbage collection'
      if (f.functionName === '(idle)' || f.functionName === '(program)') return 'idle and runtime'
      return 'runtime and native (sockets, crypto, timers)'
    }
    const time = new Map<string, number>()
    const fns = new Map<string, number>()
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!
      const dt = profile.timeDeltas[i] ?? 0
      time.set(where(frame), (time.get(where(frame)) ?? 0) + dt)
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules\/|src\/|views\/)/, '$1')}`
      fns.set(name, (fns.get(name) ?? 0) + dt)
    })
    const busy = [...time].filter(([k]) => k !== 'idle and runtime').reduce((n, [, v]) => n + v, 0)
    console.log(`\nserver CPU profile: ${(busy / 1e6).toFixed(1)} s busy`)
    for (const [k, v] of [...time].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(48)} ${(v / 1e6).toFixed(1).padStart(6)} s ${k === 'idle and runtime' ? '' : `${((v / busy) * 100).toFixed(0)}%`}`)
    console.log('top functions by self time:')
    for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${(v / 1e6).toFixed(2).padStart(6)} s  ${k.slice(0, 110)}`)
  } else console.log('no CPU profile was written')
}
rmSync(profileDir, { recursive: true, force: true })

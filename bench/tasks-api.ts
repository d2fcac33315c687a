// Benchmark: list and search latency and throughput of the task API at 100,000 tasks per user, beside the same SQL run directly.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:tasks-api [-- --seconds 10 --clients 16]
import postgres from 'postgres'
import { openDatabase, sessionSettings } from '../src/db/client'
import { listStatements } from '../src/features/tasks/list'
import { parseListQuery } from '../src/features/tasks/list-query'
import { startServer } from '../test/helpers/server'
import { benchDatabase, options, organise, percentile, sendList } from './lib'

const args = options()
const SECONDS = Number(args.get('seconds') ?? 8)
const CLIENTS = Number(args.get('clients') ?? 16)
const TASKS = Number(args.get('tasks') ?? 100_000)
const VERBS = ['Buy', 'Call', 'Email', 'Fix', 'Plan', 'Review', 'Write', 'Book', 'Pay', 'Clean', 'Prepare', 'Send', 'Check', 'Update', 'Order']
const NOUNS = ['groceries', 'mum', 'report', 'car', 'trip', 'budget', 'invoice', 'dentist', 'rent', 'garage', 'kitchen', 'slides', 'taxes',
  'bike', 'garden', 'passport', 'insurance', 'newsletter', 'roadmap', 'contract', 'flights', 'hotel', 'laptop', 'backup', 'birthday',
  'presentation', 'quarterly', 'plumber', 'electrician', 'vet', 'school', 'library', 'gym', 'doctor', 'pharmacy', 'bank', 'mortgage',
  'wedding', 'party', 'recipe', 'paint', 'fence', 'roof', 'windows', 'heating', 'license', 'visa', 'tickets', 'concert', 'podcast']
const DETAILS = ['today', 'before friday', 'for the team', 'with Alex', 'at home', 'online', 'asap', 'next week', 'again', 'for Q4']

interface Stats { p50: number; p95: number; p99: number; rps: number; n: number }
const pct = percentile

/** Runs `op` from `clients` concurrent loops for `seconds`, or `clients` = 1 for unloaded latency. */
async function measure(op: (i: number) => Promise<void>, clients: number, seconds: number): Promise<Stats> {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  let i = 0
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const start = performance.now()
        await op(i++)
        latencies.push(performance.now() - start)
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), rps: latencies.length / seconds, n: latencies.length }
}

const fmt = (s: Stats) => `p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  ${s.rps.toFixed(0)} req/s (n=${s.n})`

// A database of our own on the server DATABASE_URL names.
const scratch = await benchDatabase('tasks-api')
const benchUrl = scratch.url
let server: Awaited<ReturnType<typeof startServer>> | undefined
const direct = postgres(benchUrl, { max: 10, onnotice: () => {}, connection: sessionSettings(true) })

try {
  // Only to build the list's SQL (toSQL needs no connection).
  const database = await openDatabase({ url: benchUrl, poolMax: 2 })
  await database.close()

  console.log(`seeding ${TASKS.toLocaleString()} tasks for one user and ${TASKS.toLocaleString()} for nine others ...`)
  server = await startServer({ DATABASE_URL: benchUrl, LOG_LEVEL: 'info', DATABASE_POOL_MAX: '10' })
  const credentials = {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery' }),
  }
  await fetch(`${server.url}/api/v1/auth/signup`, credentials)
  const login = await fetch(`${server.url}/api/v1/auth/login`, credentials)
  const { token: session, user } = (await login.json()) as { token: string; user: { id: string } }
  const apiToken = ((await (await fetch(`${server.url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
    body: JSON.stringify({ name: 'bench' }),
  })).json()) as { token: string }).token
  const others = Array.from({ length: 9 }, () => crypto.randomUUID())
  for (const id of others) await direct`insert into users (id, email, password_hash) values (${id}, ${id + '@example.com'}, 'x')`
  const seedStart = performance.now()
  await direct.unsafe(
    `insert into tasks (id, user_id, title, description, status, priority, due_date, tags, created_at, updated_at, completed_at)
     select gen_random_uuid(),
            case when g.i <= $1 then $2::uuid else ($3::uuid[])[1 + g.i % 9] end,
            ($4::text[])[1 + g.i % 15] || ' ' || ($5::text[])[1 + (g.i / 15) % 50] || ' ' || ($6::text[])[1 + (g.i / 750) % 10],
            case when g.i % 3 = 0 then 'Notes: ' || ($5::text[])[1 + (g.i * 7) % 50] || ' ref ' || md5(g.i::text) else '' end,
            (case when g.i % 4 = 0 then 'completed' else 'pending' end)::task_status,
            (array['low','medium','high'])[1 + g.i % 3]::task_priority,
            case when g.i % 5 = 0 then null else now() + ((g.i % 400) - 100) * interval '1 day' end,
            array[($5::text[])[1 + g.i % 50], 'p' || (g.i % 7)],
            now() - g.i * interval '1 minute', now(), case when g.i % 4 = 0 then now() end
     from generate_series(1, $1 * 2) as g(i)`,
    [TASKS, user.id, others, VERBS, NOUNS, DETAILS],
  )
  const projects = await organise(direct, server.url, session, user.id)
  // As autovacuum would after a bulk load: statistics and the visibility map (index-only counts).
  await direct`vacuum analyze tasks`
  console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (the user's tasks over the Inbox and 8 projects, one in ten a subtask)`)

  const searches = ['invoice', 'mum', 'dentist', 'quarterly report', 'passport', 'plumber', 'budget q4', 'flights', 'md5', 'ref 9a1', 'zebra']
  const scenarios: Array<{ name: string; params: (i: number) => Record<string, string> }> = [
    { name: 'list (newest first, 20)', params: () => ({}) },
    { name: 'list (due soonest, pending, high)', params: () => ({ status: 'pending', priority: 'high', sort: 'due_date' }) },
    { name: 'list (tag filter)', params: (i) => ({ tags: NOUNS[i % NOUNS.length]! }) },
    { name: 'search (mixed keywords)', params: (i) => ({ search: searches[i % searches.length]! }) },
    { name: 'list (one project, due soonest)', params: (i) => ({ project_id: projects[i % projects.length]!, sort: 'due_date' }) },
    { name: 'list (top level, pending)', params: () => ({ top_level: 'true', status: 'pending' }) },
  ]
  const headers = { authorization: `Bearer ${apiToken}` }
  const apiCall = (params: Record<string, string>) => async () => {
    const res = await fetch(`${server!.url}/api/v1/tasks?${new URLSearchParams(params)}`, { headers })
    if (res.status !== 200) throw new Error(`API answered ${res.status}`)
    await res.arrayBuffer()
  }
  // What the API runs for a list: the page with its capped total in one statement, or (a search) the page and the
  // count at once on two connections (`shared`: the projects shared with the user).
  let shared: string[] = []
  const sqlCall = (params: Record<string, string>) => {
    const statements = listStatements(database.db, { userId: user.id, shared }, parseListQuery(params, 'UTC', new Date()))
    return () => sendList(direct, statements)
  }

  // Warm both paths.
  await measure((i) => apiCall(scenarios[i % 4]!.params(i))(), 4, 1)
  await measure((i) => sqlCall(scenarios[i % 4]!.params(i))(), 4, 1)

  console.log(`\n${TASKS.toLocaleString()} tasks for the user (${(TASKS * 2).toLocaleString()} in all); ${SECONDS}s per run; loopback\n`)
  const rows: string[] = []
  let searchLatency: Stats | undefined
  for (const s of scenarios) {
    const apiOne = await measure((i) => apiCall(s.params(i))(), 1, SECONDS / 2)
    const apiMany = await measure((i) => apiCall(s.params(i))(), CLIENTS, SECONDS)
    const sqlOne = await measure((i) => sqlCall(s.params(i))(), 1, SECONDS / 2)
    const sqlMany = await measure((i) => sqlCall(s.params(i))(), CLIENTS, SECONDS)
    if (s.name.startsWith('search')) searchLatency = apiOne
    console.log(`${s.name}`)
    console.log(`  API, 1 client        ${fmt(apiOne)}`)
    console.log(`  SQL, 1 client        ${fmt(sqlOne)}`)
    console.log(`  API, ${CLIENTS} clients      ${fmt(apiMany)}`)
    console.log(`  SQL, ${CLIENTS} clients      ${fmt(sqlMany)}`)
    const ratio = apiMany.rps / sqlMany.rps
    console.log(`  API throughput = ${(ratio * 100).toFixed(0)}% of direct SQL\n`)
    rows.push(`| ${s.name} | ${apiOne.p50.toFixed(2)} / ${apiOne.p95.toFixed(2)} | ${sqlOne.p50.toFixed(2)} / ${sqlOne.p95.toFixed(2)} | ${apiMany.rps.toFixed(0)} | ${sqlMany.rps.toFixed(0)} | ${(ratio * 100).toFixed(0)}% |`)
  }
  console.log('| scenario | API p50 / p95 ms (1 client) | SQL p50 / p95 ms (1 client) | API req/s | SQL req/s | API / SQL |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const r of rows) console.log(r)
  console.log(`\nsearch p95 (1 client): ${searchLatency!.p95.toFixed(2)} ms (target <= 15 ms)`)

  // The same user once another shares a project of 2,000 tasks with them: each list reads both halves (list.ts).
  const [team] = await direct<Array<{ id: string }>>`insert into projects (id, user_id, name) values (gen_random_uuid(), ${others[0]!}, 'Team') returning id`
  await direct`update tasks set project_id = ${team!.id} where id in (select id from tasks where user_id = ${others[0]!} limit 2000)`
  await direct`insert into project_members (project_id, user_id, role) values (${team!.id}, ${user.id}, 'editor')`
  await direct`vacuum analyze tasks`
  shared = [team!.id]
  console.log('\nwith a project of 2,000 tasks shared with the user:')
  console.log('| scenario | API p50 / p95 ms (1 client) | SQL p50 / p95 ms (1 client) |')
  console.log('| --- | --- | --- |')
  for (const s of scenarios.slice(0, 4)) {
    const apiOne = await measure((i) => apiCall(s.params(i))(), 1, SECONDS / 2)
    const sqlOne = await measure((i) => sqlCall(s.params(i))(), 1, SECONDS / 2)
    console.log(`| ${s.name} | ${apiOne.p50.toFixed(2)} / ${apiOne.p95.toFixed(2)} | ${sqlOne.p50.toFixed(2)} / ${sqlOne.p95.toFixed(2)} |`)
  }
  shared = []

  const { page, total } = listStatements(database.db, { userId: user.id, shared: [] }, parseListQuery({ search: 'invoice' }, 'UTC', new Date()))
  for (const [name, statement] of Object.entries({ page, total })) {
    const explained = await direct.unsafe(`explain (analyze, costs off) ${statement.sql}`, statement.params as never[])
    console.log(`\nplan of the search "${'invoice'}" (${name} statement):`)
    for (const line of explained) console.log('  ' + Object.values(line)[0])
  }
} finally {
  await server?.stop()
  await direct.end()
  await scratch.drop()
}

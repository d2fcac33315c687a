// Benchmark: render time of the planning views (Today, Upcoming, Calendar, Progress) for a user with 10,000 tasks.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:planner [-- --tasks 10000 --requests 300]
import postgres from 'postgres'
import { startServer } from '../test/helpers/server'
import { benchDatabase, options, organise, percentile } from './lib'

const args = options()
const TASKS = Number(args.get('tasks') ?? 10_000)
const REQUESTS = Number(args.get('requests') ?? 300)
const TARGET_MS = 40
const scratch = await benchDatabase('planner')
const benchUrl = scratch.url
let server: Awaited<ReturnType<typeof startServer>> | undefined
const direct = postgres(benchUrl, { max: 4, onnotice: () => {} })

try {
  server = await startServer({ DATABASE_URL: benchUrl, LOG_LEVEL: 'info' })
  await fetch(`${server.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'planner@example.com', password: 'correct horse battery', timezone: 'Europe/Berlin' }),
  })
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'planner@example.com', password: 'correct horse battery' }),
  })
  const { token, user } = (await login.json()) as { token: string; user: { id: string } }
  const others = Array.from({ length: 4 }, () => crypto.randomUUID())
  for (const id of others) await direct`insert into users (id, email, password_hash) values (${id}, ${id + '@example.com'}, 'x')`
  // The user's tasks spread over a year around today (a quarter done, one in 50 repeating daily or weekly),
  // and as many for each of four other users, so the indexes have to pick the user's rows.
  const started = performance.now()
  await direct.unsafe(
    `insert into tasks (id, user_id, title, status, priority, due_date, tags, created_at, updated_at, completed_at, recurrence)
     select gen_random_uuid(), case when g.i <= $1 then $2::uuid else ($3::uuid[])[1 + g.i % 4] end,
            'Task ' || g.i, (case when g.i % 4 = 0 then 'completed' else 'pending' end)::task_status,
            (array['low','medium','high'])[1 + g.i % 3]::task_priority,
            case when g.i % 10 = 0 then null else now() + ((g.i * 37) % 365 - 182) * interval '1 day' + (g.i % 24) * interval '1 hour' end,
            array['t' || (g.i % 12)], now() - interval '200 days', now(),
            case when g.i % 4 = 0 then now() - (g.i % 30) * interval '1 day' end,
            case when g.i % 50 = 1 then 'DAILY' when g.i % 50 = 2 then 'WEEKLY' end
     from generate_series(1, $1 * 5) as g(i)`,
    [TASKS, user.id, others],
  )
  const projects = await organise(direct, server.url, token, user.id)
  await direct`vacuum analyze tasks`
  console.log(`seeded ${(TASKS * 5).toLocaleString()} tasks (${TASKS.toLocaleString()} for the user, over the Inbox and 8 projects, one in ten a subtask) in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const headers = { cookie: `session=${token}`, accept: 'text/html' }
  const one = `project=${projects[0]!}`
  const views = ['/today', '/upcoming', '/calendar', '/calendar?month=2027-02', '/progress', '/progress?days=90', `/today?${one}`, `/upcoming?${one}`, `/calendar?${one}`, `/progress?${one}`]
  for (const path of views) for (let i = 0; i < 20; i++) await (await fetch(`${server.url}${path}`, { headers })).arrayBuffer() // warm-up
  console.log(`\n${REQUESTS} sequential requests per view, server-side render included, loopback\n`)
  let worst = 0
  for (const path of views) {
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now()
      const res = await fetch(`${server.url}${path}`, { headers })
      const body = await res.arrayBuffer()
      times.push(performance.now() - t0)
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
      bytes = body.byteLength
    }
    const p95 = percentile(times, 95)
    worst = Math.max(worst, p95)
    console.log(`${path.replace(projects[0]!, "<one>").padEnd(28)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms  ${(bytes / 1024).toFixed(0)} KiB`)
  }
  console.log(`\ntarget: every view p95 ≤ ${TARGET_MS} ms → worst p95 ${worst.toFixed(1)} ms ${worst <= TARGET_MS ? '(met)' : '(NOT met)'}`)
} finally {
  await server?.stop()
  await direct.end()
  await scratch.drop()
}

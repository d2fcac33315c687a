// Benchmark: size and time of the calendar feed for a user with 10,000 open tasks (4 KB descriptions) and 2,000 reminders.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:calendar [-- --tasks 10000 --requests 50]
import postgres from 'postgres'
import { openDatabase } from '../src/db/client'
import { createFeed } from '../src/features/calendar/service'
import { startServer } from '../test/helpers/server'
import { benchDatabase, options, percentile } from './lib'

const args = options()
const TASKS = Number(args.get('tasks') ?? 10_000)
const REQUESTS = Number(args.get('requests') ?? 50)
const scratch = await benchDatabase('calendar')
let server: Awaited<ReturnType<typeof startServer>> | undefined
const direct = postgres(scratch.url, { max: 2, onnotice: () => {} })

try {
  server = await startServer({ DATABASE_URL: scratch.url, LOG_LEVEL: 'info' })
  const signup = await fetch(`${server.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'calendar@example.com', password: 'correct horse battery', timezone: 'Europe/Berlin' }),
  })
  const { user } = (await signup.json()) as { user: { id: string } }
  // Open tasks due every few hours from two years back to two years ahead, each with a 4 KB description;
  // one in five has a lead-time reminder.
  await direct.unsafe(
    `insert into tasks (id, user_id, title, description, due_date, created_at, updated_at)
     select gen_random_uuid(), $2::uuid, 'Task ' || g, repeat('notes, more; ', 307), now() + (g - $1 / 2) * interval '3.5 hours', now(), now()
     from generate_series(1, $1) g`,
    [TASKS, user.id],
  )
  await direct.unsafe(
    `insert into reminders (id, user_id, task_id, lead_minutes, remind_at, created_at)
     select gen_random_uuid(), user_id, id, 15, due_date - interval '15 minutes', now()
     from tasks where user_id = $1::uuid and due_date > now() and random() < 0.2 limit 2000`,
    [user.id],
  )
  await direct`vacuum analyze`
  const database = await openDatabase({ url: scratch.url, poolMax: 1 })
  const token = await createFeed(database.db, user.id, new Date())
  await database.close()

  const url = `${server.url}/calendar/${token}.ics`
  for (let i = 0; i < 5; i++) await (await fetch(url)).arrayBuffer() // warm-up
  const times: number[] = []
  let bytes = 0
  let events = 0
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now()
    const res = await fetch(url)
    const text = await res.text()
    times.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`the feed answered ${res.status}`)
    bytes = Buffer.byteLength(text)
    events = text.split('BEGIN:VEVENT').length - 1
  }
  console.log(`${TASKS.toLocaleString()} open tasks with 4 KB descriptions; ${REQUESTS} sequential feed requests over loopback`)
  console.log(`events: ${events}, size: ${(bytes / 1024).toFixed(0)} KB, p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`)
} finally {
  await server?.stop()
  await direct.end()
  await scratch.drop()
}

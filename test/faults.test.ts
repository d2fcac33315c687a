// Faults against the real server process and the real PostgreSQL: the database going away mid-stream (a TCP proxy
// in front of it drops every connection and refuses new ones, as a restart does to its clients: the real server is
// shared by the whole suite, and a CI service container cannot be restarted from inside the job), and the app killed
// with SIGKILL in the middle of writes. Nothing acknowledged is lost, every event is published and consumed once,
// and a reminder due while the app was down fires once. (The sidecar going away is in runtime-events.test.ts.)
import { afterAll, expect, test } from 'bun:test'
import postgres from 'postgres'
import { createScratchDatabase } from './helpers/db'
import { CuttableProxy } from './helpers/proxy'
import { need, requires } from './helpers/requires'
import { signUpOverHttp, startServer, type RunningServer } from './helpers/server'
import { until } from './helpers/wait'

/** Writers creating tasks as fast as answers come; each remembers what was acknowledged and every status seen. */
function writers(url: () => string, token: string, count: number) {
  const acknowledged: string[] = []
  const statuses = new Map<string, number>()
  let running = true
  const loops = Array.from({ length: count }, async (_, w) => {
    for (let n = 0; running; n++) {
      const title = `w${w}-${n}`
      let outcome: string
      try {
        const res = await fetch(`${url()}/api/v1/tasks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title }),
          // A hang would show as "hung": an answer must come, if only a 503.
          signal: AbortSignal.timeout(10_000),
        })
        outcome = String(res.status)
        if (res.status === 201) acknowledged.push(title)
        await res.arrayBuffer()
        // A refused write is retried after a pause, as a client honouring Retry-After would.
        if (res.status !== 201) await Bun.sleep(100)
      } catch (error) {
        outcome = (error as Error).name === 'TimeoutError' ? 'hung' : 'no answer'
        await Bun.sleep(50)
      }
      statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1)
    }
  })
  return {
    acknowledged,
    statuses,
    stop: async () => {
      running = false
      await Promise.all(loops)
    },
  }
}

const readyz = async (url: string) => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(8000) })).status

/** Every event published, and consumed into the audit log exactly once. */
async function expectEventsConsumedOnce(sql: postgres.Sql) {
  // Rows a killed relay had leased wait for the lease (30 s) to expire, then another relay takes them over.
  await until('the outbox to drain', async () => Number((await sql`select count(*) as n from outbox_events where published_at is null`)[0]!.n) === 0, { timeoutMs: 60_000, everyMs: 100 })
  await until('every task event to reach the audit log', async () => {
    const [row] = await sql`select count(*) as n from outbox_events o where o.type like 'task.%' and not exists (select 1 from audit_log a where a.event_id = o.id::text)`
    return Number(row!.n) === 0
  }, { timeoutMs: 60_000, everyMs: 100 })
  expect(await sql`select event_id from audit_log group by event_id having count(*) > 1`).toHaveLength(0)
  const [tasks] = await sql`select count(*) as n from tasks`
  const [created] = await sql`select count(*) as n from outbox_events where type = 'task.created'`
  // A task and its event commit together: one creation event per task, none without its task.
  expect(Number(created!.n)).toBe(Number(tasks!.n))
}

const cleanups: Array<() => Promise<unknown>> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
})

// They cut and kill a real PostgreSQL's connections: they run where DATABASE_URL is set, as in CI.
requires('the fault tests', need.postgres).describe('faults, against the real server process and PostgreSQL', () => {
  test('PostgreSQL goes away mid-stream (a proxy drops every connection): not ready and 503, never a hang; recovery without a restart; nothing acknowledged lost', async () => {
    const scratch = await createScratchDatabase()
    cleanups.push(scratch.drop)
    const direct = postgres(scratch.url, { max: 2, onnotice: () => {} })
    cleanups.push(() => direct.end())
    const real = new URL(scratch.url)
    const proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) })
    await proxy.up()
    cleanups.push(() => proxy.down())
    const viaProxy = new URL(scratch.url)
    viaProxy.port = String(proxy.port)
    // A short request deadline, so a request stuck on a dropped connection is answered 503 within the test's patience.
    const server: RunningServer = await startServer({ DATABASE_URL: viaProxy.toString(), REQUEST_TIMEOUT_MS: '3000' })
    cleanups.push(() => server.stop())
    const token = await signUpOverHttp(server.url)

    const load = writers(() => server.url, token, 6)
    await until('writes to flow', () => load.acknowledged.length >= 10)
    await proxy.down()
    // While it is gone: not ready, and a write is refused with 503 (Retry-After), both answered.
    await until('/readyz to report the database gone', async () => (await readyz(server.url)) === 503, { timeoutMs: 10_000, everyMs: 100 })
    // A write refused with 503 may still complete once the database is back (it was under way): a client retries
    // it with the same Idempotency-Key and gets one task, not two.
    const outageWrite = () =>
      fetch(`${server.url}/api/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'outage-write-1' },
        body: JSON.stringify({ title: 'during the outage' }),
        signal: AbortSignal.timeout(10_000),
      })
    const refused = await outageWrite()
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBeTruthy()
    // The outage lasts 1.5 s more: its length is part of the scenario, not a wait for something to happen.
    await Bun.sleep(1500)
    await proxy.up()
    const back = Date.now()
    await until('/readyz to recover', async () => (await readyz(server.url)) === 200)
    const before = load.acknowledged.length
    await until('writes to succeed again', async () => load.acknowledged.length > before + 5)
    const writing = Date.now()
    await load.stop()

    // The same process throughout: it recovered on its own.
    expect(server.proc.exitCode).toBeNull()
    const seen = Object.fromEntries(load.statuses)
    const logged = (prefix: string) => server.lines.filter((l) => String(l.msg).startsWith(prefix)).length
    console.log(`writes during a database outage: ${JSON.stringify(seen)}; request deadlines: ${logged('request deadline')}`)
    expect(Object.keys(seen).sort()).toEqual(['201', '503'])
    const stored = new Set((await direct`select title from tasks`).map((r) => r.title as string))
    expect(load.acknowledged.filter((title) => !stored.has(title))).toEqual([])
    let retried = 0
    await until('the refused write, retried with its key, to be answered 201', async () => (retried = (await outageWrite()).status) === 201)
    expect(retried).toBe(201)
    expect(Number((await direct`select count(*) as n from tasks where title = 'during the outage'`)[0]!.n)).toBe(1)
    await expectEventsConsumedOnce(direct)
    console.log(`after the database came back: writes flowing in ${((writing - back) / 1000).toFixed(1)} s, every event consumed in ${((Date.now() - back) / 1000).toFixed(1)} s`)
  }, 90_000)

  test('SIGKILL in the middle of writes: after a restart every acknowledged write is there, the outbox resumes, and a reminder due meanwhile fires once', async () => {
    const scratch = await createScratchDatabase()
    cleanups.push(scratch.drop)
    const direct = postgres(scratch.url, { max: 2, onnotice: () => {} })
    cleanups.push(() => direct.end())
    const first = await startServer({ DATABASE_URL: scratch.url })
    cleanups.push(() => first.stop())
    const token = await signUpOverHttp(first.url)
    const api = (url: string, method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const task = (await (await api(first.url, 'POST', '/api/v1/tasks', { title: 'Call the plumber', due_date: new Date(Date.now() + 3_600_000).toISOString() })).json()) as { id: string }
    const remindAt = Date.now() + 3000
    const reminder = await api(first.url, 'POST', `/api/v1/tasks/${task.id}/reminders`, { remind_at: new Date(remindAt).toISOString() })
    expect(reminder.status).toBe(201)

    let url = first.url
    const load = writers(() => url, token, 6)
    await until('writes to flow', () => load.acknowledged.length >= 10)
    first.proc.kill('SIGKILL')
    expect(await first.exited).not.toBe(0)
    // Down until the reminder is due and past: what is awaited is the clock.
    await Bun.sleep(Math.max(0, remindAt - Date.now()) + 1000)
    const second = await startServer({ DATABASE_URL: scratch.url })
    cleanups.push(() => second.stop())
    url = second.url
    await until('the restarted app to be ready', async () => (await readyz(second.url)) === 200)
    const before = load.acknowledged.length
    await until('writes to succeed again', async () => load.acknowledged.length > before + 5)
    await load.stop()

    const seen = Object.fromEntries(load.statuses)
    console.log(`writes across a SIGKILL and restart: ${JSON.stringify(seen)}`)
    expect(Object.keys(seen).filter((k) => k !== '201' && k !== 'no answer')).toEqual([])
    const stored = new Set((await direct`select title from tasks`).map((r) => r.title as string))
    expect(load.acknowledged.filter((title) => !stored.has(title))).toEqual([])
    await expectEventsConsumedOnce(direct)
    // The reminder due while the app was down fired after the restart, once.
    await until('the missed reminder to fire', async () => Number((await direct`select count(*) as n from notifications where task_id = ${task.id}`)[0]!.n) > 0)
    // Negative check: a second firing has no event to wait for; give it 1.5 s to show.
    await Bun.sleep(1500)
    expect(Number((await direct`select count(*) as n from notifications where task_id = ${task.id}`)[0]!.n)).toBe(1)
  }, 150_000)
})

// Reminders through the real Dapr Jobs API (daprd and its scheduler, 1.14.0): scheduled, moved and removed with
// the task, fired on time to POST /job/<name>, surviving restarts of the scheduler and the sidecar, and swept
// up by the app when a trigger is lost; a callback fired early, twice or in another Dapr version's shape is harmless.
import { expect, test } from 'bun:test'
import { need, requires } from './helpers/requires'
import { startStack, tails, type Stack } from './helpers/runtime'
import { freshStorage, signUpOverHttp } from './helpers/server'
import { hookTimeoutMs, until } from './helpers/wait'

const runtime = requires('reminders through the real Dapr Jobs API', need.daprRuntime, need.helm)
let stack: Stack
let storage: Awaited<ReturnType<typeof freshStorage>>
let token: string
/** How late the app's own sweep fires a reminder whose trigger never came. */
const SWEEP_GRACE_MS = 4_000

runtime.beforeAll(async () => {
  storage = await freshStorage()
  stack = await startStack(need.daprRuntime.found!, { ...storage.env, REMINDER_SWEEP_GRACE_MS: String(SWEEP_GRACE_MS) })
  token = await signUpOverHttp(stack.app.url)
}, hookTimeoutMs(4))

runtime.afterAll(async () => {
  await stack?.stop()
  await storage?.dispose()
})

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.app.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) }
}

/** The job as the sidecar holds it, or null (Dapr answers 500 for a name it does not know). */
async function job(reminderId: string): Promise<{ dueTime: string } | null> {
  const res = await stack.dapr('GET', `/v1.0-alpha1/jobs/reminder-${reminderId}`)
  if (res.status === 500) return null
  expect(res.status).toBe(200)
  return (await res.json()) as { dueTime: string }
}

const notificationsFor = async (taskId: string) => ((await api('GET', '/api/v1/notifications')).body.items as Array<{ task_id: string; created_at: string }>).filter((n) => n.task_id === taskId)

async function taskWithReminder(title: string, remindInMs: number, dueInMs = 3_600_000) {
  const { body: task } = await api('POST', '/api/v1/tasks', { title, due_date: new Date(Date.now() + dueInMs).toISOString() })
  const remindAt = new Date(Math.ceil((Date.now() + remindInMs) / 1000) * 1000)
  const { status, body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { remind_at: remindAt.toISOString() })
  expect(status).toBe(201)
  return { task, reminder, remindAt }
}

/** POST /job/<name> as the sidecar would, with `body` exactly as given. */
const callback = (name: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.app.url}/job/${name}`, { method: 'POST', headers: { 'dapr-api-token': stack.tokens.app, ...headers }, body })

runtime.describe('reminders as Dapr jobs', () => {
  test('a reminder 10 s ahead: the job is scheduled with the real sidecar and fires once, on time', async () => {
    const { task, reminder, remindAt } = await taskWithReminder('ten seconds', 10_000)
    await until('the job', async () => (await job(reminder.id)) !== null, { timeoutMs: 15_000, detail: tails(stack.sidecar.child) })
    expect(Date.parse((await job(reminder.id))!.dueTime)).toBe(remindAt.getTime())
    await until('the notification', async () => (await notificationsFor(task.id)).length > 0, { timeoutMs: 30_000, detail: tails(stack.sidecar.child, stack.scheduler.child) })
    const [note] = await notificationsFor(task.id)
    const late = Date.parse(note!.created_at) - remindAt.getTime()
    // Never early, and well before the sweep would have fired it: the scheduler's trigger did.
    expect(late).toBeGreaterThanOrEqual(0)
    expect(late).toBeLessThan(SWEEP_GRACE_MS)
    // Negative check: the app's sweep would fire a lost trigger within SWEEP_GRACE_MS; no event says it did not.
    await Bun.sleep(SWEEP_GRACE_MS + 1_000)
    expect(await notificationsFor(task.id)).toHaveLength(1)
  }, 60_000)

  test("moving the due date moves a lead reminder's job; completing removes it, reopening brings it back, deleting removes it", async () => {
    const due = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 1000) * 1000)
    const { body: task } = await api('POST', '/api/v1/tasks', { title: 'moving', due_date: due.toISOString() })
    const { body: reminder } = await api('POST', `/api/v1/tasks/${task.id}/reminders`, { lead: '15m' })
    await until('the job', async () => (await job(reminder.id)) !== null, { timeoutMs: 15_000 })
    expect(Date.parse((await job(reminder.id))!.dueTime)).toBe(due.getTime() - 15 * 60_000)

    const later = new Date(due.getTime() + 24 * 3_600_000)
    expect((await api('PATCH', `/api/v1/tasks/${task.id}`, { due_date: later.toISOString() })).status).toBe(200)
    await until('the job to move', async () => Date.parse((await job(reminder.id))?.dueTime ?? '') === later.getTime() - 15 * 60_000, { timeoutMs: 15_000 })

    expect((await api('POST', `/api/v1/tasks/${task.id}/complete`)).status).toBe(200)
    await until('the job to go', async () => (await job(reminder.id)) === null, { timeoutMs: 15_000 })
    expect((await api('POST', `/api/v1/tasks/${task.id}/reopen`)).status).toBe(200)
    await until('the job to come back', async () => (await job(reminder.id)) !== null, { timeoutMs: 15_000 })
    expect((await api('DELETE', `/api/v1/tasks/${task.id}`)).status).toBe(204)
    await until('the job to go again', async () => (await job(reminder.id)) === null, { timeoutMs: 15_000 })
  }, 90_000)

  test('the scheduler and the sidecar restarted between scheduling and the due time: the reminder still fires, once', async () => {
    const { task, reminder, remindAt } = await taskWithReminder('through restarts', 20_000)
    await until('the job', async () => (await job(reminder.id)) !== null, { timeoutMs: 15_000 })
    await stack.sidecar.child.stop()
    await stack.scheduler.child.stop()
    await stack.scheduler.start()
    await stack.sidecar.start()
    expect(Date.now()).toBeLessThan(remindAt.getTime())
    await until('the notification', async () => (await notificationsFor(task.id)).length > 0, { timeoutMs: 40_000, detail: tails(stack.sidecar.child, stack.scheduler.child) })
    const [note] = await notificationsFor(task.id)
    expect(Date.parse(note!.created_at) - remindAt.getTime()).toBeLessThan(SWEEP_GRACE_MS)
    // Negative check, as above: no second firing within the sweep's grace.
    await Bun.sleep(SWEEP_GRACE_MS + 1_000)
    expect(await notificationsFor(task.id)).toHaveLength(1)
  }, 90_000)

  test('a trigger lost while the scheduler is down is swept up by the app, once; the late trigger changes nothing', async () => {
    const { task, reminder, remindAt } = await taskWithReminder('swept', 8_000)
    await until('the job', async () => (await job(reminder.id)) !== null, { timeoutMs: 15_000 })
    await stack.scheduler.child.stop()
    await until('the sweep', async () => (await notificationsFor(task.id)).length > 0, { timeoutMs: 40_000 })
    const [note] = await notificationsFor(task.id)
    expect(Date.parse(note!.created_at) - remindAt.getTime()).toBeGreaterThanOrEqual(SWEEP_GRACE_MS)
    // The scheduler comes back and fires the overdue job: the reminder is already fired.
    await stack.scheduler.start()
    // Negative check: the late trigger answers "duplicate" and publishes nothing, so there is no event to wait for.
    await Bun.sleep(5_000)
    expect(await notificationsFor(task.id)).toHaveLength(1)
  }, 90_000)

  test('a callback early, twice, in any Dapr version\'s shape, or naming another reminder has no effect beyond the one firing', async () => {
    const { task, reminder } = await taskWithReminder('callbacks', 3_600_000)
    const name = `reminder-${reminder.id}`
    // Early: the reminder is not due, nothing fires.
    const early = await callback(name, JSON.stringify({ '@type': 'type.googleapis.com/google.protobuf.StringValue', value: reminder.id }), { 'content-type': 'application/json' })
    expect(early.status).toBe(200)
    expect(((await early.json()) as { outcome: string }).outcome).toBe('stale')
    expect(await notificationsFor(task.id)).toHaveLength(0)
    // A body naming another reminder than the job's name: refused as no such job.
    expect((await callback(name, JSON.stringify('01a22e77-0000-7000-8000-000000000000'))).status).toBe(404)

    const due = await taskWithReminder('callbacks due', 1_000)
    // What is awaited is the clock: the reminder becoming due (a callback before then is "stale").
    await Bun.sleep(1_500)
    const dueName = `reminder-${due.reminder.id}`
    // Dapr 1.14's shape: the Any through Go's encoding/json, the StringValue's protobuf bytes in base64, no content type.
    const proto = Buffer.concat([Buffer.from([0x0a, due.reminder.id.length]), Buffer.from(due.reminder.id)]).toString('base64')
    const shapes = [
      JSON.stringify({ type_url: 'type.googleapis.com/google.protobuf.StringValue', value: proto }),
      JSON.stringify({ '@type': 'type.googleapis.com/google.protobuf.StringValue', value: due.reminder.id }),
      JSON.stringify(due.reminder.id),
      '',
    ]
    for (const body of shapes) {
      const res = await callback(dueName, body)
      expect(res.status, body).toBe(200)
      // Fired by the first that came (the scheduler's own trigger, or one of these), a duplicate after.
      expect(['fired', 'duplicate']).toContain(((await res.json()) as { outcome: string }).outcome)
    }
    // The notification comes from the reminder.triggered event, through the broker.
    await until('the notification', async () => (await notificationsFor(due.task.id)).length > 0, { timeoutMs: 15_000 })
    // Negative check: the duplicates publish nothing, so a second notification has no event to wait for.
    await Bun.sleep(2_000)
    expect(await notificationsFor(due.task.id)).toHaveLength(1)
    // Without the token the callback is refused, whatever it carries.
    expect((await fetch(`${stack.app.url}/job/${dueName}`, { method: 'POST', body: shapes[1] })).status).toBe(401)
  }, 60_000)
})

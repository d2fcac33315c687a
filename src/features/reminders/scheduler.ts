// Two schedulers, one port: the Dapr Jobs API with a sidecar, else a local scheduler that reads due reminders from the database.
import type { ReminderScheduler } from '../../context'
import type { Database } from '../../db/client'
import type { Logger } from '../../lib/log'
import { excerpt, type SidecarClient } from '../../lib/sidecar'
import { dueReminders, fireReminder, nextReminderAt } from './service'
import { systemClock } from '../../lib/time'
import { withinTime } from '../../lib/within-time'

/** The longest a pass of the local scheduler may take before it is given up (and retried): never stuck for good. */
const PASS_LIMIT_MS = 30_000

export type { ReminderScheduler }

/** The scheduler, counting the jobs it creates or moves and removes (metrics). */
export function countedScheduler(scheduler: ReminderScheduler, observer: { scheduled(): void; cancelled(): void } | undefined): ReminderScheduler {
  if (!observer) return scheduler
  return {
    kind: scheduler.kind,
    schedule: async (reminder) => {
      await scheduler.schedule(reminder)
      observer.scheduled()
    },
    cancel: async (id) => {
      await scheduler.cancel(id)
      observer.cancelled()
    },
  }
}

/** One job per reminder, named deterministically. */
export const jobName = (reminderId: string) => `reminder-${reminderId}`

/** How the sidecar retries a callback that failed: every second, three more times (Dapr 1.16 and later; earlier ones ignore it). */
export const JOB_FAILURE_POLICY = { constant: { interval: '1s', max_retries: 3 } } as const

const STRING_VALUE = 'type.googleapis.com/google.protobuf.StringValue'

/**
 * A job's `data` in the one shape every Dapr from 1.14 on accepts: a protobuf Any holding a StringValue, in
 * its JSON form. Dapr 1.14 reads `data` as an Any and refuses a bare JSON string (400 ERR_MALFORMED_REQUEST);
 * 1.15 and later take any JSON value, this one included. See docs/dapr.md.
 */
export const jobData = (reminderId: string) => ({ '@type': STRING_VALUE, value: reminderId })

/**
 * The reminder id a job callback carries, from the body of `POST /job/<name>` in any shape a Dapr version
 * delivers it: 1.14 sends the Any through Go's encoding/json (`{"type_url", "value": <base64 of the protobuf>}`),
 * 1.15 and later send the JSON we scheduled (`{"@type", "value"}`), a bare JSON string, or the raw text.
 * Null when the body carries nothing readable (the job's name still says which reminder it is).
 */
export function jobPayload(raw: string): string | null {
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    return raw.trim() || null
  }
  if (typeof body === 'string') return body
  if (typeof body !== 'object' || body === null) return null
  const { value } = body as { value?: unknown }
  if (typeof value !== 'string') return null
  if ('@type' in body) return value
  if ('type_url' in body) return stringValueOf(Buffer.from(value, 'base64'))
  return null
}

/** The string in a serialised google.protobuf.StringValue: field 1, length-delimited (tag 0x0a, a varint length, UTF-8). */
function stringValueOf(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return ''
  if (bytes[0] !== 0x0a) return null
  let length = 0
  let at = 1
  for (let shift = 0; at < bytes.length && shift < 35; shift += 7) {
    const byte = bytes[at++]!
    length |= (byte & 0x7f) << shift
    if (!(byte & 0x80)) return at + length <= bytes.length ? new TextDecoder().decode(bytes.subarray(at, at + length)) : null
  }
  return null
}

/** Reminder jobs through the sidecar's Jobs API (`/v1.0-alpha1/jobs/<name>`): 204 is the only success. */
export function daprJobsScheduler(sidecar: SidecarClient): ReminderScheduler {
  const path = (id: string) => `/v1.0-alpha1/jobs/${jobName(id)}`
  return {
    kind: 'dapr-jobs',
    async schedule({ id, remindAt }) {
      // Field names are not checked by the sidecar (a typo is silently ignored): tests hold this body exactly.
      const res = await sidecar.call(path(id), { method: 'POST', json: { dueTime: remindAt.toISOString(), data: jobData(id), overwrite: true, failure_policy: JOB_FAILURE_POLICY } })
      if (res.status !== 204) throw new Error(`scheduling ${jobName(id)} answered ${res.status}: ${await excerpt(res)}`)
    },
    async cancel(id) {
      const res = await sidecar.call(path(id), { method: 'DELETE' })
      if (res.status !== 204) throw new Error(`deleting ${jobName(id)} answered ${res.status}`)
    },
  }
}

/**
 * Without a sidecar: one timer armed for the next due reminder (at most a minute ahead, as a safety
 * net), reminders that came due while the app was down fired once at start, and each reminder
 * claimed in a transaction (FOR UPDATE SKIP LOCKED), so several replicas never fire one twice.
 *
 * With a sidecar the same loop runs as a sweep, `graceMs` behind the clock: a reminder whose job was
 * never scheduled (the call failed) or whose trigger was lost (Dapr 1.14 does not retry a failed
 * callback) fires that much late, once; one the sidecar fires in time is already claimed.
 */
export class LocalScheduler implements ReminderScheduler {
  readonly kind = 'local'
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = true

  constructor(
    private readonly options: {
      database: Database
      log: Logger
      clock?: () => Date
      maxSleepMs?: number
      /** Fire only what has been due this long (the sweep beside a sidecar); 0 by default. */
      graceMs?: number
      /** Told of each reminder fired, with how late it fired (metrics). */
      onFired?: (lateSeconds: number) => void
    },
  ) {}

  private now = () => (this.options.clock ?? systemClock)()
  private get grace() {
    return this.options.graceMs ?? 0
  }

  async start(): Promise<void> {
    this.stopped = false
    await this.tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  async schedule(): Promise<void> {
    this.wake()
  }

  async cancel(): Promise<void> {
    this.wake()
  }

  /** Fires what is due now and re-arms the timer. */
  wake(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    void this.tick()
  }

  /** Fires every due reminder (returns how many fired), then arms the timer for the next one. */
  async tick(): Promise<number> {
    let fired = 0
    const run = (async () => {
      do {
        this.again = false
        try {
          fired += await withinTime(this.fireDue(), PASS_LIMIT_MS, 'firing due reminders')
        } catch (error) {
          this.options.log.warn('local scheduler failed; retrying', { error: error as Error })
        }
      } while (this.again && !this.stopped)
      await withinTime(this.arm(), PASS_LIMIT_MS, 'arming the reminder timer').catch((error) => this.options.log.warn('local scheduler could not arm', { error: error as Error }))
    })()
    this.running = run
    await run.finally(() => {
      if (this.running === run) this.running = undefined
    })
    return fired
  }

  private async fireDue(): Promise<number> {
    const { db } = this.options.database
    let total = 0
    for (;;) {
      const now = this.now()
      const late: number[] = []
      const claimed = await db.transaction(async (tx) => {
        const due = await dueReminders(tx, new Date(now.getTime() - this.grace), 100)
        for (const r of due) {
          const fired = await fireReminder(tx, r.id, now)
          if (fired.outcome === 'fired') late.push(fired.lateSeconds)
        }
        return due.length
      })
      // Counted once committed, so a rolled-back round is not counted.
      for (const seconds of late) this.options.onFired?.(seconds)
      total += claimed
      if (claimed < 100) return total
    }
  }

  private async arm(): Promise<void> {
    clearTimeout(this.timer)
    if (this.stopped) return
    const next = await nextReminderAt(this.options.database.db)
    const maxSleep = this.options.maxSleepMs ?? 60_000
    const delay = next ? Math.min(Math.max(0, next.getTime() + this.grace - this.now().getTime()), maxSleep) : maxSleep
    this.timer = setTimeout(() => this.wake(), delay)
    this.timer.unref?.()
  }
}

// The one client for the Dapr sidecar: its address, the dapr-api-token only when set, a deadline on each call,
// and what the bus and the Jobs scheduler send through it (the contract is docs/dapr.md).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Server } from 'bun'
import { daprBus } from '../src/events/bus'
import type { CloudEvent } from '../src/events/envelope'
import { daprJobsScheduler } from '../src/features/reminders/scheduler'
import { sidecarClient, sidecarOf, SidecarUnreachable } from '../src/lib/sidecar'
import { freePort } from './helpers/server'

interface Seen {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

let server: Server<undefined>
const seen: Seen[] = []
/** What the fake sidecar answers next, by path prefix. */
const answers = new Map<string, () => Response | Promise<Response>>()

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url)
      seen.push({ method: req.method, path: url.pathname + url.search, headers: Object.fromEntries(req.headers), body: await req.text() })
      for (const [prefix, answer] of answers) if (url.pathname.startsWith(prefix)) return answer()
      return new Response(null, { status: 204 })
    },
  })
})
afterAll(() => server.stop(true))

const at = (apiToken?: string) => sidecarClient({ host: '127.0.0.1', port: server.port!, apiToken })
const last = () => seen.at(-1)!

describe('the sidecar client', () => {
  test('calls the sidecar at DAPR_HOST:DAPR_HTTP_PORT, and only with a sidecar configured', () => {
    expect(sidecarOf({ daprHost: '10.0.0.7', daprHttpPort: 3501, daprApiToken: undefined })?.baseUrl).toBe('http://10.0.0.7:3501')
    expect(sidecarOf({ daprHost: '127.0.0.1', daprHttpPort: undefined, daprApiToken: 'x' })).toBeUndefined()
  })

  test('sends dapr-api-token when DAPR_API_TOKEN is set, and no such header otherwise', async () => {
    await at('sidecar-token-0123456789').call('/v1.0/healthz/outbound')
    expect(last().headers['dapr-api-token']).toBe('sidecar-token-0123456789')
    await at().call('/v1.0/healthz/outbound')
    expect(last().headers).not.toHaveProperty('dapr-api-token')
    expect(last().method).toBe('GET')
  })

  test('a JSON body is sent with its content type; the answer comes back whatever its status', async () => {
    answers.set('/v1.0/refuse', () => Response.json({ errorCode: 'ERR_X' }, { status: 500 }))
    const res = await at().call('/v1.0/refuse', { json: { a: 1 }, contentType: 'application/cloudevents+json' })
    expect(res.status).toBe(500)
    expect(last()).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/cloudevents+json' } })
    answers.clear()
  })

  test('a sidecar silent past the deadline, or not there at all, is an error naming the call', async () => {
    answers.set('/v1.0/slow', () => Bun.sleep(2000).then(() => new Response(null, { status: 204 })))
    const slow = await at().call('/v1.0/slow?x=1', { timeoutMs: 100 }).catch((error: unknown) => error)
    expect(slow).toBeInstanceOf(SidecarUnreachable)
    expect(String(slow)).toContain('GET /v1.0/slow: no answer within 100 ms')
    answers.clear()
    const gone = await sidecarClient({ host: '127.0.0.1', port: freePort() }).call('/v1.0/metadata').catch((error: unknown) => error)
    expect(gone).toBeInstanceOf(SidecarUnreachable)
  })
})

describe('what goes through it', () => {
  const event = { specversion: '1.0', id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', type: 'task.created', source: 'todo-chatbot' } as unknown as CloudEvent

  test('the bus publishes our CloudEvent as is, keyed by the task id, and throws on any answer but 2xx', async () => {
    const bus = daprBus({ sidecar: at('t0k3n-for-the-sidecar'), pubsubName: 'pubsub-kafka' })
    await bus.publish('todo.task-events', event, 'task/1')
    expect(last()).toMatchObject({
      method: 'POST',
      path: '/v1.0/publish/pubsub-kafka/todo.task-events?metadata.partitionKey=task%2F1',
      headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': 't0k3n-for-the-sidecar' },
    })
    expect(JSON.parse(last().body)).toEqual(event)
    answers.set('/v1.0/publish/', () => Response.json({ errorCode: 'ERR_PUBSUB_NOT_FOUND' }, { status: 404 }))
    await expect(bus.publish('todo.task-events', event, 'task/1')).rejects.toThrow('publishing to todo.task-events answered 404: {"errorCode":"ERR_PUBSUB_NOT_FOUND"}')
    answers.clear()
  })

  test('the Jobs scheduler posts the job body of docs/dapr.md and deletes by name', async () => {
    const jobs = daprJobsScheduler(at())
    const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'
    await jobs.schedule({ id, remindAt: new Date('2026-12-01T09:45:00.000Z') })
    expect(last()).toMatchObject({ method: 'POST', path: `/v1.0-alpha1/jobs/reminder-${id}`, headers: { 'content-type': 'application/json' } })
    expect(JSON.parse(last().body)).toEqual({
      dueTime: '2026-12-01T09:45:00.000Z',
      data: { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: id },
      overwrite: true,
      failure_policy: { constant: { interval: '1s', max_retries: 3 } },
    })
    await jobs.cancel(id)
    expect(last()).toMatchObject({ method: 'DELETE', path: `/v1.0-alpha1/jobs/reminder-${id}`, body: '' })
    answers.set('/v1.0-alpha1/jobs/', () => new Response('{"errorCode":"ERR_MALFORMED_REQUEST"}', { status: 400 }))
    await expect(jobs.schedule({ id, remindAt: new Date() })).rejects.toThrow(`scheduling reminder-${id} answered 400`)
    answers.clear()
  })
})

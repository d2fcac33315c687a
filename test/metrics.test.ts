// GET /metrics after a scripted workload: the counters match the work done.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
beforeAll(async () => {
  t = await testApp({ events: true })
})
afterAll(() => t.dispose())

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** The samples and # TYPE lines of the text exposition format (no escaped quotes occur in our labels). */
async function scrape(): Promise<{ samples: Sample[]; types: Map<string, string> }> {
  const res = await t.call('GET', '/metrics')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of res.text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (type) types.set(type[1]!, type[2]!)
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!sample) continue
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) })
  }
  return { samples, types }
}

const value = (scraped: { samples: Sample[] }, name: string, labels: Record<string, string>) =>
  scraped.samples.find((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value ?? 0

describe('GET /metrics', () => {
  test('HTTP requests are counted by method, route template and status, with a latency histogram', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await t.call('POST', '/api/v1/tasks', { token, body: { title: `task ${i}` } })).body.id)
    for (const id of ids) expect((await t.call('GET', `/api/v1/tasks/${id}`, { token })).status).toBe(200)
    expect((await t.call('POST', '/api/v1/tasks', { token, body: { title: '' } })).status).toBe(400)
    expect((await t.call('GET', `/api/v1/tasks/${crypto.randomUUID()}`, { token })).status).toBe(404)
    for (let i = 0; i < 2; i++) expect((await t.call('GET', `/no/such/path/${crypto.randomUUID()}`)).status).toBe(404)
    const after = await scrape()
    const delta = (labels: Record<string, string>, name = 'todo_http_requests_total') => value(after, name, labels) - value(before, name, labels)

    expect(after.types.get('todo_http_requests_total')).toBe('counter')
    expect(delta({ method: 'POST', route: '/api/v1/tasks', status: '201' })).toBe(3)
    expect(delta({ method: 'POST', route: '/api/v1/tasks', status: '400' })).toBe(1)
    expect(delta({ method: 'GET', route: '/api/v1/tasks/:id', status: '200' })).toBe(3)
    expect(delta({ method: 'GET', route: '/api/v1/tasks/:id', status: '404' })).toBe(1)
    expect(delta({ method: 'GET', route: '(unmatched)', status: '404' })).toBe(2)

    expect(after.types.get('todo_http_request_duration_seconds')).toBe('histogram')
    const post = { method: 'POST', route: '/api/v1/tasks' }
    expect(delta(post, 'todo_http_request_duration_seconds_count')).toBe(4)
    expect(delta({ ...post, le: '+Inf' }, 'todo_http_request_duration_seconds_bucket')).toBe(4)
    expect(delta(post, 'todo_http_request_duration_seconds_sum')).toBeGreaterThan(0)

    // Bounded labels: no raw path, no id and no user anywhere in a label.
    const labels = after.samples.flatMap((m) => Object.values(m.labels))
    for (const id of ids) expect(labels.join('\n')).not.toContain(id)
    expect(labels.some((l) => l.startsWith('/no/such'))).toBe(false)
  })

  test('event deliveries are counted by topic and answer (SUCCESS, DROP)', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const task = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'counted' } })
    await t.call('POST', `/api/v1/tasks/${task.body.id}/complete`, { token })
    await t.call('PATCH', `/api/v1/tasks/${task.body.id}`, { token, body: { priority: 'high' } })
    await t.drain()
    // A malformed event is dropped, as Dapr is told.
    expect((await t.call('POST', '/events/task-events', { body: { not: 'a cloud event' } })).body).toEqual({ status: 'DROP' })
    const after = await scrape()
    const delta = (labels: Record<string, string>) => value(after, 'todo_event_deliveries_total', labels) - value(before, 'todo_event_deliveries_total', labels)
    // task.created and task.completed on todo.task-events, task.updated on todo.task-updates.
    expect(delta({ topic: 'todo.task-events', status: 'SUCCESS' })).toBe(2)
    expect(delta({ topic: 'todo.task-updates', status: 'SUCCESS' })).toBe(1)
    expect(delta({ topic: 'todo.task-events', status: 'DROP' })).toBe(1)
    expect(delta({ topic: 'todo.task-events', status: 'RETRY' })).toBe(0)
  })

  test('MCP tool calls are counted by tool and outcome (the real MCP client)', async () => {
    const { token } = await t.signUp()
    const before = await scrape()
    const client = new Client({ name: 'metrics-test', version: '1.0.0' })
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
        fetch: (input, init) => t.app.handle(new Request(input, init)),
      }),
    )
    await client.callTool({ name: 'add_task', arguments: { title: 'from mcp' } })
    await client.callTool({ name: 'add_task', arguments: { title: 'again' } })
    const refused = await client.callTool({ name: 'complete_task', arguments: { task_id: crypto.randomUUID() } })
    expect(refused.isError).toBe(true)
    await client.close()
    const after = await scrape()
    const delta = (labels: Record<string, string>) => value(after, 'todo_mcp_tool_calls_total', labels) - value(before, 'todo_mcp_tool_calls_total', labels)
    expect(delta({ tool: 'add_task', outcome: 'ok' })).toBe(2)
    expect(delta({ tool: 'complete_task', outcome: 'error' })).toBe(1)
    expect(delta({ tool: 'complete_task', outcome: 'ok' })).toBe(0)
  })
})

// The real process: starts on its configuration, refuses a bad one, and shuts down gracefully on SIGTERM.
import { afterAll, describe, expect, test } from 'bun:test'
import { freshStorage, signUpOverHttp, startServer } from './helpers/server'
import { until } from './helpers/wait'

const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** Settings for one server of its own, removed after the file. */
async function storage(): Promise<Record<string, string>> {
  const fresh = await freshStorage()
  cleanups.push(fresh.dispose)
  return fresh.env
}

describe('the server process', () => {
  test('a bad setting stops the start with a message naming the variable', async () => {
    const proc = Bun.spawn([process.execPath, 'src/index.ts'], { env: { ...process.env, PORT: 'eighty' }, stdout: 'pipe', stderr: 'pipe' })
    expect(await proc.exited).toBe(2)
    expect(await new Response(proc.stderr).text()).toContain('PORT: must be a whole number')
  })

  test('SIGTERM: an in-flight request finishes, new connections are refused, the database closes, exit 0', async () => {
    const env = await storage()
    const server = await startServer(env)
    const token = await signUpOverHttp(server.url)

    // A request whose body is still arriving when the signal comes.
    let finish!: () => void
    const rest = new Promise<void>((resolve) => (finish = resolve))
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"title": "Finish me'))
        await rest
        controller.enqueue(new TextEncoder().encode(' before you go"}'))
        controller.close()
      },
    })
    const inflight = fetch(`${server.url}/api/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      duplex: 'half',
    } as RequestInit)
    // No event says the server holds the request's first bytes (it logs a request once answered): give them 300 ms.
    await Bun.sleep(300)
    server.proc.kill('SIGTERM')
    const healthz = () => fetch(`${server.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    )
    await until('the server to log "shutting down"', () => server.lines.some((l) => l.msg === 'shutting down'))
    let refused = await healthz()
    await until('new connections to be refused', async () => (refused = await healthz()) === 'refused', { timeoutMs: 5_000 })
    expect(refused).toBe('refused')
    finish()
    const res = await inflight
    expect(res.status).toBe(201)
    const task = (await res.json()) as { id: string; title: string }
    expect(task.title).toBe('Finish me before you go')
    expect(await server.exited).toBe(0)
    expect(server.lines.map((l) => l.msg)).toContain('stopped')

    // The write was committed: a new process on the same storage sees it.
    const again = await startServer(env)
    cleanups.push(() => void again.stop())
    const got = await fetch(`${again.url}/api/v1/tasks/${task.id}`, { headers: { authorization: `Bearer ${token}` } })
    expect(got.status).toBe(200)
    expect(await again.stop()).toBe(0)
  })

  test('logs are JSON lines with a request id on every request line', async () => {
    const server = await startServer(await storage())
    cleanups.push(() => void server.stop())
    await fetch(`${server.url}/healthz`)
    await fetch(`${server.url}/readyz`)
    await until('both request lines', () => server.lines.filter((l) => l.msg === 'request').length >= 2)
    const requests = server.lines.filter((l) => l.msg === 'request')
    expect(requests.length).toBe(2)
    for (const line of requests) {
      expect(line.request_id).toBeString()
      expect(line.level).toBe('info')
    }
    expect(server.lines.every((l) => typeof l.time === 'string')).toBe(true)
  })
})

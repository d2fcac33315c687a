// Runs the real server process (`bun src/index.ts`) on a free port, for tests that need a socket.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { adminUrl, createScratchDatabase } from './db'
import { startingUp, startTimeoutMs, until } from './wait'

export interface RunningServer {
  url: string
  /** The metrics listener's base URL (GET /metrics there), when it runs. */
  metricsUrl: string | undefined
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  /** Log lines the process printed so far (stdout, parsed). */
  lines: Array<Record<string, unknown>>
  /** Everything the process printed on stdout so far, line by line. */
  raw: string[]
  /** All it printed on stderr, once it has exited. */
  stderr: Promise<string>
  /** Resolves with the exit code. */
  exited: Promise<number>
  stop(): Promise<number>
}

export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

async function collect(stream: ReadableStream<Uint8Array>, lines: Array<Record<string, unknown>>, raw: string[]) {
  const decoder = new TextDecoder()
  let buffer = ''
  const reader = stream.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    buffer += decoder.decode(next.value, { stream: true })
    let nl
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      raw.push(line)
      try {
        lines.push(JSON.parse(line))
      } catch {
        lines.push({ text: line })
      }
    }
  }
}

/**
 * Starts the server and resolves once it logs that it is listening. It waits up to `timeoutMs` (by default
 * `startTimeoutMs()`, which grows on a slow or busy machine); a start slower than a few seconds says on stderr
 * what it is still waiting for, with the server's last lines.
 */
export async function startServer(env: Record<string, string>, timeoutMs = startTimeoutMs()): Promise<RunningServer> {
  // A PORT given is kept (a sidecar double must know the app's address before it starts).
  const port = env.PORT ? Number(env.PORT) : freePort()
  // The metrics listener gets a free port too, so servers started one after another never collide on it.
  const proc = Bun.spawn([process.execPath, 'src/index.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), METRICS_PORT: String(freePort()), LOG_LEVEL: 'info', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const lines: Array<Record<string, unknown>> = []
  const raw: string[] = []
  void collect(proc.stdout, lines, raw)
  const stderr = new Response(proc.stderr).text()
  const listening = () => lines.some((l) => l.msg === 'listening')
  const failed = (why: string) => {
    proc.kill('SIGKILL')
    return stderr.then((text) => new Error(`server did not start (${why}): ${text}\n${raw.join('\n')}`))
  }
  const lastLines = () => (raw.length ? raw.slice(-5).join('\n') : '(it printed nothing yet)')
  await until(`the server on port ${port} to log "listening"`, () => listening() || proc.exitCode !== null, { ...startingUp(lastLines), timeoutMs }).catch(async (error: Error) => {
    throw await failed(error.message)
  })
  if (!listening()) throw await failed(`exit ${proc.exitCode}`)
  const metrics = lines.find((l) => l.msg === 'listening')?.metrics
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: typeof metrics === 'string' && metrics !== 'off' ? metrics.replace(/\/metrics$/, '') : undefined,
    proc,
    lines,
    raw,
    stderr,
    exited: proc.exited,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      return proc.exited
    },
  }
}

/** Settings for a server of its own: a throwaway PostgreSQL database when DATABASE_URL is set, else its own PGlite folder. */
export async function freshStorage(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  if (adminUrl) {
    const scratch = await createScratchDatabase()
    return { env: { DATABASE_URL: scratch.url }, dispose: scratch.drop }
  }
  const dir = mkdtempSync(join(tmpdir(), 'todo-server-'))
  return { env: { DATABASE_URL: '', DATA_DIR: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
}

/** Signs up (in `timezone`) and logs in over HTTP against a running server and returns the session token. */
export async function signUpOverHttp(url: string, email = `http-${crypto.randomUUID()}@example.com`, timezone = 'UTC'): Promise<string> {
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const res = await post('/api/v1/auth/signup', { email, password: 'correct horse battery', timezone })
  if (res.status !== 202) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`)
  const login = await post('/api/v1/auth/login', { email, password: 'correct horse battery' })
  if (login.status !== 200) throw new Error(`log-in after sign-up failed: ${login.status} ${await login.text()}`)
  return ((await login.json()) as { token: string }).token
}

/** JSON calls with a bearer token against a running server; both are read at call time (set in beforeAll). */
export const bearerApi = (url: () => string, token: () => string) => async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) }
}

// Secrets through the Dapr secret store, against a faithful double of the sidecar's secrets and health
// endpoints (as Dapr documents them): the real server process starts, reads its secrets and rotates the model key.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import postgres from 'postgres'
import { secretStoreConfig } from '../src/env'
import { withSecretStore } from '../src/lib/secret-store'
import { createScratchDatabase } from './helpers/db'
import { DaprSidecarDouble } from './helpers/dapr-sidecar'
import { FakeOpenAI } from './helpers/fake-openai'
import { need, requires } from './helpers/requires'
import { signUpOverHttp, startServer, type RunningServer } from './helpers/server'

const STORE = 'kubernetes-secrets'
const SECRET = 'todo-chatbot-secrets'

function sidecar(secrets: Record<string, string>, extra: Partial<ConstructorParameters<typeof DaprSidecarDouble>[0]> = {}) {
  const double = new DaprSidecarDouble({ appUrl: 'http://127.0.0.1:9', secretStores: { [STORE]: { [SECRET]: { ...secrets } } }, ...extra })
  double.listen()
  return double
}

/** The environment a pod would have: a store, a sidecar port, and none of the secrets themselves. */
const podEnv = (double: DaprSidecarDouble, extra: Record<string, string> = {}) => ({
  SECRET_STORE: STORE,
  DAPR_HTTP_PORT: String(double.port),
  DATABASE_URL: '',
  OPENAI_API_KEY: '',
  ...extra,
})

async function startFails(env: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  const proc = Bun.spawn([process.execPath, 'src/index.ts'], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  return { code, stdout, stderr }
}

// The store hands the server a real PostgreSQL URL: these run where DATABASE_URL is set, as in CI.
requires('the secret-store tests', need.postgres).describe('secrets from a Dapr secret store (sidecar double)', () => {
  let database: { url: string; drop(): Promise<void> }
  const model = new FakeOpenAI()

  beforeAll(async () => {
    database = await createScratchDatabase()
  })
  afterAll(async () => {
    model.stop()
    await database?.drop()
  })

  test('the server starts with its database URL and model key read from the store, and rotates the key as an admin', async () => {
    const double = sidecar({ DATABASE_URL: database.url, OPENAI_API_KEY: 'sk-first-0123456789', APP_API_TOKEN: 'app-token-from-the-store' }, { componentsReadyAfterMs: 400 })
    let server: RunningServer | undefined
    try {
      server = await startServer(podEnv(double, { OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'test-model' }))
      // It waited on /outbound until the components were ready, never on /healthz, and read one secret.
      expect(double.requests).toContain('GET /v1.0/healthz/outbound')
      expect(double.requests).not.toContain('GET /v1.0/healthz')
      expect(double.requests.filter((r) => r.startsWith('GET /v1.0/secrets/'))).toEqual([`GET /v1.0/secrets/${STORE}/${SECRET}`])
      expect(server.lines.find((l) => l.msg === 'listening')?.database).toBe('postgresql (postgres-js)')

      const admin = await signUpOverHttp(server.url, 'boss@example.com')
      const someone = await signUpOverHttp(server.url)
      // The operator names the boss's account id (from GET /api/v1/me) and rolls the pod.
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${admin}` } })
      const bossId = ((await me.json()) as { id: string }).id
      await server.stop()
      const firstLines = server.lines
      server = await startServer(podEnv(double, { OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'test-model', ADMIN_USER_IDS: bossId }))
      const say = (token: string) =>
        fetch(`${server!.url}/api/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello' }) })
      model.play({ content: 'Hi!' }, { content: 'Hi again!' })
      expect((await say(someone)).status).toBe(200)
      expect(model.requests.at(-1)!.authorization).toBe('Bearer sk-first-0123456789')

      // The key is rotated in the store; a non-admin may not reload, an admin may, and the next call uses it.
      double.setSecret(STORE, SECRET, 'OPENAI_API_KEY', 'sk-second-9876543210')
      const reload = (token: string) => fetch(`${server!.url}/admin/reload-secrets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
      const denied = await reload(someone)
      expect(denied.status).toBe(403)
      expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('forbidden')
      expect((await fetch(`${server.url}/admin/reload-secrets`, { method: 'POST' })).status).toBe(401)
      const done = await reload(admin)
      expect(done.status).toBe(200)
      expect(await done.json()).toEqual({ reloaded: ['OPENAI_API_KEY'], changed: ['OPENAI_API_KEY'] })
      expect((await say(someone)).status).toBe(200)
      expect(model.requests.at(-1)!.authorization).toBe('Bearer sk-second-9876543210')

      // A store that cannot be read answers 503 naming the setting, and the running key stays.
      await double.stop()
      const down = await reload(admin)
      expect(down.status).toBe(503)
      expect(((await down.json()) as { error: { message: string } }).error.message).toContain('OPENAI_API_KEY')
      double.listen()
      model.play({ content: 'Still here.' })
      expect((await say(someone)).status).toBe(200)
      expect(model.requests.at(-1)!.authorization).toBe('Bearer sk-second-9876543210')

      // The reload is in the admin audit trail and the log; neither holds a secret value.
      const sql = postgres(database.url, { max: 1 })
      const trail = await sql`select email, action, detail from admin_actions`
      await sql.end()
      expect(trail.map((r) => ({ ...r }))).toEqual([{ email: 'boss@example.com', action: 'reload-secrets', detail: { reloaded: ['OPENAI_API_KEY'], changed: ['OPENAI_API_KEY'] } }])
      const action = server.lines.find((l) => l.msg === 'admin action')
      expect(action).toMatchObject({ action: 'reload-secrets', changed: ['OPENAI_API_KEY'] })
      const logged = [...firstLines, ...server.lines].map((l) => JSON.stringify(l)).join('\n')
      for (const secret of ['sk-first-0123456789', 'sk-second-9876543210', 'app-token-from-the-store', database.url]) expect(logged).not.toContain(secret)
    } finally {
      await server?.stop()
      await double.stop()
    }
  }, 60_000)

  test('an explicit environment value wins over the store; the store fills in what the environment leaves out', async () => {
    const double = sidecar({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/wrong', OPENAI_API_KEY: 'sk-from-store' })
    try {
      const config = secretStoreConfig(podEnv(double))!
      const merged = await withSecretStore({ ...podEnv(double), DATABASE_URL: database.url }, config, ['DATABASE_URL'])
      expect(merged.DATABASE_URL).toBe(database.url)
      expect(merged.OPENAI_API_KEY).toBe('sk-from-store')
      // With every secret set in the environment, the store is never asked.
      const before = double.requests.length
      const all = { ...podEnv(double), DATABASE_URL: database.url, OPENAI_API_KEY: 'sk-env', APP_API_TOKEN: 'a' }
      expect(await withSecretStore(all, config, ['DATABASE_URL'])).toEqual(all)
      expect(double.requests.length).toBe(before)
    } finally {
      await double.stop()
    }
  })

  test('SECRET_MAP points a setting at another secret and key', async () => {
    const double = sidecar({}, { secretStores: { [STORE]: { 'todo-db': { uri: database.url }, [SECRET]: {} } } })
    try {
      const env = podEnv(double, { SECRET_MAP: 'DATABASE_URL=todo-db:uri' })
      const merged = await withSecretStore(env, secretStoreConfig(env), ['DATABASE_URL'])
      expect(merged.DATABASE_URL).toBe(database.url)
      expect(() => secretStoreConfig(podEnv(double, { SECRET_MAP: 'SESSION=todo-db:uri' }))).toThrow(/SECRET_MAP/)
    } finally {
      await double.stop()
    }
  })

  test('a missing, forbidden or unknown secret stops the start naming the setting, never a value', async () => {
    // The secret exists but has no DATABASE_URL key.
    let double = sidecar({ OPENAI_API_KEY: 'sk-visible-to-no-one' })
    try {
      const run = await startFails(podEnv(double))
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('DATABASE_URL')
      expect(run.stderr).toContain(`key "DATABASE_URL" of secret "${SECRET}"`)
      expect(run.stderr + run.stdout).not.toContain('sk-visible-to-no-one')
    } finally {
      await double.stop()
    }
    // The database URL is there but the app token is not: beside a sidecar the app will not start without it.
    double = sidecar({ DATABASE_URL: database.url })
    try {
      const run = await startFails(podEnv(double))
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(`APP_API_TOKEN: is not in the environment, nor under key "APP_API_TOKEN" of secret "${SECRET}"`)
      expect(run.stdout).not.toContain('listening')
    } finally {
      await double.stop()
    }
    // Scoping forbids the secret: 403 from the sidecar.
    double = sidecar({ DATABASE_URL: database.url }, { allowedSecrets: ['something-else'] })
    try {
      const run = await startFails(podEnv(double))
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/DATABASE_URL.*secret scoping/)
      expect(run.stderr).not.toContain(database.url)
    } finally {
      await double.stop()
    }
    // The secret does not exist (500), or the store does not (401).
    double = sidecar({}, { secretStores: { [STORE]: {} } })
    try {
      expect((await startFails(podEnv(double))).stderr).toMatch(/DATABASE_URL.*secret "todo-chatbot-secrets" could not be read \(status 500\)/)
      expect((await startFails(podEnv(double, { SECRET_STORE: 'vault' }))).stderr).toMatch(/DATABASE_URL.*there is no secret store "vault"/)
    } finally {
      await double.stop()
    }
  }, 60_000)

  test('a sidecar whose components never become ready fails the start with a clear timeout', async () => {
    const double = sidecar({ DATABASE_URL: database.url }, { componentsReadyAfterMs: 60_000 })
    try {
      const run = await startFails(podEnv(double, { SECRET_STORE_TIMEOUT_MS: '600' }))
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('SECRET_STORE')
      expect(run.stderr).toContain('not ready after 600 ms')
      expect(double.requests).not.toContain('GET /v1.0/healthz')
    } finally {
      await double.stop()
    }
  })
})

// A check of the settings alone: it needs no database, so it runs everywhere.
test('SECRET_STORE without a sidecar is a configuration error', () => {
  expect(() => secretStoreConfig({ SECRET_STORE: STORE })).toThrow(/SECRET_STORE.*DAPR_HTTP_PORT/)
  expect(() => secretStoreConfig({ SECRET_STORE: 'not a name', DAPR_HTTP_PORT: '3500' })).toThrow(/SECRET_STORE/)
  expect(secretStoreConfig({})).toBeUndefined()
})

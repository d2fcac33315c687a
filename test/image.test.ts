// The container image's contents, without a Docker engine: the same bundle and layout the Dockerfile makes,
// run from a folder of its own (APP_ROOT) on PGlite and on PostgreSQL, and its size.
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, freshStorage } from './helpers/server'

const ROOT = new URL('..', import.meta.url).pathname
const out = mkdtempSync(join(tmpdir(), 'todo-image-'))
const cleanups: Array<() => Promise<void> | void> = [() => rmSync(out, { recursive: true, force: true })]
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

const sh = (cmd: string[], env: Record<string, string> = {}, cwd = ROOT) => {
  const r = Bun.spawnSync(cmd, { cwd, env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
  if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr.toString()}${r.stdout.toString()}`)
  return r.stdout.toString()
}

test('the Dockerfile builds with the same commands the tests run', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  expect(dockerfile).toContain('RUN npm run build && sh .ci/image-layout.sh /out')
  expect(dockerfile).toContain('ENTRYPOINT ["bun", "dist/index.js"]')
  expect(dockerfile).toMatch(/FROM oven\/bun:\$\{BUN_VERSION\}-distroless/)
  expect(dockerfile).toContain('USER 65532:65532')
  expect(dockerfile).toContain('HEALTHCHECK')
})

test('the bundled server runs from the image layout alone, on PGlite and on PostgreSQL', async () => {
  sh(['npm', 'run', '--silent', 'build'])
  sh(['sh', '.ci/image-layout.sh', join(out, 'app')])
  const app = join(out, 'app')
  const bun = process.execPath
  for (const storage of [{ DATABASE_URL: '', DATA_DIR: join(out, 'data') }, (await freshStorage()).env]) {
    // The migration job's command, twice.
    for (let i = 0; i < 2; i++) sh([bun, 'dist/migrate.js'], { APP_ROOT: app, ...storage }, app)
    const port = freePort()
    const proc = Bun.spawn([bun, 'dist/index.js'], { cwd: app, env: { ...process.env, APP_ROOT: app, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...storage }, stdout: 'ignore', stderr: 'pipe' })
    try {
      const base = `http://127.0.0.1:${port}`
      for (let i = 0; i < 100; i++) {
        if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break
        await Bun.sleep(50)
      }
      expect((await fetch(`${base}/readyz`)).status).toBe(200)
      const credentials = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `img-${crypto.randomUUID()}@example.com`, password: 'correct horse battery' }) }
      expect((await fetch(`${base}/api/v1/auth/signup`, credentials)).status).toBe(202)
      const { token } = (await (await fetch(`${base}/api/v1/auth/login`, credentials)).json()) as { token: string }
      expect((await fetch(`${base}/api/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'from the image' }) })).status).toBe(201)
      const page = await (await fetch(`${base}/tasks`, { headers: { cookie: `session=${token}` } })).text()
      expect(page).toContain('from the image')
      for (const asset of page.match(/\/assets\/[a-z]+\.[0-9a-f]{12}\.[a-z]+/g)!) expect((await fetch(`${base}${asset}`)).status).toBe(200)
      expect((await fetch(`${base}/openapi/assets/swagger-ui-bundle.js`)).status).toBe(200)
    } finally {
      proc.kill('SIGTERM')
      expect(await proc.exited).toBe(0)
    }
  }
  // The image's own files on top of the Bun base image: their size, for the estimate in bench/ and the notes.
  const size = Number(sh(['du', '-sk', app]).split('\t')[0]) / 1024
  console.log(`image layout: ${size.toFixed(1)} MiB of app files (plus the oven/bun distroless base)`)
  expect(size).toBeLessThan(30)
}, 120_000)

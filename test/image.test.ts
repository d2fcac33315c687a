// The container image's contents, without a Docker engine: .ci/image-build.sh runs the Dockerfile's build stage
// as written (a clean copy, a fresh `npm ci --ignore-scripts`), and the server runs from that layout alone
// (APP_ROOT) on PGlite and on PostgreSQL. .ci/run builds it once and passes it in TODO_IMAGE_APP.
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pkg from '../package.json'
import { need, requires } from './helpers/requires'
import { freePort, freshStorage } from './helpers/server'
import { startingUp, until } from './helpers/wait'

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

/** The Dockerfile's instructions, one a line (continuations joined, comments dropped), grouped by stage. */
function stages(dockerfile: string): string[][] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l && !l.startsWith('#'))
  const result: string[][] = []
  for (const line of lines) if (/^FROM /i.test(line)) result.push([line]); else result.at(-1)?.push(line)
  return result
}

test('the build script runs every instruction of the build stage, and the image takes what it lays out', () => {
  const [build, runtime] = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
  const plan = sh(['bash', '.ci/image-build.sh', '--plan']).trim().split('\n')
  // The same instructions in the same order; RUN text unchanged but for BuildKit's cache mount.
  expect(plan.filter((l) => !l.startsWith('TAKE '))).toEqual(build!.map((l) => l.replace(/^RUN --mount=\S+ /, 'RUN ')))
  expect(plan.filter((l) => l.startsWith('TAKE '))).toEqual(runtime!.filter((l) => l.startsWith('COPY --from=build ')).map((l) => l.replace('COPY --from=build ', 'TAKE ')))
  // What the issue found broken: with install scripts off, Bun's own must run before the build needs it.
  const runs = plan.filter((l) => l.startsWith('RUN '))
  expect(runs).toEqual(['RUN npm ci --ignore-scripts --no-audit --no-fund && node node_modules/bun/install.js', 'RUN npm run build && sh .ci/image-layout.sh out'])
  expect(plan).toContain('TAKE /app/out/ ./')
})

test('the image runs the Bun that built and tested the bundle, as a non-root user', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  expect(dockerfile).toContain(`ARG BUN_VERSION=${pkg.devDependencies.bun}`)
  expect(Bun.version).toBe(pkg.devDependencies.bun)
  expect(dockerfile).toMatch(/FROM oven\/bun:\$\{BUN_VERSION\}-distroless/)
  expect(dockerfile).toContain('ENTRYPOINT ["bun", "dist/index.js"]')
  expect(dockerfile).toContain('USER 65532:65532')
  expect(dockerfile).toContain('HEALTHCHECK')
})

let built: string | undefined
/** The image's app files: TODO_IMAGE_APP when .ci/run built them, else built here, once. */
function imageApp(): string {
  if (!built) {
    built = process.env.TODO_IMAGE_APP
    if (!built) sh(['bash', '.ci/image-build.sh', (built = join(out, 'app'))])
  }
  return built
}

/** The migration job's command (twice), then the server from the layout alone: health, sign-up, a task, the page, its assets. */
async function runsFromTheLayout(storage: Record<string, string>): Promise<void> {
  const app = imageApp()
  const bun = process.execPath
  for (let i = 0; i < 2; i++) sh([bun, 'dist/migrate.js'], { APP_ROOT: app, ...storage }, app)
  const port = freePort()
  const proc = Bun.spawn([bun, 'dist/index.js'], { cwd: app, env: { ...process.env, APP_ROOT: app, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...storage }, stdout: 'ignore', stderr: 'pipe' })
  try {
    const base = `http://127.0.0.1:${port}`
    await until('the bundled server to answer /healthz', () => fetch(`${base}/healthz`).then((r) => r.ok), startingUp())
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

test('the bundled server runs from the image layout alone, on PGlite', async () => {
  await runsFromTheLayout({ DATABASE_URL: '', DATA_DIR: join(out, 'data') })
  // The image's own files on top of the Bun base image: their size, for the estimate in bench/ and the notes.
  const size = Number(sh(['du', '-sk', imageApp()]).split('\t')[0]) / 1024
  console.log(`image layout: ${size.toFixed(1)} MiB of app files (plus the oven/bun distroless base)`)
  expect(size).toBeLessThan(30)
}, 240_000)

requires('the image on PostgreSQL', need.postgres).test('the bundled server runs from the image layout alone, on PostgreSQL', async () => {
  const postgres = await freshStorage()
  cleanups.push(postgres.dispose)
  await runsFromTheLayout(postgres.env)
}, 240_000)

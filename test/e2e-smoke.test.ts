// A dry run of the kind workflow's smoke test (.ci/e2e-smoke.sh) against the real server on this machine: the same
// script, the same checks (event to the audit log through the bus, drained outbox, a reminder firing 10 s ahead),
// without the cluster-only parts (reading Kafka, helm test), which only the GitHub workflow can run.
import { expect } from 'bun:test'
import { need, requires } from './helpers/requires'
import { freshStorage, startServer, type RunningServer } from './helpers/server'
import { hookTimeoutMs } from './helpers/wait'

const SCRIPT = new URL('../.ci/e2e-smoke.sh', import.meta.url).pathname
const smoke = requires('the dry run of the kind workflow\'s smoke script', need.jq)

let server: RunningServer
let storage: Awaited<ReturnType<typeof freshStorage>>

smoke.beforeAll(async () => {
  storage = await freshStorage()
  server = await startServer(storage.env)
}, hookTimeoutMs())

smoke.afterAll(async () => {
  await server?.stop()
  await storage?.dispose()
})

smoke.test('the kind workflow\'s smoke script passes against a running server, and skips only the cluster-only checks', async () => {
  const run = Bun.spawn(['bash', SCRIPT, server.url], {
    env: { ...process.env, SMOKE_TIMEOUT: '45', KAFKA_POD: '', HELM_RELEASE: '' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited])
  expect(err).toBe('')
  expect(code).toBe(0)
  const lines = out.trim().split('\n')
  expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(7)
  expect(lines.filter((l) => l.startsWith('skip ')).map((l) => l.replace(/\s*\(.*$/, '').replace(/:.*$/, ''))).toEqual(['skip  reading Kafka', 'skip  helm test'])
  expect(out).toContain('ok    task.created went through the bus into the audit log')
  expect(out).toMatch(/ok {4}the reminder fired \(status \w+\) and a notification appeared/)
  expect(lines.at(-1)).toBe('e2e smoke: all checks passed')
}, 90_000)

smoke.test('the smoke script fails, naming the check, when the app does not answer', async () => {
  const run = Bun.spawnSync(['bash', SCRIPT, 'http://127.0.0.1:9'], { env: { ...process.env, SMOKE_TIMEOUT: '2' }, stdout: 'pipe', stderr: 'pipe' })
  expect(run.exitCode).toBe(1)
  expect(run.stderr.toString()).toContain('FAIL  GET /readyz answers 200: not within 2s')
})

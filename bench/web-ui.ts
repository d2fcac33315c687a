// Benchmark: server-side render time of the workspace for a user with 500 tasks, and the bytes a first visit transfers.
// Usage: npm run bench:web-ui   (PGlite by default; DATABASE_URL=postgres://… to measure on PostgreSQL)
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { testDatabase } from '../test/helpers/db'

const RUNS = Number(process.argv[2] ?? 300)
const { database, dispose } = await testDatabase()
const app = createApp({ env: loadEnv({ LOG_LEVEL: 'silent' }), database, log: createLogger('silent') })

const call = async (path: string, init: RequestInit = {}) => app.handle(new Request(`http://localhost${path}`, init))
await call('/api/v1/auth/signup', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery', timezone: 'Europe/Berlin' }),
})
const login = await call('/api/v1/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.com', password: 'correct horse battery' }),
})
const { token } = (await login.json()) as { token: string }
const words = ['groceries', 'report', 'dentist', 'invoice', 'garden', 'flights', 'taxes', 'slides', 'car', 'rent']
for (let i = 0; i < 500; i++) {
  await call('/api/v1/tasks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      title: `${['Buy', 'Write', 'Call', 'Book', 'Pay'][i % 5]} ${words[i % 10]} #${i}`,
      description: i % 3 === 0 ? `Notes about ${words[(i * 7) % 10]} and more detail for item ${i}` : '',
      priority: ['high', 'medium', 'low'][i % 3],
      due_date: i % 4 === 0 ? null : new Date(Date.now() + (i - 100) * 3_600_000).toISOString(),
      tags: [words[i % 10], `p${i % 4}`],
      recurrence: i % 25 === 0 ? 'WEEKLY' : null,
    }),
  })
}

const cookie = `session=${token}`
async function measure(path: string): Promise<{ p50: number; p95: number; bytes: number }> {
  for (let i = 0; i < 20; i++) await (await call(path, { headers: { cookie } })).arrayBuffer()
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const res = await call(path, { headers: { cookie } })
    bytes = (await res.arrayBuffer()).byteLength
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(RUNS * 0.5)]!, p95: times[Math.floor(RUNS * 0.95)]!, bytes }
}

console.log(`workspace render for a user with 500 tasks (${database.kind}, in-process, ${RUNS} runs each):`)
for (const [label, path] of [
  ['first page (20 tasks)', '/tasks'],
  ['100 tasks on one page', '/tasks?limit=100'],
  ['search + tag filter', '/tasks?search=report&tags=p1'],
  ['sorted by due date', '/tasks?sort=due_date'],
] as const) {
  const r = await measure(path)
  console.log(`  ${label.padEnd(24)} p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  (${(r.bytes / 1024).toFixed(1)} KB uncompressed)`)
}

// First visit: the page and every asset it references, compressed as a browser would accept them.
const page = await call('/tasks', { headers: { cookie, 'accept-encoding': 'br, gzip' } })
const pageBytes = (await page.arrayBuffer()).byteLength
const plain = await (await call('/tasks', { headers: { cookie } })).text()
const assets = [...plain.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
let total = pageBytes
console.log(`\nfirst visit, compressed (${page.headers.get('content-encoding')}):`)
console.log(`  ${'/tasks (HTML)'.padEnd(36)} ${(pageBytes / 1024).toFixed(1)} KB`)
for (const url of [...new Set(assets)]) {
  const res = await call(url, { headers: { 'accept-encoding': 'br, gzip' } })
  const n = (await res.arrayBuffer()).byteLength
  total += n
  console.log(`  ${url.padEnd(36)} ${(n / 1024).toFixed(1)} KB (${res.headers.get('content-encoding')})`)
}
console.log(`  ${'total'.padEnd(36)} ${(total / 1024).toFixed(1)} KB (target <= 100 KB)`)
await dispose()

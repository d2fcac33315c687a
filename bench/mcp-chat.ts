// Benchmark: the MCP tools/call round trip for list_tasks over 1,000 tasks (the SDK's Client on loopback),
// and the chat's own overhead with a model that answers at once. Usage: npm run bench:mcp-chat
// (PGlite by default; DATABASE_URL for PostgreSQL).
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { FakeOpenAI } from '../test/helpers/fake-openai'
import { testDatabase } from '../test/helpers/db'
import { signUpOverHttp } from '../test/helpers/server'
import { options, percentile } from './lib'

const args = options()
const RUNS = Number(args.get('runs') ?? 300)
const { database, dispose } = await testDatabase()
const model = new FakeOpenAI()
// The per-user limits (120 MCP calls, 30 chat messages a minute) would stop a benchmark.
const env = loadEnv({ LOG_LEVEL: 'error', OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'instant', MCP_CALLS_PER_MINUTE: '100000', CHAT_MESSAGES_PER_MINUTE: '100000' })
const app = createApp({ env, database, log: createLogger('error') }).listen({ port: 0, hostname: '127.0.0.1' })
const url = `http://127.0.0.1:${app.server!.port}`
const session = await signUpOverHttp(url, 'bench-mcp@example.com')
const token = ((await (await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) })).json()) as { token: string }).token

console.log('seeding 1,000 tasks ...')
for (let i = 0; i < 1000; i += 50) {
  await Promise.all(
    Array.from({ length: 50 }, (_, j) =>
      fetch(`${url}/api/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Task ${i + j} about ${['invoice', 'garden', 'report', 'trip'][(i + j) % 4]}`, priority: ['high', 'medium', 'low'][(i + j) % 3], tags: [`t${(i + j) % 10}`] }),
      }),
    ),
  )
}

const measure = async (label: string, op: () => Promise<unknown>) => {
  for (let i = 0; i < 20; i++) await op()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await op()
    times.push(performance.now() - start)
  }
  console.log(`  ${label.padEnd(46)} p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  (n=${RUNS})`)
}

const client = new Client({ name: 'bench', version: '1.0.0' })
await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))

console.log(`\nMCP tools/call on loopback (${database.kind}), 1,000 tasks:`)
await measure('list_tasks (first page of 20)', () => client.callTool({ name: 'list_tasks', arguments: {} }))
await measure('list_tasks (search + tag filter, sorted)', () => client.callTool({ name: 'list_tasks', arguments: { search: 'invoice', tags: ['t4'], sort: 'priority' } }))

console.log('\nPOST /api/v1/chat with a model that answers at once (the chat\'s own overhead):')
const say = (message: string) =>
  fetch(`${url}/api/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ message }) }).then((r) => r.json())
await measure('text reply (1 model call)', async () => {
  model.play({ content: 'Sure.' })
  await say('hello')
})
await measure('one list_tasks tool round (2 model calls)', async () => {
  model.play({ tool_calls: [{ name: 'list_tasks', arguments: { limit: 5 } }] }, { content: 'Here they are.' })
  await say('what is on my list?')
})

await client.close()
model.stop()
await app.stop(true)
await dispose()

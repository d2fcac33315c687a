// POST /mcp: MCP over Streamable HTTP, stateless (a server per request), authenticated by the user's bearer token.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../context'
import { bearerToken } from '../features/auth/guard'
import { resolveToken } from '../features/auth/service'
import { tokenCacheOf } from '../features/auth/token-cache'
import { noteUser } from '../lib/edge/request-context'
import { MemoryRateLimit } from '../lib/memory-rate-limit'
import { createMcpServer, type CallOutcome } from './server'

/** JSON-RPC messages one POST may carry; each counts as a call against the per-user limit. */
export const BATCH_MAX = 20

const rpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), { status, headers: { 'content-type': 'application/json', ...headers } })

const UNAUTHORIZED = (message: string) => rpcError(401, -32001, message, { 'www-authenticate': 'Bearer realm="todo-chatbot", error="invalid_token"' })

export const mcpRoutes = (
  deps: AppDeps,
  onCall?: (tool: string, outcome: CallOutcome) => void,
  limit = new MemoryRateLimit({ max: deps.env.mcpCallsPerMinute, windowMs: 60_000 }),
) => {
  const clock = deps.clock
  const tokens = tokenCacheOf(deps)
  const handle = async ({ request, body }: { request: Request; body: unknown }) => {
    const token = bearerToken(request)
    if (!token) return UNAUTHORIZED('Send your API token as "Authorization: Bearer <token>"')
    const user = await resolveToken({ db: deps.database.db, clock, tokens }, token)
    if (!user) return UNAUTHORIZED('The token is invalid, expired or revoked')
    noteUser(request, user.id)
    // The limit counts calls, not HTTP requests: every message of a batch is one.
    const calls = Array.isArray(body) ? Math.max(1, body.length) : 1
    const batchMax = Math.min(BATCH_MAX, deps.env.mcpCallsPerMinute)
    if (calls > batchMax) return rpcError(400, -32600, `Invalid Request: a batch may hold at most ${batchMax} messages (got ${calls}); send fewer at a time`)
    const wait = limit.take(user.id, calls)
    if (wait > 0) return rpcError(429, -32000, `Too many MCP calls; retry in ${wait} s`, { 'retry-after': String(wait) })
    const server = createMcpServer({ db: deps.database.db, clock, user, quotas: deps.env.quotas }, (tool, error) => deps.log.error('mcp tool failed', { tool, error: error as Error }), onCall)
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    try {
      return await transport.handleRequest(request, { parsedBody: body })
    } finally {
      void server.close()
    }
  }
  return new Elysia({ name: 'mcp-routes', seed: seedOf(deps), detail: { tags: ['MCP'] } })
    .post('/mcp', handle, { detail: { summary: 'Model Context Protocol (Streamable HTTP, stateless); Bearer token required' } })
    .get('/mcp', ({ status }) => status(405, { error: { code: 'method_not_allowed', message: 'This MCP server is stateless: POST JSON-RPC to /mcp' } }), { detail: { hide: true } })
}

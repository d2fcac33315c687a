// `npm run mcp:stdio`: MCP over stdio for desktop clients, bridged to a running todo-chatbot's /mcp.
//
// Bridging (rather than opening the database here) lets a desktop assistant use any instance, a
// laptop's or a cluster's, with the same API token, and never has two processes share PGlite files.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'

const base = process.env.TODO_CHATBOT_URL?.trim() || 'http://localhost:3000'
const token = process.env.TODO_CHATBOT_TOKEN?.trim()
if (!token) {
  console.error('TODO_CHATBOT_TOKEN: set it to a personal API token (Settings → API tokens)')
  process.exit(2)
}
let url: URL
try {
  url = new URL('/mcp', base)
} catch {
  console.error(`TODO_CHATBOT_URL: not a URL (got "${base}")`)
  process.exit(2)
}

const local = new StdioServerTransport()
const remote = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } })

// stdout carries the protocol: diagnostics go to stderr only.
local.onmessage = (message) => {
  remote.send(message).catch((error: Error) => {
    console.error(`todo-chatbot MCP bridge: ${error.message}`)
    const id = (message as { id?: string | number }).id
    if (id !== undefined) {
      void local.send({ jsonrpc: '2.0', id, error: { code: -32603, message: `todo-chatbot at ${base} did not answer: ${error.message}` } })
    }
  })
}
remote.onmessage = (message) => void local.send(message)
remote.onerror = (error) => console.error(`todo-chatbot MCP bridge: ${error.message}`)
local.onclose = () => void remote.close().finally(() => process.exit(0))

await remote.start()
await local.start()

// An MCP client over the app's own /mcp route, in-process (no server), as the holder of `token`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { TestApp } from './app'

/** A connected client that calls the tools as the user of `token` (an API token). */
export async function mcpClient(t: TestApp, token: string, name = 'tests'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
      fetch: (url, init) => t.app.handle(new Request(url, init)),
    }),
  )
  return client
}

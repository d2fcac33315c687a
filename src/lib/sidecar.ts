// The one client for the Dapr sidecar's HTTP API (pub/sub, Jobs, secrets, health): its address, the
// `dapr-api-token`, a deadline on every call, and the current span's W3C trace context. See docs/dapr.md.
import { traceHeaders } from './tracing'

/** Where the sidecar listens and the token it wants (DAPR_HOST, DAPR_HTTP_PORT, DAPR_API_TOKEN). */
export interface SidecarAddress {
  host: string
  port: number
  apiToken?: string | undefined
}

export interface SidecarCall {
  method?: 'GET' | 'POST' | 'DELETE'
  /** A body sent as JSON, with `contentType` (application/json unless given). */
  json?: unknown
  contentType?: string
  /** How long the call may take before it is given up (default SIDECAR_TIMEOUT_MS). */
  timeoutMs?: number
}

export interface SidecarClient {
  /** e.g. http://127.0.0.1:3500 */
  readonly baseUrl: string
  /**
   * Calls `path` (e.g. `/v1.0/publish/<pubsub>/<topic>`) and returns the sidecar's answer, whatever its status.
   * Throws only when no answer came: the sidecar is unreachable, or silent past the call's deadline.
   */
  call(path: string, options?: SidecarCall): Promise<Response>
}

/** The deadline of a sidecar call unless the caller sets one: well inside the relay's 30 s lease. */
export const SIDECAR_TIMEOUT_MS = 10_000

export class SidecarUnreachable extends Error {
  override name = 'SidecarUnreachable'
}

export function sidecarClient(address: SidecarAddress): SidecarClient {
  const baseUrl = `http://${address.host}:${address.port}`
  return {
    baseUrl,
    async call(path, options = {}) {
      // As the sidecar does with the envelope: the caller's span (the publish, the scheduling) is the parent of its own.
      const headers: Record<string, string> = { ...traceHeaders() }
      if (address.apiToken) headers['dapr-api-token'] = address.apiToken
      let body: string | undefined
      if (options.json !== undefined) {
        headers['content-type'] = options.contentType ?? 'application/json'
        body = JSON.stringify(options.json)
      }
      const method = options.method ?? (body === undefined ? 'GET' : 'POST')
      const timeoutMs = options.timeoutMs ?? SIDECAR_TIMEOUT_MS
      try {
        return await fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) })
      } catch (error) {
        const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error)
        throw new SidecarUnreachable(`the Dapr sidecar (${baseUrl}) did not answer ${method} ${path.split('?')[0]}: ${why}`)
      }
    },
  }
}

/** The app's sidecar, from its configuration; undefined without one (DAPR_HTTP_PORT unset). */
export function sidecarOf(env: { daprHost: string; daprHttpPort: number | undefined; daprApiToken: string | undefined }): SidecarClient | undefined {
  return env.daprHttpPort ? sidecarClient({ host: env.daprHost, port: env.daprHttpPort, apiToken: env.daprApiToken }) : undefined
}

/** The start of an answer's body, for an error message (never more than 200 characters). */
export const excerpt = async (res: Response) => (await res.text().catch(() => '')).slice(0, 200)

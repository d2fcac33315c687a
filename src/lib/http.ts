// The HTTP edge shared by every route, composed of small plugins (each in lib/edge/): request context, a deadline
// and a server span around each handler, body limits, error mapping and the access log.
import { Elysia } from 'elysia'
import type { Logger } from './log'
import { accessLog, type RequestDone } from './edge/access-log'
import { bodyLimits } from './edge/body-limits'
import { withDeadline } from './edge/deadline'
import { errorMapping, type HtmlError } from './edge/error-mapping'
import { requestContext } from './edge/request-context'
import { inServerSpan } from './edge/server-span'

export interface HttpOptions {
  log: Logger
  /** Renders an expected failure as HTML for the browser UI; returns undefined where JSON fits (the API). */
  htmlError?: HtmlError
  /** Headers every answer carries. */
  headers?: Record<string, string>
  /** Told of each finished request: the route template (never a raw path), status and duration. */
  onRequestDone?: RequestDone
  /** Run each request in a server span continuing an incoming W3C `traceparent` (when tracing is on). */
  tracing?: boolean
  /** Answer 503 when a request has no answer after this long (0: no deadline). */
  requestTimeoutMs?: number
}

/**
 * The outermost plugin: a request id on every answer and log line, JSON bodies under the 1 MB limit, every
 * error as `{ error: { code, message, field } }` (or the browser's HTML), and one log line per request.
 */
export const httpEdge = ({ log, htmlError, headers = {}, onRequestDone, tracing = false, requestTimeoutMs = 0 }: HttpOptions) =>
  new Elysia({ name: 'http-edge' })
    .wrap((handle, request: Request) =>
      withDeadline(request, tracing ? inServerSpan(request, handle) : handle, { ms: requestTimeoutMs, log, headers, htmlError }),
    )
    .use(requestContext({ log, headers }))
    .use(bodyLimits())
    .use(errorMapping({ htmlError }))
    .use(accessLog({ onRequestDone }))

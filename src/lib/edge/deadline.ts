// The request deadline: a request with no answer after a while gets 503 and Retry-After instead of hanging.
import { AppError } from '../errors'
import type { Logger } from '../log'
import { TookTooLong, withinTime } from '../within-time'
import { failureResponse, type HtmlError } from './error-mapping'
import { fromAppError } from './failure'
import { requestState } from './request-context'

/** Routes bounded by their own timeouts instead: a chat turn waits on the model (OPENAI_TIMEOUT_MS a call). */
const UNBOUNDED = /^\/(api\/v1\/)?chat(\/|$)/

export interface DeadlineOptions {
  ms: number
  log: Logger
  /** Headers every answer carries. */
  headers: Record<string, string>
  htmlError?: HtmlError
}

/**
 * `handle` bounded by the deadline. Past it the client is answered 503 with Retry-After while the work goes on
 * (a stuck database driver cannot be cancelled from here).
 */
export function withDeadline<H>(request: Request, handle: H, { ms, log, headers, htmlError }: DeadlineOptions): H {
  if (!ms || UNBOUNDED.test(new URL(request.url).pathname)) return handle
  return (async (...args: unknown[]) => {
    try {
      return await withinTime(Promise.resolve((handle as (...a: unknown[]) => unknown)(...args)), ms, 'request')
    } catch (error) {
      if (!(error instanceof TookTooLong)) throw error
      const state = requestState(request)
      if (state) state.timedOut = true
      ;(state?.log ?? log).error('request deadline passed', { method: request.method, path: new URL(request.url).pathname, ms })
      const failure = fromAppError(new AppError('unavailable', 'The service did not answer in time (a dependency may be down); try again shortly', undefined, 2))
      const response = failureResponse(request, failure, htmlError)
      response.headers.set('retry-after', '2')
      for (const [k, v] of Object.entries(headers)) response.headers.set(k, v)
      return response
    }
  }) as H
}

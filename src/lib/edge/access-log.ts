// The access log plugin: one line per request (route template, status, duration, user), its metrics and the end of its span.
import { Elysia } from 'elysia'
import { requestState } from './request-context'
import { endServerSpan } from './server-span'

/** Told of each finished request: the route template (never a raw path), status and duration. */
export type RequestDone = (request: { method: string; route: string; status: number; seconds: number }) => void

export const accessLog = ({ onRequestDone }: { onRequestDone?: RequestDone }) =>
  new Elysia({ name: 'access-log' }).onAfterResponse({ as: 'global' }, ({ request, set, route }) => {
    const state = requestState(request)
    if (!state) return
    // What the client got: a request answered by the deadline counts as the 503 it was, whenever its work ends.
    const status = state.timedOut ? 503 : typeof set.status === 'number' ? set.status : 200
    const ms = performance.now() - state.start
    // Unmatched paths share one label, so a scan of random URLs cannot grow the metrics.
    onRequestDone?.({ method: request.method, route: route || '(unmatched)', status, seconds: ms / 1000 })
    const fields = {
      method: request.method,
      route: route || new URL(request.url).pathname,
      status,
      duration_ms: Math.round(ms * 100) / 100,
      ...(state.userId ? { user_id: state.userId } : {}),
    }
    if (status >= 500) state.log.error('request', fields)
    else state.log.info('request', fields)
    endServerSpan(request, route || '(unmatched)', status)
  })

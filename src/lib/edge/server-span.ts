// The server span of each request (only while tracing is on): started around the handler, ended by the access log.
import { context, contextFrom, SpanKind, SpanStatusCode, trace, tracer, type Span } from '../tracing'

type Handle = (...args: unknown[]) => unknown

const spans = new WeakMap<Request, Span>()

/** `handle` run in a server span continuing an incoming W3C `traceparent`; `handle` itself when the trace is not sampled. */
export function inServerSpan<H>(request: Request, handle: H): H {
  const parent = contextFrom(request.headers)
  const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent)
  // Not sampled: nothing to record, so no async context either (its cost is most of tracing's).
  if (!span.isRecording()) return handle
  spans.set(request, span)
  const active = trace.setSpan(parent, span)
  return ((...args: unknown[]) => context.with(active, () => (handle as Handle)(...args))) as H
}

/** Names the request's span by its route template (never the raw path, as the semantic conventions ask) and ends it. */
export function endServerSpan(request: Request, route: string, status: number): void {
  const span = spans.get(request)
  if (!span) return
  span.updateName(`${request.method} ${route}`)
  span.setAttributes({ 'http.route': route, 'http.response.status_code': status })
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
  span.end()
}

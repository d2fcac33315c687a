// Spans through the OpenTelemetry API: no-ops until lib/otel.ts registers a tracer provider
// (OTEL_EXPORTER_OTLP_ENDPOINT), so code is instrumented everywhere at almost no cost when tracing is off.
import { context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span } from '@opentelemetry/api'

export { SpanKind, SpanStatusCode, type Span }

export const tracer = trace.getTracer('todo-chatbot')

/** What `inSpan` hands its function when it records nothing. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT)

let enabled = false
/** Whether a tracer provider is registered (lib/otel.ts); the HTTP edge wraps requests in spans only then. */
export const tracingEnabled = () => enabled
export const setTracingEnabled = (on: boolean) => {
  enabled = on
}

/** W3C trace context of `ctx` (default: the active one) as CloudEvent extension attributes or headers. */
export function traceHeaders(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {}
  propagation.inject(ctx, carrier)
  return carrier
}

const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')

/** A fresh W3C `traceparent` marked not sampled: what a delivery carries for an event no trace follows. */
export const unsampledTraceparent = () => `00-${hex(16)}-${hex(8)}-00`

/** The context a W3C `traceparent` (from a header or a CloudEvent) continues; the root when there is none. */
export function contextFrom(carrier: { traceparent?: unknown; tracestate?: unknown } | Headers | null | undefined): Context {
  if (!carrier) return ROOT_CONTEXT
  const get = (key: string) => (carrier instanceof Headers ? carrier.get(key) : carrier[key as 'traceparent']) ?? undefined
  const traceparent = get('traceparent')
  if (typeof traceparent !== 'string') return ROOT_CONTEXT
  const tracestate = get('tracestate')
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(typeof tracestate === 'string' ? { tracestate } : {}) })
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error))
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message.slice(0, 200) : undefined })
}

/**
 * Runs `fn` in a span, a child of `parent` or else of the active span; without a sampled trace above
 * it, it just runs `fn`. An exception marks the span failed and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  // Tracing off: no span, no context switch, next to no cost.
  if (!enabled) return fn(NO_SPAN)
  const parent = options.parent ?? context.active()
  // Spans belong to a trace a request (or an event's traceparent) started and sampled: outside one, or
  // inside one that is not sampled, nothing would be recorded, so skip the span and the context switch.
  const above = trace.getSpan(parent)
  if (!above) return fn(NO_SPAN)
  if (!(above.spanContext().traceFlags & TraceFlags.SAMPLED)) return fn(above)
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent)
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span))
  } catch (error) {
    fail(span, error)
    throw error
  } finally {
    span.end()
  }
}

/** A service function run in a span named `name` (the service layer's share of a trace). */
export function traced<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => inSpan(name, {}, () => fn(...args))
}

/** The active span's trace and span ids, for log lines (none when tracing is off). */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan()
  if (!span) return undefined
  const { traceId, spanId, traceFlags } = span.spanContext()
  // Sampled out or never started: nothing an operator could look up.
  if (!span.isRecording() && !(traceFlags & 1)) return undefined
  return { trace_id: traceId, span_id: spanId }
}

export { context, trace }

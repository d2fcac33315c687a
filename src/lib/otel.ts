// The OpenTelemetry SDK: a tracer provider exporting over OTLP/HTTP, registered only when an endpoint is
// configured (or a test passes its own exporter); W3C trace context in and out; async context per request.
import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace'
import { setTracingEnabled } from './tracing'

export interface TracingOptions {
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string
  serviceName: string
  serviceVersion?: string
  /** Share of new traces kept (a continued trace follows its parent's decision). */
  sampleRatio?: number
  /** Instead of OTLP (tests: an in-memory exporter, exported span by span). */
  exporter?: SpanExporter
}

export interface Tracing {
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>
}

/** Registers the global tracer provider; returns undefined (tracing stays off) without an endpoint or exporter. */
export function startTracing(options: TracingOptions): Tracing | undefined {
  if (!options.endpoint && !options.exporter) return undefined
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces` }) })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}) }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) }),
    spanProcessors: [processor],
  })
  const contextManager = new AsyncLocalStorageContextManager().enable()
  context.setGlobalContextManager(contextManager)
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  trace.setGlobalTracerProvider(provider)
  setTracingEnabled(true)
  return {
    async shutdown() {
      setTracingEnabled(false)
      await provider.shutdown()
      trace.disable()
      propagation.disable()
      context.disable()
    },
  }
}

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) names an OTLP/HTTP collector (README
 * "Monitoring"). When on, spans are exported in batches for:
 *
 * - every request the api serves (http server spans: POST /sinchCallbacks,
 *   POST /graphql, …),
 * - the services' own steps (`withSpan`: storing a callback, submitting a
 *   message to Sinch),
 * - every Postgres query (pg, through Prisma's driver adapter and the group
 *   commit alike),
 * - every call to Sinch (fetch, i.e. undici).
 *
 * Imported first by api/src/server.ts: the instrumentations patch http and pg
 * when they are loaded, so they must be registered before. When tracing is
 * off nothing of the SDK is loaded and `withSpan` calls its function directly.
 * OTEL_SERVICE_NAME names the service (delivery-desk-api by default); the
 * other OTEL_* variables of the exporter (headers, timeout) apply as usual.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api'

const endpoint = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT
export const tracingEnabled = Boolean(endpoint) && process.env.OTEL_SDK_DISABLED !== 'true'

let shutdownTracing: () => Promise<void> = async () => {}

if (tracingEnabled) {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node')
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation')
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http')
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici')
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg')
  /* eslint-enable @typescript-eslint/no-require-imports */

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'delivery-desk-api' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  })
  provider.register()
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not worth a trace each.
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz)(\?|$)/.test(req.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  })
  shutdownTracing = () => provider.shutdown()
}

/** Exports the spans still buffered (on shutdown). */
export function flushTracing(): Promise<void> {
  return shutdownTracing()
}

const tracer = trace.getTracer('delivery-desk')

/** Runs `fn` inside a span named `name` when tracing is on; calls it directly otherwise. */
export function withSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!tracingEnabled) return fn()
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return await fn()
    } catch (error) {
      span.recordException(error as Error)
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message })
      throw error
    } finally {
      span.end()
    }
  })
}

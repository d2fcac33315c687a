// The HTTP edge shared by every route: request ids, one log line per request, JSON bodies within limits, errors as JSON.
import { Elysia, ValidationError } from 'elysia'
import { AppError } from './errors'
import { failureOf, type SchemaIssue } from './validation'
import { notePeer } from './client-address'
import { isConnectionError } from './db-errors'
import { redirect, Redirect } from './htmx'
import type { Logger } from './log'
import { TookTooLong, withinTime } from './within-time'
import { context, contextFrom, SpanKind, SpanStatusCode, trace, tracer, type Span } from './tracing'

/** Largest request body we read (bytes). */
export const BODY_LIMIT = 1024 * 1024

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

interface RequestState {
  id: string
  start: number
  log: Logger
  userId?: string
  /** The client was already answered 503 by the request deadline: the log line and metrics say 503 too. */
  timedOut?: boolean
}

/** The server span of each request (only while tracing is on), ended with the request's log line. */
const spans = new WeakMap<Request, Span>()

/** Per-request facts kept outside Elysia's context, so even a request that failed to parse is logged with its id. */
const states = new WeakMap<Request, RequestState>()

export function requestState(request: Request): RequestState | undefined {
  return states.get(request)
}

/** Remembers who the request acts as, for its log line. */
export function noteUser(request: Request, userId: string): void {
  const state = states.get(request)
  if (state) state.userId = userId
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > BODY_LIMIT) throw new AppError('payload_too_large', `The body is larger than ${BODY_LIMIT} bytes`, 'body')
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > BODY_LIMIT) throw new AppError('payload_too_large', `The body is larger than ${BODY_LIMIT} bytes`, 'body')
  if (bytes.byteLength === 0) return undefined
  let text: string
  let value: unknown
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    value = JSON.parse(text)
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON', 'body')
  }
  // No request of ours nests deeply; a deep one would only cost stack in validation and error reporting.
  if (nestedDeeperThan(text, JSON_DEPTH_MAX)) throw new AppError('invalid_json', `The body nests deeper than ${JSON_DEPTH_MAX} levels`, 'body')
  return value
}

/** Deepest nesting of objects and arrays a JSON body may have. */
export const JSON_DEPTH_MAX = 32

/** Whether valid JSON `text` nests objects and arrays deeper than `max` (brackets inside strings do not count). */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > max) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

/** A NUL (PostgreSQL refuses it) or an unpaired surrogate (UTF-8 has no encoding for it). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The first field of `value` (a parsed body, query or path) holding text no database column can keep as sent. Keys count too. */
export function unstorableField(value: unknown, where: string): string | undefined {
  const stack: Array<[unknown, string]> = [[value, where]]
  while (stack.length) {
    const [item, field] = stack.pop()!
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return field
    } else if (Array.isArray(item)) {
      for (const element of item) stack.push([element, field])
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        const name = field === where ? key : field
        if (UNSTORABLE.test(key)) return name
        stack.push([element, name])
      }
    }
  }
  return undefined
}

/** `/title` → `title`; `/tags/3` → `tags`. */
function fieldOf(path: string | undefined, fallback: string): string {
  const first = path?.split('/').filter(Boolean)[0]
  return first ?? fallback
}

/** Maps a schema validation failure to our error shape, naming the field. */
function fromValidation(error: ValidationError): AppError {
  const all = error.all as Array<{ path?: string; summary?: string; message?: string; schema?: { error?: unknown } }>
  const where = error.type === 'query' ? 'query' : error.type === 'params' ? 'path' : 'body'
  // A zod schema's refusal (Standard Schema) is its first issue: the field and message the schema gave.
  const issue = error.valueError as SchemaIssue | undefined
  if (Array.isArray(issue?.path)) return failureOf([issue], where)
  // A body that is not an object at all (an array, plain text) is the body's fault, not a field's.
  if (where === 'body' && all.some((e) => !e.path)) {
    return new AppError('validation_failed', 'The body must be a JSON object (Content-Type: application/json)', 'body')
  }
  const first = all[0]
  const field = fieldOf(first?.path, where)
  const custom = typeof first?.schema?.error === 'string' ? first.schema.error : undefined
  let message = custom ?? first?.summary ?? first?.message ?? 'is invalid'
  if (first?.message === 'Unexpected property') {
    message = error.type === 'query' ? `${field} is not a parameter of this route` : `${field} is not a field of this request`
  } else if (!custom) {
    message = `${field}: ${message}`
  }
  return new AppError('validation_failed', message, field)
}

export interface HttpOptions {
  log: Logger
  /** Renders an expected failure as HTML for the browser UI; returns undefined where JSON fits (the API). */
  htmlError?: (request: Request, failure: AppError) => Response | undefined
  /** Headers every answer carries. */
  headers?: Record<string, string>
  /** Told of each finished request: the route template (never a raw path), status and duration. */
  onRequestDone?: (request: { method: string; route: string; status: number; seconds: number }) => void
  /** Run each request in a server span continuing an incoming W3C `traceparent` (when tracing is on). */
  tracing?: boolean
  /** Answer 503 when a request has no answer after this long (0: no deadline). */
  requestTimeoutMs?: number
}

/** Routes bounded by their own timeouts instead: a chat turn waits on the model (OPENAI_TIMEOUT_MS a call). */
const UNBOUNDED = /^\/(api\/v1\/)?chat(\/|$)/

/**
 * Runs `handle`; if it has not answered after `ms`, answers 503 with Retry-After instead. The work goes on (a
 * stuck database driver cannot be cancelled from here) but the client is not left waiting. PostgreSQL dropping
 * connections can leave a postgres.js query unsettled for good (porsager/postgres#1066, #1154, #1208).
 */
async function withDeadline(
  request: Request,
  handle: () => unknown,
  ms: number,
  log: Logger,
  headers: Record<string, string>,
  htmlError: HttpOptions['htmlError'],
): Promise<unknown> {
  try {
    return await withinTime(Promise.resolve(handle()), ms, 'request')
  } catch (error) {
    if (!(error instanceof TookTooLong)) throw error
    const failure = new AppError('unavailable', 'The service did not answer in time (a dependency may be down); try again shortly', undefined, 2)
    const state = states.get(request)
    if (state) state.timedOut = true
    ;(state?.log ?? log).error('request deadline passed', { method: request.method, path: new URL(request.url).pathname, ms })
    const response = htmlError?.(request, failure) ?? Response.json(failure.toJSON(), { status: failure.status })
    response.headers.set('retry-after', '2')
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v)
    return response
  }
}

/**
 * The outermost plugin: assigns a request id (or keeps a sane incoming `x-request-id`), parses
 * JSON bodies (also `application/cloudevents+json`) under the 1 MB limit, renders every error as
 * `{ error: { code, message, field } }`, and logs each request once with route, status and duration.
 */
export function httpEdge({ log, htmlError, headers = {}, onRequestDone, tracing = false, requestTimeoutMs = 0 }: HttpOptions) {
  const edge = new Elysia({ name: 'http-edge' })
  // Wraps the whole handler: a server span (when tracing), and a deadline so no request hangs on a stuck dependency.
  edge.wrap((handle, request: Request) => {
    let run = handle
    if (tracing) {
      const parent = contextFrom(request.headers)
      const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent)
      // Not sampled: nothing to record, so no async context either (its cost is most of tracing's).
      if (span.isRecording()) {
        spans.set(request, span)
        const active = trace.setSpan(parent, span)
        run = ((...args: unknown[]) => context.with(active, () => (handle as (...a: unknown[]) => unknown)(...args))) as typeof handle
      }
    }
    if (!requestTimeoutMs || UNBOUNDED.test(new URL(request.url).pathname)) return run
    return ((...args: unknown[]) => withDeadline(request, () => (run as (...a: unknown[]) => unknown)(...args), requestTimeoutMs, log, headers, htmlError)) as unknown as typeof handle
  })
  return edge
    .onRequest(({ request, set, server }) => {
      notePeer(request, server?.requestIP(request)?.address)
      const incoming = request.headers.get('x-request-id')
      const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
      states.set(request, { id, start: performance.now(), log: log.child({ request_id: id }) })
      set.headers['x-request-id'] = id
      Object.assign(set.headers, headers)
    })
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      const type = contentType.split(';')[0]!.trim().toLowerCase()
      if (type === 'application/json' || type === 'application/cloudevents+json' || type.endsWith('+json')) {
        return readJson(request)
      }
    })
    // Before any validation or handler: text that could not be stored as sent is refused, naming its field.
    .onTransform({ as: 'global' }, ({ body, query, params }) => {
      // A path segment that is not valid percent-encoded UTF-8 reaches us as null.
      for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
        if (typeof value !== 'string') throw new AppError('validation_failed', `${name} in the path is not valid percent-encoded UTF-8`, name)
      }
      for (const [value, where] of [[params, 'path'], [query, 'query'], [body, 'body']] as const) {
        const field = unstorableField(value, where)
        if (field) throw new AppError('validation_failed', `${field} must not contain NUL characters or unpaired surrogates`, field)
      }
    })
    .onError({ as: 'global' }, ({ code, error, request, set }) => {
      const state = states.get(request)
      if (error instanceof Redirect) return redirect(request, error.location)
      let failure: AppError
      if (error instanceof AppError) failure = error
      else if (error instanceof ValidationError && error.type !== 'response') failure = fromValidation(error)
      else if (code === 'PARSE') {
        // Our JSON reader's own failure (too large, not JSON) arrives wrapped in Elysia's ParseError.
        const cause = (error as { cause?: unknown }).cause
        failure = cause instanceof AppError ? cause : new AppError('invalid_json', 'The body could not be read', 'body')
      }
      else if (code === 'NOT_FOUND') failure = new AppError('not_found', 'No such route')
      else if (isConnectionError(error)) {
        state?.log.error('database unavailable', { error: error as Error })
        failure = new AppError('unavailable', 'The database is unavailable; try again shortly', undefined, 2)
      } else {
        state?.log.error('unhandled error', { error: error as Error })
        const page = htmlError?.(request, new AppError('unavailable', `Something went wrong (request ${state?.id ?? 'unknown'}). Please try again.`))
        if (page) return new Response(page.body, { status: 500, headers: page.headers })
        set.status = 500
        set.headers['content-type'] = 'application/json'
        return JSON.stringify({ error: { code: 'internal', message: `Something went wrong (request ${state?.id ?? 'unknown'})` } })
      }
      const page = htmlError?.(request, failure)
      if (page) return page
      set.status = failure.status
      if (failure.retryAfter) set.headers['retry-after'] = String(failure.retryAfter)
      if (failure.status === 401) set.headers['www-authenticate'] = 'Bearer realm="todo-chatbot"'
      set.headers['content-type'] = 'application/json'
      return JSON.stringify(failure.toJSON())
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, route }) => {
      const state = states.get(request)
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
      const span = spans.get(request)
      if (span) {
        // Named by the route template, as the semantic conventions ask (never the raw path).
        span.updateName(`${request.method} ${route || '(unmatched)'}`)
        span.setAttributes({ 'http.route': route || '(unmatched)', 'http.response.status_code': status })
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
        span.end()
      }
    })
}

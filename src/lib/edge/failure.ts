// Error mapping as a pure function: whatever a request threw, the status, JSON body and headers its client gets.
import { NotFoundError, ParseError, ValidationError } from 'elysia'
import { AppError, type ErrorCode } from '../errors'
import { isConnectionError } from '../db-errors'
import { failureOf, type SchemaIssue } from '../validation'

/** The JSON every failed request answers: `{ error: { code, message, field?, position? } }`. */
export interface FailureBody {
  error: { code: ErrorCode | 'internal'; message: string; field?: string; position?: number }
}

export interface Failure {
  status: number
  body: FailureBody
  headers?: Record<string, string>
  /** An error the client is not told about, to be logged with the request id (a lost database, a bug). */
  log?: { message: string; error: unknown }
}

export interface FailureContext {
  /** Named in a 500's message, so that a user's report leads to the log line. */
  requestId?: string
}

/**
 * Maps anything a request threw to its answer: our own expected failures as they are, schema validation
 * naming the field, unreadable bodies, unknown routes, a lost database as 503, and everything else as one
 * 500 that names the request id and hides the details (which `log` carries for the log line).
 */
export function toFailure(error: unknown, ctx: FailureContext = {}): Failure {
  const expected = expectedFailure(error)
  if (expected) return fromAppError(expected)
  if (isConnectionError(error)) {
    return { ...fromAppError(new AppError('unavailable', 'The database is unavailable; try again shortly', undefined, 2)), log: { message: 'database unavailable', error } }
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: `Something went wrong (request ${ctx.requestId ?? 'unknown'})` } },
    log: { message: 'unhandled error', error },
  }
}

/** The answer to an expected failure, with the headers its status calls for. */
export function fromAppError(failure: AppError): Failure {
  const headers: Record<string, string> = {}
  if (failure.retryAfter) headers['retry-after'] = String(failure.retryAfter)
  if (failure.status === 401) headers['www-authenticate'] = 'Bearer realm="todo-chatbot"'
  return { status: failure.status, body: failure.toJSON(), headers }
}

function expectedFailure(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error
  if (error instanceof ValidationError && error.type !== 'response') return fromValidation(error)
  if (error instanceof ParseError) {
    // Our JSON reader's own failure (too large, not JSON) arrives wrapped in Elysia's ParseError.
    return error.cause instanceof AppError ? error.cause : new AppError('invalid_json', 'The body could not be read', 'body')
  }
  if (error instanceof NotFoundError) return new AppError('not_found', 'No such route')
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

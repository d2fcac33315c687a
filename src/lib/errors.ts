// The one error type for expected failures, and its single mapping to an HTTP answer.

export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'quota_exceeded'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'unavailable'

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota_exceeded: 409,
  idempotency_key_reused: 422,
  rate_limited: 429,
  unavailable: 503,
}

/** An expected failure: services throw it, every face (REST, htmx, MCP, agent) renders it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds the caller should wait before retrying (429, 503). */
    readonly retryAfter?: number,
    /** More the client can act on, sent beside the message (a malformed filter's `position`). */
    readonly details?: Record<string, string | number>,
  ) {
    super(message)
    this.name = 'AppError'
  }

  get status(): number {
    return STATUS[this.code]
  }

  toJSON(): { error: { code: ErrorCode; message: string; field?: string; position?: number } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...this.details } }
  }
}

export const invalid = (field: string, message: string) => new AppError('validation_failed', message, field)
export const notFound = (what: string) => new AppError('not_found', `${what} not found`)

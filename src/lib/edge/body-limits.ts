// The body limits plugin: JSON bodies read within a size and a nesting depth, and text no column can store refused.
import { Elysia } from 'elysia'
import { AppError } from '../errors'

/** Largest request body we read (bytes). */
export const BODY_LIMIT = 1024 * 1024

/** Deepest nesting of objects and arrays a JSON body may have. */
export const JSON_DEPTH_MAX = 32

const tooLarge = () => new AppError('payload_too_large', `The body is larger than ${BODY_LIMIT} bytes`, 'body')

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > BODY_LIMIT) throw tooLarge()
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > BODY_LIMIT) throw tooLarge()
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

/**
 * Parses JSON bodies (also `application/cloudevents+json` and any `+json`) under the limits, and, before any
 * validation or handler, refuses text that could not be stored as sent, naming its field.
 */
export const bodyLimits = () =>
  new Elysia({ name: 'body-limits' })
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      const type = contentType.split(';')[0]!.trim().toLowerCase()
      if (type === 'application/json' || type === 'application/cloudevents+json' || type.endsWith('+json')) {
        return readJson(request)
      }
    })
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

// CSRF for cookie-authenticated requests: a token derived from the session secret (only the cookie's holder can
// compute it), or before sign-in a random double-submit cookie. Web pages and the cookie log-out both check it.
import { readCookie, SESSION_COOKIE } from '../../lib/cookies'
import { AppError } from '../../lib/errors'
import { sha256 } from '../../lib/secrets'
import { SESSION_PREFIX } from './service'

/** Before sign-in, forms carry a random token that must match this cookie (double submit). */
export const PRE_SESSION_COOKIE = 'csrf'
export const CSRF_FIELD = '_csrf'
export const CSRF_HEADER = 'x-csrf-token'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The session secret from the cookie, if it looks like one. */
export function sessionSecret(request: Request): string | undefined {
  const value = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
  return value?.startsWith(SESSION_PREFIX) ? value : undefined
}

/**
 * The CSRF token this browser's forms must carry: derived from the session secret when signed in
 * (only the cookie's holder can compute it), else the pre-session cookie's random value.
 */
export function csrfToken(request: Request): string | undefined {
  const secret = sessionSecret(request)
  if (secret) return sha256(`csrf:${secret}`)
  return readCookie(request.headers.get('cookie'), PRE_SESSION_COOKIE)
}

/** Refuses an unsafe request whose CSRF token (form field or header) does not match. */
export function verifyCsrf(request: Request, body: unknown): void {
  if (UNSAFE.has(request.method)) check(csrfToken(request), request, body)
}

/**
 * For the log-in and sign-up forms: the token must match the pre-session cookie, whatever session cookie the
 * browser still holds. A stale, expired or revoked session must never stand between a person and signing in.
 */
export function verifyPreSessionCsrf(request: Request, body: unknown): void {
  if (UNSAFE.has(request.method)) check(readCookie(request.headers.get('cookie'), PRE_SESSION_COOKIE), request, body)
}

function check(expected: string | undefined, request: Request, body: unknown): void {
  const field = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined
  const sent = request.headers.get(CSRF_HEADER) ?? (typeof field === 'string' ? field : undefined)
  if (!expected || !sent || !timingSafeEqual(expected, sent)) {
    throw new AppError('forbidden', 'This form has expired or did not come from this site. Reload the page and try again.')
  }
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

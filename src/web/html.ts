// HTML answers: content type, a per-response CSP nonce, security headers and compression in one place.
import { compress, preferredEncoding } from '../lib/compression'

/** A fresh nonce for one page's Content-Security-Policy. */
export const newNonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')

/** Only our own origin; scripts also by nonce; nothing may frame us. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Headers every answer carries (HTML or not). */
export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
}

const MIN_COMPRESS = 1024

export interface HtmlOptions {
  status?: number
  nonce: string
  headers?: Record<string, string>
}

/**
 * The HTML of JSX elements, joined. Our views are synchronous, so this is a string; a view that turned
 * asynchronous fails here, loudly, instead of sending "[object Promise]".
 */
export function render(...elements: JSX.Element[]): string {
  let html = ''
  for (const element of elements) {
    if (typeof element !== 'string') throw new TypeError('A view rendered asynchronously; views must be synchronous')
    html += element
  }
  return html
}

/** An HTML answer, compressed when the client accepts it and it is worth it. Pages are per user: never cached. */
export function htmlResponse(request: Request, body: string, options: HtmlOptions): Response {
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(options.nonce),
    vary: 'Accept-Encoding, HX-Request',
    ...options.headers,
  }
  let bytes: Uint8Array = new TextEncoder().encode(body)
  const encoding = bytes.byteLength >= MIN_COMPRESS ? preferredEncoding(request) : undefined
  if (encoding) {
    bytes = compress(bytes, encoding)
    headers['content-encoding'] = encoding
  }
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: options.status ?? 200, headers })
}

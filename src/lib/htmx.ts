// htmx request facts and the one redirect helper: HX-Redirect for htmx, 303 See Other for a plain form post.

/** True when htmx sent the request (it wants a fragment, not a page). */
export const isHtmx = (request: Request) => request.headers.get('hx-request') === 'true'

/** Thrown (or returned through `redirect`) to send the browser elsewhere. */
export class Redirect extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`)
    this.name = 'Redirect'
  }
}

/** The answer that takes the browser to `location`, whichever way the request came. */
export function redirect(request: Request, location: string): Response {
  if (isHtmx(request)) return new Response(null, { status: 200, headers: { 'hx-redirect': location } })
  return new Response(null, { status: 303, headers: { location } })
}

/** Only our own paths: `/x` yes; `//evil.example`, `/\evil`, `https://…` and anything odd no. */
export function safeLocalPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(value)) return fallback
  try {
    const url = new URL(value, 'http://local.invalid')
    if (url.origin !== 'http://local.invalid') return fallback
    return url.pathname + url.search + url.hash
  } catch {
    return fallback
  }
}

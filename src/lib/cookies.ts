// Reading and writing the session cookie: HttpOnly, SameSite=Lax, Secure when served over HTTPS.

export const SESSION_COOKIE = 'session'

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A value that is not valid percent-encoding is no cookie of ours: the request goes on as if it had none.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** True when the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isHttps(request: Request, trustProxy: boolean): boolean {
  if (new URL(request.url).protocol === 'https:') return true
  return trustProxy && request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ')
}

export const clearedSessionCookie = (secure: boolean) => sessionCookie('', 0, secure)

/** The client's address: the socket's, or the first X-Forwarded-For entry behind a trusted proxy. */
export function clientIp(request: Request, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded.slice(0, 64)
  }
  return socketAddress ?? 'unknown'
}

/** The origin people reach us at (behind a trusted proxy, from X-Forwarded-Proto and -Host), for links we hand out. */
export function publicOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url)
  if (!trustProxy) return url.origin
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : url.protocol.replace(':', '')
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim()
  const host = forwarded && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(forwarded) ? forwarded : url.host
  return `${proto}://${host}`
}

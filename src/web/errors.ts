// Failures as the browser UI shows them: a toast for htmx requests, a page for navigations.
import type { Failure } from '../lib/edge/failure'
import { csrfToken } from '../features/auth/csrf'
import { isHtmx } from '../lib/htmx'
import { ErrorPage } from '../../views/account'
import { ToastPartial } from '../../views/layout'
import { htmlResponse, newNonce, render } from './html'

/** Paths whose errors stay JSON: the API, operations and the docs. */
const JSON_PATHS = /^\/(api\/|healthz|readyz|metrics|openapi|events\/|dapr\/|job\/|mcp|assets\/|calendar\/)/

export function htmlError(request: Request, failure: Failure): Response | undefined {
  const path = new URL(request.url).pathname
  if (JSON_PATHS.test(path)) return undefined
  const htmx = isHtmx(request)
  if (!htmx && !(request.headers.get('accept') ?? '').includes('text/html')) return undefined
  const retryAfter = failure.headers?.['retry-after']
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {}
  const { code, message: said } = failure.body.error
  // An unexpected error's message names only the request id; a person is also told what to do.
  const message = code === 'internal' ? `${said}. Please try again.` : said
  if (htmx) {
    // Nothing is swapped where the request pointed; the message arrives as a toast.
    const body = render(ToastPartial({ message, csrf: '', kind: 'error' }))
    return htmlResponse(request, body, { nonce: newNonce(), status: failure.status, headers: { ...headers, 'hx-reswap': 'none' } })
  }
  const nonce = newNonce()
  const body = render(ErrorPage({ status: failure.status, message, nonce, csrf: csrfToken(request) ?? '' }))
  return htmlResponse(request, body, { nonce, status: failure.status, headers })
}

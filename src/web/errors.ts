// Expected failures as the browser UI shows them: a toast for htmx requests, a page for navigations.
import type { AppError } from '../lib/errors'
import { csrfToken } from '../features/auth/csrf'
import { isHtmx } from '../lib/htmx'
import { ErrorPage } from '../../views/account'
import { ToastPartial } from '../../views/layout'
import { htmlResponse, newNonce } from './html'

/** Paths whose errors stay JSON: the API, operations and the docs. */
const JSON_PATHS = /^\/(api\/|healthz|readyz|metrics|openapi|events\/|dapr\/|job\/|mcp|assets\/|calendar\/)/

export function htmlError(request: Request, failure: AppError): Response | undefined {
  const path = new URL(request.url).pathname
  if (JSON_PATHS.test(path)) return undefined
  const htmx = isHtmx(request)
  if (!htmx && !(request.headers.get('accept') ?? '').includes('text/html')) return undefined
  const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {}
  if (htmx) {
    // Nothing is swapped where the request pointed; the message arrives as a toast.
    const body = ToastPartial({ message: failure.message, csrf: '', kind: 'error' }) as string
    return htmlResponse(request, body, { nonce: newNonce(), status: failure.status, headers: { ...headers, 'hx-reswap': 'none' } })
  }
  const nonce = newNonce()
  const body = ErrorPage({ status: failure.status, message: failure.message, nonce, csrf: csrfToken(request) ?? '' }) as string
  return htmlResponse(request, body, { nonce, status: failure.status, headers })
}

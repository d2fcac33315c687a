// How a page handler answers: the fragment htmx asked for, or the plain request's page (or redirect), chosen in one place.
import { isHtmx } from '../lib/htmx'
import { htmlResponse, newNonce, render } from './html'

/** HTML to send: JSX elements (joined in order), with the status and headers that go with them. */
export interface View {
  html: JSX.Element | JSX.Element[]
  status?: number
  headers?: Record<string, string>
}

/** One way of answering. It gets the response's CSP nonce (a page puts it on its scripts) and gives a view or a ready Response (a redirect). */
export type Answer = (nonce: string) => View | Response | Promise<View | Response>

/**
 * Answers a page request: `htmx` for a request htmx sent (it wants the fragment to swap), `plain` for any other
 * (the whole page, or a redirect after a form post). One answer for both serves a route that has one shape.
 */
export async function respond(request: Request, answer: Answer | { htmx: Answer; plain: Answer }): Promise<Response> {
  const chosen = typeof answer === 'function' ? answer : isHtmx(request) ? answer.htmx : answer.plain
  const nonce = newNonce()
  const result = await chosen(nonce)
  if (result instanceof Response) return result
  const html = Array.isArray(result.html) ? render(...result.html) : render(result.html)
  return htmlResponse(request, html, { nonce, status: result.status, headers: result.headers })
}

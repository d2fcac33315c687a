// The error mapping plugin: every error a request throws answered once, through toFailure(), as JSON or as the browser's HTML.
import { Elysia } from 'elysia'
import { redirect, Redirect } from '../htmx'
import { toFailure, type Failure } from './failure'
import { requestState } from './request-context'

/** Renders a failure as HTML for the browser UI; returns undefined where JSON fits (the API). */
export type HtmlError = (request: Request, failure: Failure) => Response | undefined

/** The answer to a failure: the browser's page or fragment where `htmlError` gives one, else the JSON body. */
export function failureResponse(request: Request, failure: Failure, htmlError?: HtmlError): Response {
  const page = htmlError?.(request, failure)
  if (page) return page
  return new Response(JSON.stringify(failure.body), { status: failure.status, headers: { ...failure.headers, 'content-type': 'application/json' } })
}

/** Answers errors: a thrown Redirect sends the browser on; anything else is mapped by toFailure() and logged if it must be. */
export const errorMapping = ({ htmlError }: { htmlError?: HtmlError }) =>
  new Elysia({ name: 'error-mapping' }).onError({ as: 'global' }, ({ error, request, set }) => {
    let response: Response
    if (error instanceof Redirect) response = redirect(request, error.location)
    else {
      const state = requestState(request)
      const failure = toFailure(error, { requestId: state?.id })
      if (failure.log) state?.log.error(failure.log.message, { error: failure.log.error })
      response = failureResponse(request, failure, htmlError)
    }
    // The status the access log and metrics report, and the one Elysia keeps for an answer that says 200.
    set.status = response.status
    return response
  })

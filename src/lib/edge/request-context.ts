// The request context plugin: a request id (or a sane incoming `x-request-id`), the client's address, the start time.
import { Elysia } from 'elysia'
import { notePeer } from '../client-address'
import type { Logger } from '../log'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

export interface RequestState {
  id: string
  start: number
  log: Logger
  userId?: string
  /** The client was already answered 503 by the request deadline: the log line and metrics say 503 too. */
  timedOut?: boolean
}

/** Per-request facts kept outside Elysia's context, so even a request that failed to parse is logged with its id. */
const states = new WeakMap<Request, RequestState>()

export function requestState(request: Request): RequestState | undefined {
  return states.get(request)
}

/** Remembers who the request acts as, for its log line. */
export function noteUser(request: Request, userId: string): void {
  const state = states.get(request)
  if (state) state.userId = userId
}

/** Starts each request's state, answers with its `x-request-id`, and sets the headers every answer carries. */
export const requestContext = ({ log, headers = {} }: { log: Logger; headers?: Record<string, string> }) =>
  new Elysia({ name: 'request-context' }).onRequest(({ request, set, server }) => {
    notePeer(request, server?.requestIP(request)?.address)
    const incoming = request.headers.get('x-request-id')
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
    states.set(request, { id, start: performance.now(), log: log.child({ request_id: id }) })
    set.headers['x-request-id'] = id
    Object.assign(set.headers, headers)
  })

// Error mapping: toFailure() turns whatever a request threw into the status, JSON body and headers its client gets.
import { describe, expect, test } from 'bun:test'
import { Elysia, NotFoundError, ParseError, t, type TSchema } from 'elysia'
import { z } from 'zod'
import { AppError, invalid, notFound } from '../src/lib/errors'
import { toFailure } from '../src/lib/edge/failure'
import { httpEdge } from '../src/lib/http'
import { createLogger } from '../src/lib/log'
import { htmlError } from '../src/web/errors'

/** The error Elysia itself raises when `sent` fails `schema` as the route's `where` (a real ValidationError). */
async function validationError(where: 'body' | 'query' | 'response', schema: TSchema | z.ZodType, sent: unknown): Promise<unknown> {
  let caught: unknown
  // As createApp builds it: unknown properties refused, not silently dropped.
  const app = new Elysia({ normalize: false })
    .onError(({ error }) => {
      caught = error
      return 'caught'
    })
    .post('/', ({ body }) => (where === 'response' ? body : 'ok'), where === 'response' ? { response: schema } : { [where]: schema })
  const url = where === 'query' ? `http://localhost/?${new URLSearchParams(sent as Record<string, string>)}` : 'http://localhost/'
  await app.handle(new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(where === 'query' ? {} : sent) }))
  return caught
}

describe('expected failures keep their status, code, message and field', () => {
  test('invalid() is a 400 naming the field', () => {
    expect(toFailure(invalid('title', 'title must be 1 to 200 characters'))).toEqual({
      status: 400,
      body: { error: { code: 'validation_failed', message: 'title must be 1 to 200 characters', field: 'title' } },
      headers: {},
    })
  })

  test('not found, conflict and quota errors', () => {
    expect(toFailure(notFound('Task'))).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Task not found' } }, headers: {} })
    expect(toFailure(new AppError('conflict', 'Already there'))).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'Already there' } } })
    expect(toFailure(new AppError('quota_exceeded', 'at most 10', 'task_id'))).toMatchObject({ status: 409, body: { error: { code: 'quota_exceeded', field: 'task_id' } } })
  })

  test('a wait in seconds becomes Retry-After; a 401 names the Bearer scheme', () => {
    expect(toFailure(new AppError('rate_limited', 'Too many', undefined, 30)).headers).toEqual({ 'retry-after': '30' })
    expect(toFailure(new AppError('unauthorized', 'Send a token')).headers).toEqual({ 'www-authenticate': 'Bearer realm="todo-chatbot"' })
  })

  test('expected failures are not logged', () => {
    expect(toFailure(invalid('title', 'bad')).log).toBeUndefined()
  })
})

describe('schema validation names the field', () => {
  test('a custom message is kept as it is', async () => {
    const error = await validationError('body', t.Object({ title: t.String({ maxLength: 3, error: 'title must be 1 to 3 characters' }) }), { title: 'long' })
    expect(toFailure(error)).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', message: 'title must be 1 to 3 characters', field: 'title' } } })
  })

  test("any other message is prefixed with the field; an array element is its array's field", async () => {
    const failure = toFailure(await validationError('body', t.Object({ tags: t.Array(t.String()) }), { tags: ['a', 3] }))
    expect(failure.status).toBe(400)
    expect(failure.body.error.field).toBe('tags')
    expect(failure.body.error.message).toStartWith('tags: ')
  })

  test('an unknown field or query parameter is named as such', async () => {
    const body = await validationError('body', t.Object({ title: t.String() }, { additionalProperties: false }), { title: 'x', colour: 'red' })
    expect(toFailure(body).body.error).toEqual({ code: 'validation_failed', message: 'colour is not a field of this request', field: 'colour' })
    const query = await validationError('query', t.Object({ limit: t.Optional(t.String()) }, { additionalProperties: false }), { sort: 'x' })
    expect(toFailure(query).body.error).toEqual({ code: 'validation_failed', message: 'sort is not a parameter of this route', field: 'sort' })
  })

  test('a body that is not an object is the body’s fault', async () => {
    const error = await validationError('body', t.Object({ title: t.String() }), ['not', 'an', 'object'])
    expect(toFailure(error).body.error).toEqual({ code: 'validation_failed', message: 'The body must be a JSON object (Content-Type: application/json)', field: 'body' })
  })

  test("a zod schema's refusal names its field with the schema's message", async () => {
    const schema = z.object({ title: z.string().max(3, 'title must be 1 to 3 characters'), tags: z.array(z.string()).optional() }).strict()
    expect(toFailure(await validationError('body', schema, { title: 'long' })).body.error).toEqual({ code: 'validation_failed', message: 'title must be 1 to 3 characters', field: 'title' })
    expect(toFailure(await validationError('body', schema, { title: 'ok', tags: ['a', 3] })).body.error.field).toBe('tags')
    expect(toFailure(await validationError('body', schema, { title: 'ok', colour: 'red' })).body.error.field).toBe('colour')
  })

  test('our own answer failing its schema is our bug: a 500', async () => {
    const error = await validationError('response', t.Object({ id: t.String() }), { id: 1 })
    expect(toFailure(error, { requestId: 'r-1' }).status).toBe(500)
  })
})

describe('bodies that cannot be read', () => {
  test('too large: 413 naming the body', () => {
    const failure = toFailure(new ParseError(new AppError('payload_too_large', 'The body is larger than 1048576 bytes', 'body')))
    expect(failure).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large', field: 'body' } } })
  })

  test("not JSON: our reader's reason, or a plain one for Elysia's own parsers", () => {
    expect(toFailure(new ParseError(new AppError('invalid_json', 'The body is not valid JSON', 'body'))).body.error.message).toBe('The body is not valid JSON')
    expect(toFailure(new ParseError(new SyntaxError('Unexpected token')))).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'The body could not be read', field: 'body' } },
      headers: {},
    })
  })
})

test('an unknown route is a 404', () => {
  expect(toFailure(new NotFoundError())).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'No such route' } }, headers: {} })
})

test('a lost database is a 503 to retry in 2 s, logged', () => {
  const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  const failure = toFailure(lost)
  expect(failure).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } }, headers: { 'retry-after': '2' } })
  expect(failure.log).toEqual({ message: 'database unavailable', error: lost })
})

describe('anything else: one 500 that names the request and hides the details', () => {
  test('an Error', () => {
    const bug = new Error('column "secret_sauce" does not exist')
    const failure = toFailure(bug, { requestId: 'req-42' })
    expect(failure.status).toBe(500)
    expect(failure.body).toEqual({ error: { code: 'internal', message: 'Something went wrong (request req-42)' } })
    expect(failure.headers).toBeUndefined()
    expect(failure.log).toEqual({ message: 'unhandled error', error: bug })
  })

  test('a thrown non-Error, without a request id', () => {
    expect(toFailure('a string')).toMatchObject({ status: 500, body: { error: { code: 'internal', message: 'Something went wrong (request unknown)' } } })
  })
})

/** An app behind the edge with one failing route, and the log lines it writes. */
function failingApp(error: () => unknown) {
  const lines: Array<Record<string, unknown>> = []
  const app = new Elysia()
    .use(httpEdge({ log: createLogger('info', (line) => lines.push(JSON.parse(line))), htmlError }))
    .get('/boom', () => {
      throw error()
    })
  return { lines, get: (headers: Record<string, string> = {}) => app.handle(new Request('http://localhost/boom', { headers })) }
}

describe('through the edge, the browser gets the same failures as HTML', () => {
  test('htmx: a toast swapped into the toasts region, nothing where the request pointed', async () => {
    const { get } = failingApp(() => new AppError('conflict', 'Already <b>there</b>'))
    const res = await get({ accept: 'text/html', 'hx-request': 'true' })
    expect(res.status).toBe(409)
    expect(res.headers.get('hx-reswap')).toBe('none')
    const text = await res.text()
    expect(text).toStartWith('<hx-partial hx-target="#toasts"')
    expect(text).toContain('Already &lt;b&gt;there&lt;/b&gt;')
  })

  test('a 500 page tells the person what to do and hides the details', async () => {
    const { get } = failingApp(() => new Error('password=hunter2'))
    const res = await get({ accept: 'text/html' })
    const id = res.headers.get('x-request-id')
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const text = await res.text()
    expect(text).toContain(`Something went wrong (request ${id}). Please try again.`)
    expect(text).not.toContain('hunter2')
  })

  test('a rate limit keeps its Retry-After on the page', async () => {
    const { get } = failingApp(() => new AppError('rate_limited', 'Slow down', undefined, 7))
    const res = await get({ accept: 'text/html' })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
  })
})

test('through the edge: the 500 names the request id it answered with, and its log line carries what it hid', async () => {
  const { lines, get } = failingApp(() => new Error('password=hunter2 leaked into a message'))
  const res = await get()
  const id = res.headers.get('x-request-id')
  expect(res.status).toBe(500)
  expect(res.headers.get('content-type')).toBe('application/json')
  const text = await res.text()
  expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: `Something went wrong (request ${id})` } })
  expect(text).not.toContain('hunter2')
  const logged = lines.filter((line) => line.msg === 'unhandled error')
  expect(logged).toHaveLength(1)
  expect(logged[0]).toMatchObject({ level: 'error', request_id: id, error: { message: 'password=hunter2 leaked into a message' } })
})

// A task's fields and limits live in one schema (src/features/tasks/model.ts): REST, OpenAPI, MCP and the web form all follow it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { CreateReminderInput } from '../src/features/reminders/model'
import { CreateTaskInput, TITLE_MAX, UpdateTaskInput } from '../src/features/tasks/model'
import { testApp, type TestApp } from './helpers/app'
import { mcpClient } from './helpers/mcp'
import { browser, csrfOf } from './helpers/web'

let t: TestApp
let token: string
let csrf: string
let mcp: Client

const longest = 'x'.repeat(TITLE_MAX)
const tooLong = 'x'.repeat(TITLE_MAX + 1)

beforeAll(async () => {
  t = await testApp()
  ;({ token } = await t.signUp())
  csrf = csrfOf((await browser(t, 'GET', '/tasks', { session: token })).text)
  const { body: api } = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  mcp = await mcpClient(t, api.token, 'contract-test')
})
afterAll(async () => {
  await mcp.close()
  await t.dispose()
})

type ToolResult = { isError?: boolean; structuredContent?: { title?: string }; content: Array<{ text?: string }> }
const addTask = async (title: string) => (await mcp.callTool({ name: 'add_task', arguments: { title } })) as ToolResult

describe('the title limit, read from the schema module, holds on every face', () => {
  test('REST: create and PATCH accept the limit and refuse one more, naming title', async () => {
    const created = await t.call('POST', '/api/v1/tasks', { token, body: { title: longest } })
    expect(created.status).toBe(201)
    expect(created.body.title).toBe(longest)
    const refused = await t.call('POST', '/api/v1/tasks', { token, body: { title: tooLong } })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', field: 'title' })
    expect(refused.body.error.message).toContain(String(TITLE_MAX))
    const patched = await t.call('PATCH', `/api/v1/tasks/${created.body.id}`, { token, body: { title: tooLong } })
    expect(patched.status).toBe(400)
    expect(patched.body.error.field).toBe('title')
  })

  test('OpenAPI: the create and PATCH bodies say maxLength is the limit, and list exactly the schema fields', async () => {
    const { body: doc } = await t.call('GET', '/openapi/json')
    const bodyOf = (path: string, method: string) => doc.paths[path][method].requestBody.content['application/json'].schema
    const create = bodyOf('/api/v1/tasks', 'post')
    const update = bodyOf('/api/v1/tasks/{id}', 'patch')
    expect(create.properties.title.maxLength).toBe(TITLE_MAX)
    expect(update.properties.title.maxLength).toBe(TITLE_MAX)
    expect(Object.keys(create.properties).sort()).toEqual(Object.keys(CreateTaskInput.shape).sort())
    expect(Object.keys(update.properties).sort()).toEqual(Object.keys(UpdateTaskInput.shape).sort())
    expect(create.required).toEqual(['title'])
  })

  test('MCP: add_task says maxLength is the limit, accepts it and refuses one more, naming title', async () => {
    const { tools } = await mcp.listTools()
    const add = tools.find((tool) => tool.name === 'add_task')!
    expect((add.inputSchema.properties!.title as { maxLength: number }).maxLength).toBe(TITLE_MAX)
    const update = tools.find((tool) => tool.name === 'update_task')!
    expect((update.inputSchema.properties!.title as { maxLength: number }).maxLength).toBe(TITLE_MAX)
    const ok = await addTask(longest)
    expect(ok.isError).toBeFalsy()
    expect(ok.structuredContent!.title).toBe(longest)
    const refused = await addTask(tooLong)
    expect(refused.isError).toBe(true)
    expect(refused.content[0]!.text).toContain('title')
    expect(refused.content[0]!.text).toContain(String(TITLE_MAX))
  })

  test('the web form: its title input carries the limit, and a title one longer is refused on the form, naming title', async () => {
    const page = await browser(t, 'GET', '/tasks', { session: token })
    expect(page.text).toContain(`maxlength="${TITLE_MAX}"`)
    const ok = await browser(t, 'POST', '/tasks', { session: token, form: { title: longest, _csrf: csrf } })
    expect(ok.status).toBe(303)
    const refused = await browser(t, 'POST', '/tasks', { session: token, form: { title: tooLong, _csrf: csrf }, headers: { 'hx-request': 'true' } })
    expect(refused.status).toBe(422)
    expect(refused.text).toContain(`title must be at most ${TITLE_MAX} characters`)
    expect(refused.text).toMatch(/id="qa-title"[^>]*aria-invalid="true"/)
  })
})

test('an import: a row whose title is one longer than the limit is skipped, naming title and the limit; the limit itself imports', async () => {
  const res = await t.call('POST', '/api/v1/import', { token, body: { format: 'todoist-csv', file: `TYPE,CONTENT\ntask,${longest.slice(1)}y\ntask,${tooLong}\n` } })
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ created: 1, skipped: [{ line: 3, reason: `title must be at most ${TITLE_MAX} characters (got ${TITLE_MAX + 1})` }] })
})

describe('the reminder schema', () => {
  test('OpenAPI and MCP show the fields of the one schema', async () => {
    const { body: doc } = await t.call('GET', '/openapi/json')
    const body = doc.paths['/api/v1/tasks/{id}/reminders'].post.requestBody.content['application/json'].schema
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(CreateReminderInput.shape).sort())
    const { tools } = await mcp.listTools()
    const set = tools.find((tool) => tool.name === 'set_reminder')!
    // Beside the schema's fields: the task, and the idempotency key REST takes as a header.
    expect(Object.keys(set.inputSchema.properties!).sort()).toEqual(['task_id', 'idempotency_key', ...Object.keys(CreateReminderInput.shape)].sort())
  })
})

test('every JSON body the API takes is described in OpenAPI, fields included', async () => {
  const { body: doc } = await t.call('GET', '/openapi/json')
  const bodies: string[] = []
  for (const [path, operations] of Object.entries<Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.requestBody) continue
      bodies.push(`${method} ${path}`)
      expect(Object.keys(operation.requestBody.content?.['application/json']?.schema?.properties ?? {}).length, `${method} ${path}`).toBeGreaterThan(0)
    }
  }
  // The account routes lost theirs once (a route without parse: 'json'); they are listed here so that cannot recur unseen.
  expect(bodies).toEqual(expect.arrayContaining(['post /api/v1/auth/signup', 'post /api/v1/auth/login', 'patch /api/v1/me', 'post /api/v1/tokens', 'post /api/v1/chat', 'post /api/v1/tasks', 'post /api/v1/import']))
})

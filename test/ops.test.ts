// Operations: health and readiness, the OpenAPI document and page, request ids and structured logs, admin rights.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createApp } from '../src/app'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { PASSWORD, testApp, type TestApp } from './helpers/app'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.dispose())

describe('health', () => {
  test('/healthz answers 200 while the process is up', async () => {
    const res = await t.call('GET', '/healthz')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })

  test('/readyz answers 200 when the database answers', async () => {
    const res = await t.call('GET', '/readyz')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok', outbox: { pending: 0, oldest_age_seconds: 0 } } })
  })

  test('/readyz answers 503 when the database is gone, and API calls answer 503 instead of hanging', async () => {
    const down = await testApp()
    const { token } = await down.signUp()
    await down.database.close()
    const ready = await down.call('GET', '/readyz')
    expect(ready.status).toBe(503)
    expect(ready.body.checks.database).toBe('unreachable')
    const list = await down.call('GET', '/api/v1/tasks', { token })
    expect(list.status).toBe(503)
    expect(list.body.error.code).toBe('unavailable')
    expect(list.headers.get('retry-after')).toBe('2')
    expect((await down.call('GET', '/healthz')).status).toBe(200)
  })
})

describe('OpenAPI', () => {
  test('the document covers every route with its schemas', async () => {
    const res = await t.call('GET', '/openapi/json')
    expect(res.status).toBe(200)
    const doc = res.body as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string }>; responses?: Record<string, unknown> }>> }
    const expected: Record<string, string[]> = {
      '/healthz': ['get'],
      '/readyz': ['get'],
      '/api/v1/auth/signup': ['post'],
      '/api/v1/auth/login': ['post'],
      '/api/v1/auth/logout': ['post'],
      '/api/v1/me': ['get', 'patch'],
      '/api/v1/tokens': ['get', 'post'],
      '/api/v1/tokens/{id}': ['delete'],
      '/api/v1/tasks': ['get', 'post'],
      '/api/v1/tasks/{id}': ['get', 'patch', 'delete'],
      '/api/v1/tasks/{id}/complete': ['post'],
      '/api/v1/tasks/{id}/reopen': ['post'],
      '/api/v1/projects': ['get', 'post'],
      '/api/v1/projects/{id}': ['get', 'patch', 'delete'],
      '/api/v1/projects/{id}/members': ['get'],
      '/api/v1/projects/{id}/members/{userId}': ['patch', 'delete'],
      '/api/v1/projects/{id}/invitations': ['post'],
      '/api/v1/projects/{id}/invitations/{invitationId}': ['delete'],
      '/api/v1/invitations': ['get'],
      '/api/v1/invitations/{id}/accept': ['post'],
      '/api/v1/invitations/{id}/decline': ['post'],
    }
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort()).toEqual([...methods].sort())
      for (const m of methods) expect(Object.keys(doc.paths[path]![m]!.responses ?? {}).length).toBeGreaterThan(0)
    }
    expect(doc.paths['/api/v1/tasks']!.post!.requestBody).toBeDefined()
    const params = doc.paths['/api/v1/tasks']!.get!.parameters!.map((p) => p.name).sort()
    expect(params).toEqual(['cursor', 'due_date_from', 'due_date_to', 'filter', 'limit', 'order', 'parent_id', 'priority', 'project_id', 'search', 'sort', 'status', 'tags', 'top_level'])
    // Projects: a create body, the list's archived flag, the delete's tasks choice, and project_id on a task's bodies.
    expect(doc.paths['/api/v1/projects']!.post!.requestBody).toBeDefined()
    expect(doc.paths['/api/v1/projects']!.get!.parameters!.map((p) => p.name)).toEqual(['archived'])
    expect(doc.paths['/api/v1/projects/{id}']!.delete!.parameters!.map((p) => p.name)).toContain('tasks')
    expect(JSON.stringify(doc.paths['/api/v1/tasks']!.post!.requestBody)).toContain('project_id')
    expect(JSON.stringify(doc.paths['/api/v1/tasks/{id}']!.patch!.requestBody)).toContain('project_id')
    // Subtasks: a task reads its parent and progress, is created and moved with parent_id, and completing one takes a choice.
    const task = JSON.stringify(doc.paths['/api/v1/tasks/{id}']!.get!.responses)
    expect(task).toContain('parent_id')
    expect(task).toContain('subtasks')
    expect(JSON.stringify(doc.paths['/api/v1/tasks']!.post!.requestBody)).toContain('parent_id')
    expect(doc.paths['/api/v1/tasks/{id}/complete']!.post!.parameters!.map((p) => p.name)).toContain('children')
    // Sharing: the invitation and role bodies, the path parameters, and the 403 a member's refused change answers.
    expect(JSON.stringify(doc.paths['/api/v1/projects/{id}/invitations']!.post!.requestBody)).toContain('email')
    expect(JSON.stringify(doc.paths['/api/v1/projects/{id}/members/{userId}']!.patch!.requestBody)).toContain('role')
    expect(doc.paths['/api/v1/projects/{id}/members/{userId}']!.delete!.parameters!.map((p) => p.name).sort()).toEqual(['id', 'userId'])
    expect(doc.paths['/api/v1/projects/{id}/invitations/{invitationId}']!.delete!.parameters!.map((p) => p.name).sort()).toEqual(['id', 'invitationId'])
    for (const [path, method] of [['/api/v1/projects/{id}/invitations', 'post'], ['/api/v1/projects/{id}', 'patch'], ['/api/v1/tasks/{id}', 'patch'], ['/api/v1/tasks', 'post'], ['/api/v1/tasks/{id}/complete', 'post']] as const) {
      expect({ path, method, responses: Object.keys(doc.paths[path]![method]!.responses ?? {}) }).toEqual({ path, method, responses: expect.arrayContaining(['403']) })
    }
  })

  test('the interactive page loads Swagger UI from our own origin', async () => {
    const page = await t.call('GET', '/openapi')
    expect(page.status).toBe(200)
    expect(page.text).toContain('/openapi/assets/swagger-ui-bundle.js')
    expect(page.text).not.toContain('unpkg.com')
    // Our view, under the app's strict CSP: no inline script, the description escaped in its meta tags.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-")
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/)
    expect(page.text).toContain('<meta name="description" content="Tasks, accounts and API tokens. Authenticate with &#34;Authorization: Bearer <token>&#34; (a session')
    const js = await t.app.handle(new Request('http://localhost/openapi/assets/swagger-ui-bundle.js'))
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toContain('javascript')
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
    // Our start-up: Swagger UI's own dark theme when the person prefers dark (not the plugin's inverting filter,
    // whose contrast no checker can verify), and the plugin that fixes its copy button's markup.
    expect(page.text).not.toContain('invert(')
    const ours = await (await t.app.handle(new Request('http://localhost/openapi/assets/api-docs.js'))).text()
    expect(ours).toContain("classList.toggle('dark-mode'")
    expect(ours).toContain('plugins: [AccessibleDocs]')
    expect((await t.call('GET', '/openapi/assets/..%2Fpackage.json')).status).toBe(404)
  })
})

describe('requests and logs', () => {
  test('every answer carries a request id; a sane incoming one is kept', async () => {
    const fresh = await t.call('GET', '/healthz')
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const kept = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'lb-1234' } })
    expect(kept.headers.get('x-request-id')).toBe('lb-1234')
    const replaced = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces <script>' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('each request is logged once as JSON with request id, route template, status and duration', async () => {
    const { token, user } = await t.signUp()
    const created = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'logged' } })
    await t.call('GET', `/api/v1/tasks/${created.body.id}`, { token, headers: { 'x-request-id': 'trace-me' } })
    const lines = t.logs.filter((l) => l.request_id === 'trace-me')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'request', method: 'GET', route: '/api/v1/tasks/:id', status: 200, user_id: user.id })
    expect(typeof lines[0]!.duration_ms).toBe('number')
    expect(typeof lines[0]!.time).toBe('string')
  })

  test('unknown routes answer a JSON 404', async () => {
    const res = await t.call('GET', '/api/v1/nope')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  test('logs never contain passwords, tokens or session cookies', async () => {
    const { token } = await t.signUp()
    const api = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'secret-check' } })
    await t.call('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'hunter2hunter2' } })
    await t.call('GET', '/api/v1/me', { token: api.body.token, headers: { cookie: `session=${token}` } })
    const all = JSON.stringify(t.logs)
    for (const secret of [PASSWORD, 'hunter2hunter2', token, api.body.token, token.slice(4), api.body.token.slice(4)]) {
      expect(all).not.toContain(secret)
    }
  })
})

describe('admin rights', () => {
  test('go by account id, which nobody chooses: an account signed up as Admin@Example.com is refused, the listed id is let in', async () => {
    const boss = await t.signUp()
    const claimer = await t.signUp('Admin@Example.com')
    // The operator lists the boss's id (as GET /api/v1/me shows it), in any case.
    const env = loadEnv({ LOG_LEVEL: 'silent', ADMIN_USER_IDS: boss.user.id.toUpperCase() })
    const app = createApp({ env, database: t.database, log: createLogger('silent') })
    const reload = (token: string) => app.handle(new Request('http://localhost/admin/reload-secrets', { method: 'POST', headers: { authorization: `Bearer ${token}` } }))
    const refused = await reload(claimer.token)
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    // Past the admin check: this app has no secret store to reload from.
    const admitted = await reload(boss.token)
    expect(admitted.status).toBe(409)
    expect(((await admitted.json()) as { error: { message: string } }).error.message).toContain('No secret store')
  })
})

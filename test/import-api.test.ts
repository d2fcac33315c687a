// POST /api/v1/import over HTTP: a multipart upload or the file as the body, the report, and each refusal naming its field.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { IMPORT_BYTES_MAX, IMPORT_ROWS_MAX } from '../src/features/import/model'
import { testApp, type TestApp } from './helpers/app'
import { browser, csrfOf } from './helpers/web'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await testApp()
  ;({ token } = await t.signUp(undefined, { timezone: 'Europe/Berlin' }))
})
afterAll(() => t.dispose())

const fixture = (name: string) => Bun.file(new URL(`./fixtures/import/${name}`, import.meta.url)).text()

/** POSTs a multipart form to /api/v1/import; `file` is sent as a file upload. */
async function upload(fields: { format?: string; file?: string; project?: string }, as = token) {
  const form = new FormData()
  if (fields.format !== undefined) form.set('format', fields.format)
  if (fields.project !== undefined) form.set('project', fields.project)
  if (fields.file !== undefined) form.set('file', new File([fields.file], 'upload', { type: 'application/octet-stream' }))
  const res = await t.app.handle(new Request('http://localhost/api/v1/import', { method: 'POST', headers: as ? { authorization: `Bearer ${as}` } : {}, body: form }))
  return { status: res.status, body: (await res.json()) as any }
}

describe('POST /api/v1/import', () => {
  test('a Todoist export as multipart: 200 with the report; the same upload again is all duplicates', async () => {
    const file = await fixture('todoist-project.csv')
    const first = await upload({ format: 'todoist-csv', file })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ format: 'todoist-csv', created: 9, duplicates: 0 })
    expect(first.body.skipped).toContainEqual({ line: 14, reason: 'title must not be empty' })
    const again = await upload({ format: 'todoist-csv', file })
    expect(again.body).toMatchObject({ created: 0, duplicates: 9, skipped: first.body.skipped })
    const { body } = await t.call('GET', '/api/v1/tasks?search=oat milk', { token })
    expect(body.items.map((task: { title: string }) => task.title)).toEqual(['Buy oat milk'])
  })

  test('an iCalendar file as the body itself, with ?format=ics', async () => {
    const res = await t.call('POST', '/api/v1/import?format=ics', { token, raw: await fixture('tasks.ics'), headers: { 'content-type': 'text/calendar' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ format: 'ics', created: 4, duplicates: 0 })
    expect(res.body.skipped.map((s: { line: number }) => s.line)).toEqual([61, 67, 79])
  })

  test('a COMPLETED or DUE stamp the calendar does not have is a note in the report, not a 500', async () => {
    const raw = 'BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:odd-stamp\r\nSUMMARY:Odd stamp\r\nCOMPLETED:20241399T996099Z\r\nDUE;TZID=Europe/Berlin:20261332T250000\r\nEND:VTODO\r\nEND:VCALENDAR\r\n'
    const res = await t.call('POST', '/api/v1/import?format=ics', { token, raw, headers: { 'content-type': 'text/calendar' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ created: 1, skipped: [] })
    expect(res.body.notes.map((n: { note: string }) => n.note)).toEqual([
      'DUE "20261332T250000" is not a date; imported without a due date',
      'COMPLETED "20241399T996099Z" is not a date; imported as completed now',
    ])
  })

  test('JSON with the file as text', async () => {
    const res = await t.call('POST', '/api/v1/import', { token, body: { format: 'todoist-csv', file: 'TYPE,CONTENT,PRIORITY\ntask,Sent as JSON @api,4\n' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ created: 1, duplicates: 0, skipped: [] })
    const { body } = await t.call('GET', '/api/v1/tasks?search=Sent as JSON', { token })
    expect(body.items[0]).toMatchObject({ title: 'Sent as JSON', priority: 'high', tags: ['api'] })
  })

  test('project puts the tasks in a project of yours, by name or id (a Todoist export is one project, its rows do not say which)', async () => {
    const groceries = (await t.call('POST', '/api/v1/projects', { token, body: { name: 'Groceries' } })).body
    const byName = await upload({ format: 'todoist-csv', file: 'TYPE,CONTENT,PRIORITY\ntask,Buy apples,4\n', project: 'groceries' })
    expect(byName.body).toMatchObject({ created: 1 })
    const byId = await t.call('POST', `/api/v1/import?format=todoist-csv&project=${groceries.id}`, { token, raw: 'TYPE,CONTENT,PRIORITY\ntask,Buy pears,4\n', headers: { 'content-type': 'text/csv' } })
    expect(byId.body).toMatchObject({ created: 1 })
    const listed = await t.call('GET', `/api/v1/tasks?project_id=${groceries.id}&sort=title`, { token })
    expect(listed.body.items.map((task: { title: string }) => task.title)).toEqual(['Buy apples', 'Buy pears'])
    // Another project's export of a task alike ("Weekly review", every friday) is a task of that project, not a duplicate.
    const review = 'TYPE,CONTENT,DATE\ntask,Weekly review,every friday\n'
    const home = (await t.call('POST', '/api/v1/projects', { token, body: { name: 'Home' } })).body
    expect((await upload({ format: 'todoist-csv', file: review, project: 'Groceries' })).body).toMatchObject({ created: 1, duplicates: 0 })
    expect((await upload({ format: 'todoist-csv', file: review, project: 'Home' })).body).toMatchObject({ created: 1, duplicates: 0 })
    expect((await upload({ format: 'todoist-csv', file: review, project: 'Home' })).body).toMatchObject({ created: 0, duplicate_rows: [{ line: 2, reason: 'imported before' }] })
    expect((await t.call('GET', `/api/v1/tasks?project_id=${home.id}`, { token })).body.items.map((task: { title: string }) => task.title)).toEqual(['Weekly review'])
    // Unknown (or another user's), or archived: refused naming project, and nothing is imported.
    const { token: other } = await t.signUp()
    const theirs = (await t.call('POST', '/api/v1/projects', { token: other, body: { name: 'Theirs' } })).body
    for (const project of ['Nowhere', theirs.id]) {
      const res = await upload({ format: 'todoist-csv', file: 'TYPE,CONTENT,PRIORITY\ntask,Sneak in,4\n', project })
      expect({ project, status: res.status, field: res.body.error.field }).toEqual({ project, status: 400, field: 'project' })
    }
    await t.call('PATCH', `/api/v1/projects/${groceries.id}`, { token, body: { archived: true } })
    const archived = await upload({ format: 'todoist-csv', file: 'TYPE,CONTENT,PRIORITY\ntask,Too late,4\n', project: 'Groceries' })
    expect({ status: archived.status, field: archived.body.error.field }).toEqual({ status: 409, field: 'project' })
    expect((await t.call('GET', '/api/v1/tasks?search=Sneak in', { token: other })).body.items).toEqual([])
    expect((await t.call('GET', '/api/v1/tasks?search=Too late', { token })).body.items).toEqual([])
  })

  test('refusals are 4xx naming the field: format missing or unknown, file missing, not the format named', async () => {
    const noFormat = await upload({ file: 'TYPE,CONTENT\ntask,A\n' })
    expect(noFormat.status).toBe(400)
    expect(noFormat.body.error).toMatchObject({ code: 'validation_failed', field: 'format', message: 'format must be one of todoist-csv, ics' })
    expect((await upload({ format: 'trello', file: 'x' })).body.error.field).toBe('format')
    const noFile = await upload({ format: 'ics' })
    expect(noFile.status).toBe(400)
    expect(noFile.body.error.field).toBe('file')
    const wrong = await upload({ format: 'ics', file: await fixture('todoist-project.csv') })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error).toMatchObject({ field: 'file', message: 'file is not an iCalendar file: it has no BEGIN:VCALENDAR line' })
    const csvAsTodoist = await upload({ format: 'todoist-csv', file: 'name,due\nmilk,today\n' })
    expect(csvAsTodoist.body.error.message).toStartWith('file is not a Todoist CSV export')
  })

  test(`a file over ${IMPORT_BYTES_MAX} bytes answers 413, and over ${IMPORT_ROWS_MAX} rows 400, both naming the file and the limit`, async () => {
    const big = await upload({ format: 'todoist-csv', file: `TYPE,CONTENT\n${'x'.repeat(IMPORT_BYTES_MAX)}` })
    expect(big.status).toBe(413)
    expect(big.body.error).toMatchObject({ code: 'payload_too_large', field: 'file' })
    expect(big.body.error.message).toContain('1,000,000 bytes')
    const many = await upload({ format: 'todoist-csv', file: `TYPE,CONTENT\n${'task,x\n'.repeat(IMPORT_ROWS_MAX + 1)}` })
    expect(many.status).toBe(400)
    expect(many.body.error).toMatchObject({ field: 'file' })
    expect(many.body.error.message).toContain('5,000 rows')
  })

  test('without a token: 401', async () => {
    expect((await upload({ format: 'ics', file: 'BEGIN:VCALENDAR\nEND:VCALENDAR\n' }, '')).status).toBe(401)
  })

  test('OpenAPI describes the upload (format and file) and the report', async () => {
    const { body: doc } = await t.call('GET', '/openapi/json')
    const op = doc.paths['/api/v1/import'].post
    const form = op.requestBody.content['multipart/form-data'].schema
    expect(form.required).toEqual(['format', 'file'])
    expect(form.properties.format.enum).toEqual(['todoist-csv', 'ics'])
    expect(form.properties.format.description).toBe('todoist-csv (a Todoist project exported as CSV) or ics (an iCalendar file of VTODO to-dos)')
    expect(form.properties.file.format).toBe('binary')
    expect(form.properties.project.description).toContain('default the Inbox')
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties).sort()).toEqual(['created', 'duplicate_rows', 'duplicates', 'format', 'notes', 'skipped'])
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '413']))
  })
})

describe('the Settings form (POST /settings/import)', () => {
  /** Posts the form as a browser does: multipart, the session cookie, the page's CSRF token. */
  async function submit(session: string, fields: Record<string, string | File>) {
    const csrf = csrfOf((await browser(t, 'GET', '/settings', { session })).text)
    const form = new FormData()
    form.set('_csrf', csrf)
    for (const [name, value] of Object.entries(fields)) form.set(name, value)
    const res = await t.app.handle(new Request('http://localhost/settings/import', { method: 'POST', headers: { cookie: `session=${session}`, accept: 'text/html' }, body: form }))
    return { status: res.status, text: await res.text() }
  }

  test('Settings offers the form; an upload shows the report with each skipped line and why', async () => {
    const { token: session } = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const settings = await browser(t, 'GET', '/settings', { session })
    expect(settings.text).toContain('action="/settings/import" enctype="multipart/form-data"')
    const res = await submit(session, { format: 'ics', file: new File([await fixture('tasks.ics')], 'tasks.ics', { type: 'text/calendar' }) })
    expect(res.status).toBe(200)
    expect(res.text).toContain('4 tasks created, 0 rows already imported before, 3 rows skipped.')
    expect(res.text).toContain('Line 61:</span> <span>cancelled (STATUS:CANCELLED)</span>')
    expect(res.text).toContain('Line 72:')
    const again = await submit(session, { format: 'ics', file: new File([await fixture('tasks.ics')], 'tasks.ics') })
    expect(again.text).toContain('0 tasks created, 4 rows already imported before, 3 rows skipped.')
  })

  test('a file of the wrong kind is refused on the form with 400, the field marked; too large, 413', async () => {
    const { token: session } = await t.signUp()
    const wrong = await submit(session, { format: 'todoist-csv', file: new File(['hello'], 'notes.txt') })
    expect(wrong.status).toBe(400)
    expect(wrong.text).toContain('file is not a Todoist CSV export')
    expect(wrong.text).toMatch(/id="import-file"[^>]*aria-invalid="true"/)
    const big = await submit(session, { format: 'ics', file: new File(['x'.repeat(IMPORT_BYTES_MAX + 1)], 'big.ics') })
    expect(big.status).toBe(413)
    expect(big.text).toContain('at most 1,000,000 bytes')
  })
})

// Subtasks on the list pages, in-process: nested under their parents with the parent's progress, flat with their
// parent named under a search, paged by the tasks heading the list; indent, outdent and add a subtask from a row,
// refusals as a message naming the reason, and another person's tasks never reachable.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'
import { addTask, browser as browse, signedInPage } from './helpers/web'

let t: TestApp
let alice: { token: string; csrf: string }
let bob: { token: string; csrf: string }

const browser = (method: string, path: string, options: Parameters<typeof browse>[3] = {}) => browse(t, method, path, options)
const htmx = { 'hx-request': 'true' }

const signedIn = () => signedInPage(t)
const add = (who: { token: string }, body: Record<string, unknown>) => addTask(t, who, body)

const parentOf = async (who: { token: string }, id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token: who.token })).body.parent_id

/** The rows of a list page in order: each task's title with its indent ("  " a level). */
function rowsOf(html: string): string[] {
  const rows: string[] = []
  let indent = ''
  new HTMLRewriter()
    .on('li.task', { element: (el) => void (indent = '  '.repeat(Number(/indent-(\d)/.exec(el.getAttribute('class') ?? '')?.[1] ?? 0))) })
    .on('li.task .title', { text: (chunk) => void (chunk.text && rows.push(indent + chunk.text)) })
    .transform(html)
  return rows
}

/** The visible text of the elements matching `selector`, one string each. */
function textsOf(html: string, selector: string): string[] {
  const texts: string[] = []
  new HTMLRewriter()
    .on(selector, { element: () => void texts.push('') })
    .on(`${selector} *, ${selector}`, { text: (chunk) => void (texts[texts.length - 1] += chunk.text) })
    .transform(html)
  return texts.map((s) => s.replace(/\s+/g, ' ').trim())
}

/** A parent's progress mark: what the eye reads, and what a screen reader says. */
const progressOf = (html: string, id: string) => [...textsOf(html, `#progress-${id} [aria-hidden="true"]`), ...textsOf(html, `#progress-${id} .visually-hidden`)]

beforeAll(async () => {
  t = await testApp()
  alice = await signedIn()
  bob = await signedIn()
})
afterAll(() => t.dispose())

test('a list without a search shows subtasks under their parents, indented, the parent with its progress', async () => {
  const parent = await add(alice, { title: 'Move house' })
  const boxes = await add(alice, { title: 'Buy boxes', parent_id: parent })
  await add(alice, { title: 'Book a van', parent_id: parent })
  await add(alice, { title: 'Tape', parent_id: boxes })
  const done = await add(alice, { title: 'Cancel internet', parent_id: parent })
  await t.call('POST', `/api/v1/tasks/${done}/complete`, { token: alice.token })
  await add(alice, { title: 'Water plants' })

  const page = await browser('GET', '/tasks', { session: alice.token })
  expect(rowsOf(page.text)).toEqual(['Water plants', 'Move house', '  Buy boxes', '    Tape', '  Book a van'])
  expect(progressOf(page.text, parent)).toEqual(['1/3', '1 of 3 subtasks done'])
  expect(progressOf(page.text, boxes)).toEqual(['0/1', '0 of 1 subtask done'])

  // All tasks: the completed subtask too, in its place.
  const all = await browser('GET', '/tasks?status=all', { session: alice.token })
  expect(rowsOf(all.text)).toEqual(['Water plants', 'Move house', '  Buy boxes', '    Tape', '  Book a van', '  Cancel internet'])
  // Completed: the subtask stands on its own, naming its parent.
  const completed = await browser('GET', '/tasks?status=completed', { session: alice.token })
  expect(rowsOf(completed.text)).toEqual(['Cancel internet'])
  expect(textsOf(completed.text, '.parent-hint')).toEqual(['in Move house'])
})

test('a search lists matching tasks flat, each subtask naming its parent', async () => {
  const parent = await add(alice, { title: 'Garden party' })
  await add(alice, { title: 'Party lights', parent_id: parent })
  const page = await browser('GET', '/tasks?search=party', { session: alice.token })
  expect(rowsOf(page.text)).toEqual(['Party lights', 'Garden party'])
  expect(textsOf(page.text, '.parent-hint')).toEqual(['in Garden party'])
})

test('paging counts the tasks heading the list: a page ends after a parent with all its subtasks', async () => {
  const who = await signedIn()
  for (let i = 0; i < 51; i++) {
    const id = await add(who, { title: `Task ${String(i).padStart(2, '0')}` })
    if (i === 1) await add(who, { title: 'Step of 01', parent_id: id })
  }
  const first = await browser('GET', '/tasks?sort=title', { session: who.token })
  const rows = rowsOf(first.text)
  expect(rows.length).toBe(51)
  expect(rows.slice(0, 3)).toEqual(['Task 00', 'Task 01', '  Step of 01'])
  const more = /href="([^"]*cursor=[^"]*)"/.exec(first.text)![1]!.replaceAll('&amp;', '&')
  const next = await browser('GET', more, { session: who.token, headers: { ...htmx, 'hx-target': 'div#pager' } })
  expect(rowsOf(next.text)).toEqual(['Task 50'])
  // Its indent goes under the last task of the page before.
  const last = await t.call('GET', '/api/v1/tasks?search=Task%2049', { token: who.token })
  expect(next.text).toContain(`name="parent_id" value="${last.body.items[0].id}"`)
})

test('indent makes a task a subtask of the one above; outdent moves it a level up; the list reloads', async () => {
  const above = await add(alice, { title: 'Plan trip' })
  const task = await add(alice, { title: 'Book hotel' })
  const form = { _csrf: alice.csrf, back: '/tasks', parent_id: above }
  const indent = await browser('POST', `/tasks/${task}/indent`, { session: alice.token, form, headers: htmx })
  expect(indent.status).toBe(200)
  expect(indent.headers.get('hx-trigger')).toBe('tasks-changed')
  expect(indent.text).toContain('&quot;Book hotel&quot; is now a subtask of &quot;Plan trip&quot;.')
  expect(await parentOf(alice, task)).toBe(above)

  const outdent = await browser('POST', `/tasks/${task}/outdent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks' }, headers: htmx })
  expect(outdent.status).toBe(200)
  expect(outdent.text).toContain('&quot;Book hotel&quot; is now a top-level task.')
  expect(await parentOf(alice, task)).toBeNull()

  // Without script, the forms post and come back to the list.
  const plain = await browser('POST', `/tasks/${task}/indent`, { session: alice.token, form })
  expect(plain.status).toBe(303)
  expect(plain.headers.get('location')).toBe('/tasks')
})

test('a refused indent or outdent says why, and changes nothing', async () => {
  const top = await add(alice, { title: 'Level one' })
  const two = await add(alice, { title: 'Level two', parent_id: top })
  const three = await add(alice, { title: 'Level three', parent_id: two })
  const other = await add(alice, { title: 'Sibling with a subtree' })
  await add(alice, { title: 'Its child', parent_id: other })

  const tooDeep = await browser('POST', `/tasks/${other}/indent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', parent_id: three }, headers: htmx })
  expect(tooDeep.status).toBe(400)
  expect(tooDeep.text).toContain('subtasks nest at most 3 levels deep')
  expect(await parentOf(alice, other)).toBeNull()

  const nothingAbove = await browser('POST', `/tasks/${top}/indent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', parent_id: '' }, headers: htmx })
  expect(nothingAbove.status).toBe(400)
  expect(nothingAbove.text).toContain('&quot;Level one&quot; has no task above it at its level to become a subtask of')

  const topAlready = await browser('POST', `/tasks/${top}/outdent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks' }, headers: htmx })
  expect(topAlready.status).toBe(400)
  expect(topAlready.text).toContain('&quot;Level one&quot; is already a top-level task')

  // The task above on the list of all tasks may be another project's: an indent stays within the task's project.
  const work = (await t.call('POST', '/api/v1/projects', { token: alice.token, body: { name: 'Work' } })).body.id
  const elsewhere = await add(alice, { title: 'Work task', project_id: work })
  const across = await browser('POST', `/tasks/${other}/indent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', parent_id: elsewhere }, headers: htmx })
  expect(across.status).toBe(400)
  expect(across.text).toContain('are in different projects')
  expect(await parentOf(alice, other)).toBeNull()

  const cycle = await browser('POST', `/tasks/${top}/indent`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', parent_id: three }, headers: htmx })
  expect(cycle.status).toBe(400)
  expect(await parentOf(alice, top)).toBeNull()
})

test('a row adds a subtask, its line read like the quick add; a level-three row offers none', async () => {
  const parent = await add(alice, { title: 'Write report' })
  const res = await browser('POST', '/tasks', { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', parent_id: parent, title: 'Draft outline tomorrow !high #work' }, headers: htmx })
  expect(res.status).toBe(200)
  expect(res.headers.get('hx-trigger')).toBe('tasks-changed')
  expect(res.text).toContain('Added &quot;Draft outline&quot; under &quot;Write report&quot;.')
  const children = (await t.call('GET', `/api/v1/tasks?parent_id=${parent}`, { token: alice.token })).body.items
  expect(children.map((c: { title: string; priority: string; tags: string[]; due_date: string | null }) => [c.title, c.priority, c.tags, c.due_date !== null])).toEqual([['Draft outline', 'high', ['work'], true]])

  const two = children[0].id
  const three = await add(alice, { title: 'Deepest', parent_id: two })
  const page = await browser('GET', '/tasks', { session: alice.token })
  expect(page.text).toContain(`id="sub-${parent.slice(-12)}"`)
  expect(page.text).toContain(`id="sub-${two.slice(-12)}"`)
  expect(page.text).not.toContain(`id="sub-${three.slice(-12)}"`)
})

test('deleting a parent reloads the list, its subtasks gone with it; deleting a subtask updates the progress', async () => {
  const parent = await add(alice, { title: 'Old plan' })
  const step = await add(alice, { title: 'Old step', parent_id: parent })
  await add(alice, { title: 'Other step', parent_id: parent })
  const one = await browser('POST', `/tasks/${step}/delete`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks' }, headers: htmx })
  expect(progressOf(one.text, parent)).toEqual(['0/1', '0 of 1 subtask done'])
  const whole = await browser('POST', `/tasks/${parent}/delete`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks' }, headers: htmx })
  expect(whole.status).toBe(200)
  expect(whole.headers.get('hx-trigger')).toBe('tasks-changed')
  expect(rowsOf((await browser('GET', '/tasks', { session: alice.token })).text)).not.toContain('  Other step')
})

test('completing a subtask updates its parent\'s progress beside the row', async () => {
  const parent = await add(alice, { title: 'Bake bread' })
  const step = await add(alice, { title: 'Buy flour', parent_id: parent })
  await add(alice, { title: 'Knead', parent_id: parent })
  const res = await browser('POST', `/tasks/${step}/toggle`, { session: alice.token, form: { _csrf: alice.csrf, back: '/tasks', place: `1:` }, headers: htmx })
  expect(res.status).toBe(200)
  expect(res.text).toContain(`hx-target="#progress-${parent}"`)
  expect(progressOf(res.text, parent)).toEqual(['1/2', '1 of 2 subtasks done'])
  // The row keeps its indent and says which task it is under.
  expect(res.text).toContain('indent-1')
  expect(res.text).toContain('Subtask of &quot;Bake bread&quot;')
})

test("another person's task is never a parent, nor indented or outdented", async () => {
  const hers = await add(alice, { title: 'Alice only' })
  const his = await add(bob, { title: 'Bob task' })
  const under = await browser('POST', `/tasks/${his}/indent`, { session: bob.token, form: { _csrf: bob.csrf, back: '/tasks', parent_id: hers }, headers: htmx })
  expect(under.status).toBe(404)
  expect(await parentOf(bob, his)).toBeNull()
  const moveHers = await browser('POST', `/tasks/${hers}/outdent`, { session: bob.token, form: { _csrf: bob.csrf, back: '/tasks' }, headers: htmx })
  expect(moveHers.status).toBe(404)
  const addUnder = await browser('POST', '/tasks', { session: bob.token, form: { _csrf: bob.csrf, back: '/tasks', parent_id: hers, title: 'sneak' }, headers: htmx })
  expect(addUnder.status).toBe(404)
  expect(rowsOf((await browser('GET', '/tasks', { session: alice.token })).text)).not.toContain('  sneak')
})

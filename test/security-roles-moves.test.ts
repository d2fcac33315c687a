// Access by role, the edges: a move between projects checks both sides (the task's project and the one it goes to),
// and a member who is removed is refused from the very next request, on every route; a removal waits for a write of
// theirs under way (docs/architecture.md, "Access").
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { loadEnv } from '../src/env'
import { updateTask } from '../src/features/tasks/service'
import type { TestApp } from './helpers/app'
import { need, requires } from './helpers/requires'
import { stage, missingWorld, MISSING, share, snapshot, unshare, worldOf, type Cast, type Person } from './helpers/roles'
import { ROUTES } from './helpers/role-routes'

let t: TestApp
let cast: Cast

beforeAll(async () => {
  ;({ t, cast } = await stage())
}, 300_000)
afterAll(() => t.dispose())

const post = (who: Person, path: string, body: unknown) => t.call('POST', path, { token: who.token, body })
const patch = (who: Person, path: string, body: unknown) => t.call('PATCH', path, { token: who.token, body })

async function ownProject(who: Person, name: string): Promise<string> {
  return (await post(who, '/api/v1/projects', { name: `${name} ${crypto.randomUUID().slice(0, 8)}` })).body.id
}

describe('moves between projects check both sides', () => {
  test('a viewer cannot move a task out of the shared project into their own, on its own or under a task of theirs', async () => {
    const w = await worldOf(t, cast)
    const before = await snapshot(t, w)
    const theirs = await ownProject(cast.viewer, 'Viewer own')
    const { body: host } = await post(cast.viewer, '/api/v1/tasks', { title: 'viewer host', project_id: theirs })
    for (const [id, body] of [
      [w.plain, { project_id: theirs }],
      [w.parent, { project_id: theirs }],
      [w.child, { parent_id: null, project_id: theirs }],
      [w.plain, { parent_id: host.id }],
    ] as const) {
      const res = await patch(cast.viewer, `/api/v1/tasks/${id}`, body)
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 403, code: 'forbidden' })
    }
    expect(await snapshot(t, w)).toEqual(before)
  })

  test("an editor cannot move their own task into a project where they are a viewer: a 403 naming project_id (or parent_id, under one of its tasks)", async () => {
    const w = await worldOf(t, cast)
    const viewed = await ownProject(cast.owner, 'Viewed by the editor')
    await share(t, cast.owner, viewed, cast.editor, 'viewer')
    const { body: there } = await post(cast.owner, '/api/v1/tasks', { title: 'in the viewed project', project_id: viewed })
    const { body: own } = await post(cast.editor, '/api/v1/tasks', { title: 'editor own' })
    const moved = await patch(cast.editor, `/api/v1/tasks/${own.id}`, { project_id: viewed })
    expect({ status: moved.status, code: moved.body.error.code, field: moved.body.error.field }).toEqual({ status: 403, code: 'forbidden', field: 'project_id' })
    const nested = await patch(cast.editor, `/api/v1/tasks/${own.id}`, { parent_id: there.id })
    expect({ status: nested.status, code: nested.body.error.code, field: nested.body.error.field }).toEqual({ status: 403, code: 'forbidden', field: 'parent_id' })
    // Nor a task of the project they edit.
    const across = await patch(cast.editor, `/api/v1/tasks/${w.plain}`, { project_id: viewed })
    expect({ status: across.status, field: across.body.error.field }).toEqual({ status: 403, field: 'project_id' })
    expect((await t.call('GET', `/api/v1/tasks/${own.id}`, { token: cast.editor.token })).body).toEqual(own)
    expect((await t.call('GET', `/api/v1/tasks?project_id=${viewed}`, { token: cast.owner.token })).body.items.map((x: { id: string }) => x.id)).toEqual([there.id])
  })

  test('a stranger or an ex-member moving their task into the shared project, or under one of its tasks, gets what a missing one gets', async () => {
    const w = await worldOf(t, cast)
    const before = await snapshot(t, w)
    for (const who of [cast.stranger, cast.ex]) {
      const { body: own } = await post(who, '/api/v1/tasks', { title: 'outsider own' })
      for (const [field, id, missing] of [['project_id', w.project, MISSING], ['parent_id', w.parent, MISSING]] as const) {
        const [res, miss] = [await patch(who, `/api/v1/tasks/${own.id}`, { [field]: id }), await patch(who, `/api/v1/tasks/${own.id}`, { [field]: missing })]
        expect({ field, status: res.status, text: res.text }).toEqual({ field, status: miss.status, text: miss.text })
        expect({ field, status: res.status >= 400 && res.status < 500, named: res.body.error.field }).toEqual({ field, status: true, named: field })
      }
      expect((await t.call('GET', `/api/v1/tasks/${own.id}`, { token: who.token })).body).toEqual(own)
    }
    expect(await snapshot(t, w)).toEqual(before)
  })
})

describe('a removed member loses access at once', () => {
  test("an editor's next request after removal, on every route, gets what a missing id gets, and changes nothing", async () => {
    const w = await worldOf(t, cast)
    const missing = missingWorld(w)
    // The editor is at work in the project: their reads and a write pass.
    expect((await t.call('GET', `/api/v1/projects/${w.project}`, { token: cast.editor.token })).status).toBe(200)
    expect((await patch(cast.editor, `/api/v1/tasks/${w.plain}`, { priority: 'low' })).status).toBe(200)
    await unshare(t, cast.owner, w.project, cast.editor)
    const before = await snapshot(t, w)
    for (const [key, route] of Object.entries(ROUTES)) {
      if (route.need === 'unrelated') continue
      const method = key.split(' ')[0]!
      for (const c of route.calls) {
        const [res, miss] = [
          await t.call(method, c.path(w, cast.editor), { token: cast.editor.token, body: c.body?.(w) }),
          await t.call(method, c.path(missing, cast.editor), { token: cast.editor.token, body: c.body?.(missing) }),
        ]
        expect({ key, path: c.path(w, cast.editor), status: res.status, text: res.text }).toEqual({ key, path: c.path(w, cast.editor), status: miss.status, text: miss.text })
        expect(res.text).not.toContain(w.mark)
      }
    }
    expect(await snapshot(t, w)).toEqual(before)
  })

  // Two transactions at once need two connections: PGlite has one.
  requires('a removal beside a write under way, on two connections', need.postgres).test(
    "a removal waits for the editor's write under way, which lands as theirs; their next request gets what a missing id gets",
    async () => {
      const w = await worldOf(t, cast)
      const deps = { db: t.database.db, clock: () => new Date(), quotas: loadEnv({}).quotas }
      // The editor's write, held open after its change: it has read (and locked) their membership.
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      let changed!: () => void
      const inside = new Promise<void>((resolve) => (changed = resolve))
      const writing = t.database.db.transaction(async (tx) => {
        await updateTask({ ...deps, db: tx }, cast.editor, w.plain, { title: 'Written while being removed' })
        changed()
        await held
      })
      await inside
      let removed = false
      const removal = unshare(t, cast.owner, w.project, cast.editor).then(() => (removed = true))
      await Bun.sleep(500)
      expect({ removedDuringTheWrite: removed }).toEqual({ removedDuringTheWrite: false })
      release()
      await writing
      await removal
      expect(removed).toBe(true)
      const task = await t.call('GET', `/api/v1/tasks/${w.plain}`, { token: cast.owner.token })
      expect(task.body.title).toBe('Written while being removed')
      const [next, miss] = [await patch(cast.editor, `/api/v1/tasks/${w.plain}`, { title: 'After removal' }), await patch(cast.editor, `/api/v1/tasks/${MISSING}`, { title: 'After removal' })]
      expect({ status: next.status, text: next.text }).toEqual({ status: miss.status, text: miss.text })
      expect((await t.call('GET', `/api/v1/tasks/${w.plain}`, { token: cast.owner.token })).body.title).toBe('Written while being removed')
    },
    60_000,
  )
})

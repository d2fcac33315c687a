// Access by role on every REST route of tasks, projects, reminders, the audit log and sharing: the owner, an editor, a
// viewer, an ex-member and a stranger call each route on a shared project. The routes come from the OpenAPI document,
// so a new one fails here until it says who may call it. The rule (docs/architecture.md, "Access"): whoever cannot see
// the project gets the answer a missing id gets; a viewer reads, and any write of theirs is a 403 that changes nothing;
// an editor writes tasks, and managing the project (rename, archive, delete, sharing) is the owner's (a 403 to members).
// Reminders are personal: anyone who sees a task may set their own, and only its setter sees or cancels one. An
// invitation is answered only by the person it is addressed to.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Answer, TestApp } from './helpers/app'
import { ROUTES, type Call } from './helpers/role-routes'
import { stage, missingWorld, secrets, snapshot, worldOf, type Cast, type RoleName, type World } from './helpers/roles'

let t: TestApp
let cast: Cast

beforeAll(async () => {
  ;({ t, cast } = await stage())
}, 300_000)
afterAll(() => t.dispose())

const COVERED = /^\/api\/v1\/(tasks|projects|reminders|audit|invitations)(\/|$)/

async function call(role: RoleName, method: string, c: Call, w: World): Promise<Answer> {
  return t.call(method, c.path(w, cast[role]), { token: cast[role].token, body: c.body?.(w) })
}

const shown = (res: Answer, w: World) => res.text.includes(w.mark) || res.text.includes(w.reminder)


describe('every route, as each role', () => {
  test('the table names every task, project, reminder, audit and sharing route the OpenAPI document lists', async () => {
    const { body: doc } = await t.call('GET', '/openapi/json')
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => COVERED.test(path))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    expect(listed.sort()).toEqual(Object.keys(ROUTES).sort())
  })

  for (const [key, route] of Object.entries(ROUTES)) {
    const method = key.split(' ')[0]!
    test(`${key} (${route.need})`, async () => {
      const w = await worldOf(t, cast)
      const missing = missingWorld(w)
      // A member's personal things (their reminders) are theirs to change: the snapshot leaves them out.
      const mine = route.need === 'personal' ? [cast.editor, cast.viewer] : []
      const before = await snapshot(t, w, mine)
      for (const c of route.calls) {
        // Who cannot see the project gets what a missing id gets, and nothing of it.
        for (const role of ['ex', 'stranger'] as const) {
          const [res, miss] = [await call(role, method, c, w), await call(role, method, c, missing)]
          const where = { role, path: c.path(w, cast[role]) }
          if (route.need !== 'unrelated') expect({ ...where, status: res.status, text: res.text }).toEqual({ ...where, status: miss.status, text: miss.text })
          for (const secret of secrets(w)) expect({ ...where, leaks: res.text.includes(secret) ? secret : null }).toEqual({ ...where, leaks: null })
        }
        for (const role of ['editor', 'viewer'] as const) {
          // An editor's write changes the world: it runs below, in a world of its own.
          if (route.need === 'write' && role === 'editor') continue
          const res = await call(role, method, c, w)
          const where = { role, path: c.path(w, cast[role]), status: res.status }
          if (route.need === 'own' || route.need === 'write') expect({ ...where, code: res.body?.error?.code }).toEqual({ ...where, status: 403, code: 'forbidden' })
          else if (route.need === 'setter' || route.need === 'addressee') expect(where).toEqual({ ...where, status: (await call(role, method, c, missing)).status })
          else expect({ ...where, ok: res.status < 300 }).toEqual({ ...where, ok: true })
          // A refusal may name the project to a member (they see it); an answer shows only what their role may read.
          if (route.need === 'own' || route.need === 'write') continue
          if (route.shows) expect({ ...where, shows: shown(res, w) }).toEqual({ ...where, shows: route.shows.includes(role) })
          if (route.need === 'setter') expect(res.text).not.toContain(w.reminder)
        }
        // Reads as the owner show the project's things.
        if (route.need === 'read') {
          const res = await call('owner', method, c, w)
          expect({ path: c.path(w, cast.owner), status: res.status, shows: route.shows ? shown(res, w) : null }).toEqual({ path: c.path(w, cast.owner), status: 200, shows: route.shows ? route.shows.includes('owner') : null })
        }
      }
      // Only the owner's and the editor's writes (below, each in a world of its own) change anything.
      expect(await snapshot(t, w, mine)).toEqual(before)

      // An editor's write shows the call is one that writes; the owner's, for what only the owner may do.
      const writers: RoleName[] = route.need === 'write' ? ['editor'] : route.need === 'own' || route.need === 'setter' ? ['owner'] : []
      for (const role of writers) {
        for (const c of route.calls) {
          const fresh = await worldOf(t, cast)
          const untouched = await snapshot(t, fresh)
          const res = await call(role, method, c, fresh)
          const where = { role, path: c.path(fresh, cast[role]), status: res.status }
          expect({ ...where, ok: res.status < 300, changed: !Bun.deepEquals(await snapshot(t, fresh), untouched) }).toEqual({ ...where, ok: true, changed: true })
        }
      }
    })
  }
})

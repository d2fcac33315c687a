// Access by role on every page and form of tasks, projects, reminders and the planner (the routes come from the
// app, so a new one fails here until it says who may call it), as a browser sends them, htmx or not: the same rule as
// the REST routes (security-roles.test.ts). A form posting a list of ids (restore, reopen, bulk) refuses a viewer's
// batch as a whole (403) as it refuses one task, and treats a task the caller cannot see as an unknown id, as it treats
// another user's (security-access.test.ts): nothing changes.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { TestApp } from './helpers/app'
import type { Need } from './helpers/role-routes'
import { stage, missingWorld, MISSING, otherMember, secrets, snapshot, worldOf, type Cast, type Person, type RoleName, type World } from './helpers/roles'
import { browser } from './helpers/web'

let t: TestApp
let cast: Cast

beforeAll(async () => {
  ;({ t, cast } = await stage())
}, 300_000)
afterAll(() => t.dispose())

type Form = Record<string, string | string[]>

interface Page {
  need: Need
  calls: Array<{ path: (w: World, me: Person) => string; form?: (w: World, me: Person) => Form }>
  /** The roles whose page shows the project's things (its names); unchecked when absent. */
  shows?: RoleName[]
  /** Its owner's or editor's call changes nothing in a world (moving overdue tasks: a world has none). */
  quiet?: true
}

const READERS: RoleName[] = ['owner', 'editor', 'viewer']
const one = (path: (w: World, me: Person) => string, form?: (w: World, me: Person) => Form) => [{ path, form }]

/** Every page route under the prefixes below, by the app's route path. */
const PAGES: Record<string, Page> = {
  'GET /': { need: 'unrelated', calls: one(() => '/') },
  'GET /tasks': { need: 'read', calls: one((w) => `/tasks?project_id=${w.project}`), shows: READERS },
  'GET /projects': { need: 'read', calls: one(() => '/projects'), shows: READERS },
  'GET /projects/nav': { need: 'read', calls: one((w) => `/projects/nav?current=${w.project}`), shows: READERS },
  'GET /projects/:id': { need: 'read', calls: one((w) => `/projects/${w.project}`), shows: READERS },
  'GET /projects/:id/settings': { need: 'read', calls: one((w) => `/projects/${w.project}/settings`), shows: READERS },
  'GET /tasks/quick-preview': { need: 'unrelated', calls: one(() => '/tasks/quick-preview?title=buy+milk') },
  'GET /tasks/:id/item': { need: 'read', calls: one((w) => `/tasks/${w.child}/item`), shows: READERS },
  'GET /tasks/:id/edit': { need: 'read', calls: one((w) => `/tasks/${w.plain}/edit`), shows: READERS },
  // The offer to complete a task's subtasks too: to a viewer, as to anyone with none of the tasks to complete, a redirect back.
  'GET /tasks/complete': { need: 'ids', calls: one((w) => `/tasks/complete?ids=${w.parent}&back=/tasks`) },
  'GET /tasks/:id/reminders': { need: 'read', calls: one((w) => `/tasks/${w.reminded}/reminders`) },
  'GET /today': { need: 'read', calls: one((w) => `/today?project=${w.project}`) },
  'GET /upcoming': { need: 'read', calls: one((w) => `/upcoming?project=${w.project}`) },
  'GET /calendar': { need: 'read', calls: one((w) => `/calendar?project=${w.project}&month=2030-05`) },
  'GET /progress': { need: 'read', calls: one((w) => `/progress?project=${w.project}&days=7`) },
  'GET /audit': { need: 'read', calls: one((w) => `/audit?task_id=${w.parent}`) },
  'POST /tasks': {
    need: 'write',
    calls: [{ path: () => '/tasks', form: (w) => ({ title: 'added by a member', project_id: w.project }) }, { path: () => '/tasks', form: (w) => ({ title: 'a subtask by a member', parent_id: w.parent }) }],
  },
  'POST /tasks/:id': { need: 'write', calls: one((w) => `/tasks/${w.plain}`, () => ({ title: 'renamed by a member', priority: 'high' })) },
  'POST /tasks/:id/move': { need: 'write', calls: one((w) => `/tasks/${w.plain}/move`, (_, me) => ({ project_id: inboxes.get(me.id)! })) },
  'POST /tasks/:id/toggle': { need: 'write', calls: [{ path: (w) => `/tasks/${w.plain}/toggle` }, { path: (w) => `/tasks/${w.done}/toggle` }] },
  'POST /tasks/:id/delete': { need: 'write', calls: one((w) => `/tasks/${w.parent}/delete`) },
  'POST /tasks/:id/indent': { need: 'write', calls: one((w) => `/tasks/${w.plain}/indent`, (w) => ({ parent_id: w.parent })) },
  'POST /tasks/:id/outdent': { need: 'write', calls: one((w) => `/tasks/${w.child}/outdent`) },
  'POST /tasks/restore': { need: 'ids', calls: one(() => '/tasks/restore', (w) => ({ ids: [w.gone] })) },
  'POST /tasks/reopen': { need: 'ids', calls: one(() => '/tasks/reopen', (w) => ({ ids: [w.done] })) },
  'POST /tasks/bulk': {
    need: 'ids',
    calls: ['complete', 'delete'].map((action) => ({ path: () => '/tasks/bulk', form: (w: World) => ({ action, ids: [w.plain] }) })),
  },
  'POST /tasks/views': { need: 'unrelated', calls: one(() => '/tasks/views', () => ({ name: `view ${crypto.randomUUID()}`, query: 'p1' })) },
  'POST /tasks/views/:id/delete': { need: 'unrelated', calls: one(() => `/tasks/views/${MISSING}/delete`) },
  'POST /today/add': { need: 'write', calls: one(() => '/today/add', (w) => ({ title: 'today by a member', project: w.project })) },
  'POST /upcoming/add': { need: 'write', calls: one(() => '/upcoming/add', (w) => ({ title: 'upcoming by a member', project: w.project })) },
  'POST /today/move': { need: 'ids', quiet: true, calls: one(() => '/today/move', (w) => ({ ids: [w.reminded], to: 'today', project: w.project })) },
  'POST /upcoming/move': { need: 'write', calls: one(() => '/upcoming/move', (w) => ({ id: w.reminded, date: '2031-01-01', project: w.project })) },
  'POST /upcoming/complete': { need: 'write', calls: one(() => '/upcoming/complete', (w) => ({ id: w.plain, project: w.project })) },
  'POST /projects': { need: 'unrelated', calls: one(() => '/projects', () => ({ name: `Own ${crypto.randomUUID()}` })) },
  'POST /projects/:id': { need: 'own', calls: one((w) => `/projects/${w.project}`, () => ({ name: 'Taken over', color: 'red' })) },
  'POST /projects/:id/archive': { need: 'own', calls: one((w) => `/projects/${w.project}/archive`, () => ({ archived: 'true' })) },
  'POST /projects/:id/delete': {
    need: 'own',
    calls: ['delete', 'move'].map((tasks) => ({ path: (w: World) => `/projects/${w.project}/delete`, form: () => ({ tasks }) })),
  },
  'POST /projects/:id/members': { need: 'own', calls: one((w) => `/projects/${w.project}/members`, () => ({ email: `new-${crypto.randomUUID()}@example.com`, role: 'viewer' })) },
  'POST /projects/:id/members/:userId/role': { need: 'own', calls: one((w, me) => `/projects/${w.project}/members/${otherMember(w, me)}/role`, () => ({ role: 'viewer' })) },
  'POST /projects/:id/members/:userId/remove': { need: 'own', calls: one((w, me) => `/projects/${w.project}/members/${otherMember(w, me)}/remove`) },
  'POST /projects/:id/invitations/:invitationId/withdraw': { need: 'own', calls: one((w) => `/projects/${w.project}/invitations/${w.invitation}/withdraw`) },
  'POST /projects/:id/leave': { need: 'leave', calls: one((w) => `/projects/${w.project}/leave`) },
  'POST /invitations/:id/accept': { need: 'addressee', calls: one((w) => `/invitations/${w.invitation}/accept`) },
  'POST /invitations/:id/decline': { need: 'addressee', calls: one((w) => `/invitations/${w.invitation}/decline`) },
  'POST /tasks/:id/reminders': { need: 'personal', calls: one((w) => `/tasks/${w.reminded}/reminders`, () => ({ lead: '1h' })) },
  'POST /reminders/:id/cancel': { need: 'setter', calls: one((w) => `/reminders/${w.reminder}/cancel`) },
}

// The ICS feed (/calendar/:file) answers its secret URL, not a session: the calendar tests cover it.
const COVERED = /^\/(tasks|projects|reminders|today|upcoming|calendar|progress|audit|invitations)(\/(?!:file)|$)|^\/$/

/** Each person's Inbox: where a task they move out of the shared project goes. */
const inboxes = new Map<string, string>()

async function send(role: RoleName, method: string, c: Page['calls'][number], w: World, htmx: boolean) {
  const me = cast[role]
  const headers: Record<string, string> = htmx ? { 'hx-request': 'true', 'x-csrf-token': me.csrf } : {}
  const form = method === 'POST' ? { ...c.form?.(w, me), _csrf: me.csrf } : undefined
  return browser(t, method, c.path(w, me), { session: me.token, form, headers })
}

describe('every page and form, as each role', () => {
  beforeAll(async () => {
    for (const person of Object.values(cast)) {
      const { body } = await t.call('GET', '/api/v1/projects', { token: person.token })
      inboxes.set(person.id, body.items.find((p: { is_inbox: boolean }) => p.is_inbox).id)
    }
  })

  test('the table names every page route of tasks, projects, reminders and the planner', () => {
    const routes = (t.app as unknown as { routes: Array<{ method: string; path: string }> }).routes
    const listed = routes.filter((r) => COVERED.test(r.path)).map((r) => `${r.method} ${r.path}`)
    expect([...new Set(listed)].sort()).toEqual(Object.keys(PAGES).sort())
  })

  for (const [key, page] of Object.entries(PAGES)) {
    const method = key.split(' ')[0]!
    test(`${key} (${page.need})`, async () => {
      const w = await worldOf(t, cast)
      const missing = missingWorld(w)
      // A member's personal things (their reminders) are theirs to change: the snapshot leaves them out.
      const mine = page.need === 'personal' ? [cast.editor, cast.viewer] : []
      const before = await snapshot(t, w, mine)
      for (const c of page.calls) {
        for (const htmx of [false, true]) {
          for (const role of ['ex', 'stranger'] as const) {
            const [res, miss] = [await send(role, method, c, w, htmx), await send(role, method, c, missing, htmx)]
            const where = { role, htmx, path: c.path(w, cast[role]) }
            if (page.need !== 'unrelated') expect({ ...where, status: res.status }).toEqual({ ...where, status: miss.status })
            for (const secret of secrets(w)) expect({ ...where, leaks: res.text.includes(secret) ? secret : null }).toEqual({ ...where, leaks: null })
          }
          for (const role of ['editor', 'viewer'] as const) {
            if ((page.need === 'write' || page.need === 'ids') && role === 'editor') continue
            // Leaving ends the membership: a viewer's leaving runs below, in a world of its own.
            if (page.need === 'leave') continue
            const res = await send(role, method, c, w, htmx)
            const where = { role, htmx, path: c.path(w, cast[role]), status: res.status }
            if (page.need === 'own' || page.need === 'write' || page.need === 'ids') expect(where).toEqual({ ...where, status: 403 })
            else if (page.need === 'setter' || page.need === 'addressee') expect(where).toEqual({ ...where, status: (await send(role, method, c, missing, htmx)).status })
            else if (page.need === 'unrelated') expect({ ...where, ok: res.status < 500 }).toEqual({ ...where, ok: true })
            else expect({ ...where, ok: res.status < 400 }).toEqual({ ...where, ok: true })
            if (page.need === 'read' && page.shows) expect({ ...where, shows: res.text.includes(w.mark) }).toEqual({ ...where, shows: page.shows.includes(role) })
          }
        }
      }
      expect(await snapshot(t, w, mine)).toEqual(before)

      // An editor's write shows the form is one that writes; the owner's, for what only the owner may do.
      const writers: RoleName[] = page.need === 'write' || page.need === 'ids' ? ['editor'] : page.need === 'own' || page.need === 'setter' ? ['owner'] : page.need === 'leave' ? ['viewer'] : []
      for (const role of writers) {
        for (const c of page.calls) {
          const fresh = await worldOf(t, cast)
          const untouched = await snapshot(t, fresh)
          const res = await send(role, method, c, fresh, false)
          const where = { role, path: c.path(fresh, cast[role]) }
          expect({ ...where, ok: res.status < 400 }).toEqual({ ...where, ok: true })
          // A form over ids reads its refusals as unknown ids: that the writers' call changed something shows it is not empty.
          if ((page.need === 'ids' || page.need === 'leave') && method === 'POST') expect({ ...where, changed: !Bun.deepEquals(await snapshot(t, fresh), untouched) }).toEqual({ ...where, changed: !page.quiet })
        }
      }
    })
  }
})

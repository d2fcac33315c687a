// The REST routes the access tests by role call, each with what it needs of the caller's role in a shared project and
// how to call it on a world (test/helpers/roles.ts); security-roles.test.ts checks that it names every route.
import { otherMember, type Person, type RoleName, type World } from './roles'

/**
 * What a route needs of the caller's role in the project: read (any member), write (owner or editor), own (the
 * owner), personal (any member, acting on their own things only: their reminders), setter (the one who set it: the
 * owner's reminder here), ids (a write over a list of ids, or out of the trash: a viewer's batch is refused like a
 * write, and a task the caller cannot see reads as an unknown id, so a writer's call must be seen to change something), leave (a member ends their own membership), addressee (an invitation: only the person it
 * is addressed to, none of the cast, may answer it), or unrelated (it names no project or task: the caller's own things).
 */
export type Need = 'read' | 'write' | 'own' | 'personal' | 'setter' | 'ids' | 'leave' | 'addressee' | 'unrelated'

export interface Call {
  path: (w: World, me: Person) => string
  body?: (w: World) => unknown
}

export interface Route {
  need: Need
  calls: Call[]
  /** The roles whose answer shows the project's things (its names, or the owner's reminder); unchecked when absent. */
  shows?: RoleName[]
}

const READERS: RoleName[] = ['owner', 'editor', 'viewer']

/** Every route under the prefixes below, by OpenAPI path, with how to call it on a world. */
export const ROUTES: Record<string, Route> = {
  'GET /api/v1/tasks': { need: 'read', calls: [{ path: (w) => `/api/v1/tasks?project_id=${w.project}&status=pending,completed` }, { path: (w) => `/api/v1/tasks?parent_id=${w.parent}` }], shows: READERS },
  'POST /api/v1/tasks': {
    need: 'write',
    calls: [{ path: () => '/api/v1/tasks', body: (w) => ({ title: 'added by a member', project_id: w.project }) }, { path: () => '/api/v1/tasks', body: (w) => ({ title: 'a subtask by a member', parent_id: w.parent }) }],
  },
  'GET /api/v1/tasks/{id}': { need: 'read', calls: [{ path: (w) => `/api/v1/tasks/${w.child}` }], shows: READERS },
  'PATCH /api/v1/tasks/{id}': {
    need: 'write',
    calls: [
      { path: (w) => `/api/v1/tasks/${w.parent}`, body: () => ({ title: 'renamed by a member', priority: 'high' }) },
      { path: (w) => `/api/v1/tasks/${w.child}`, body: () => ({ parent_id: null }) },
      { path: (w) => `/api/v1/tasks/${w.plain}`, body: (w) => ({ parent_id: w.parent }) },
    ],
  },
  'DELETE /api/v1/tasks/{id}': { need: 'write', calls: [{ path: (w) => `/api/v1/tasks/${w.parent}` }] },
  'POST /api/v1/tasks/{id}/complete': { need: 'write', calls: [{ path: (w) => `/api/v1/tasks/${w.plain}/complete` }, { path: (w) => `/api/v1/tasks/${w.parent}/complete?children=complete` }] },
  'POST /api/v1/tasks/{id}/reopen': { need: 'write', calls: [{ path: (w) => `/api/v1/tasks/${w.done}/reopen` }] },
  'POST /api/v1/tasks/{id}/reminders': { need: 'personal', calls: [{ path: (w) => `/api/v1/tasks/${w.reminded}/reminders`, body: () => ({ lead: '1h' }) }] },
  'GET /api/v1/tasks/{id}/reminders': { need: 'read', calls: [{ path: (w) => `/api/v1/tasks/${w.reminded}/reminders` }], shows: ['owner'] },
  'GET /api/v1/reminders': { need: 'read', calls: [{ path: () => '/api/v1/reminders' }], shows: ['owner'] },
  'DELETE /api/v1/reminders/{id}': { need: 'setter', calls: [{ path: (w) => `/api/v1/reminders/${w.reminder}` }] },
  // Which entries a member reads is the audit log's rule, tested with it; here, that a stranger reads none.
  'GET /api/v1/audit': { need: 'read', calls: [{ path: (w) => `/api/v1/audit?task_id=${w.parent}` }] },
  'GET /api/v1/projects': { need: 'read', calls: [{ path: () => '/api/v1/projects' }], shows: READERS },
  'POST /api/v1/projects': { need: 'unrelated', calls: [{ path: () => '/api/v1/projects', body: () => ({ name: `Own project ${crypto.randomUUID()}` }) }] },
  'GET /api/v1/projects/{id}': { need: 'read', calls: [{ path: (w) => `/api/v1/projects/${w.project}` }], shows: READERS },
  'PATCH /api/v1/projects/{id}': {
    need: 'own',
    calls: [
      { path: (w) => `/api/v1/projects/${w.project}`, body: () => ({ name: 'Taken over' }) },
      { path: (w) => `/api/v1/projects/${w.project}`, body: () => ({ archived: true }) },
    ],
  },
  'GET /api/v1/projects/{id}/members': { need: 'read', calls: [{ path: (w) => `/api/v1/projects/${w.project}/members` }] },
  'POST /api/v1/projects/{id}/invitations': { need: 'own', calls: [{ path: (w) => `/api/v1/projects/${w.project}/invitations`, body: () => ({ email: `new-${crypto.randomUUID()}@example.com`, role: 'viewer' }) }] },
  'DELETE /api/v1/projects/{id}/invitations/{invitationId}': { need: 'own', calls: [{ path: (w) => `/api/v1/projects/${w.project}/invitations/${w.invitation}` }] },
  'PATCH /api/v1/projects/{id}/members/{userId}': { need: 'own', calls: [{ path: (w, me) => `/api/v1/projects/${w.project}/members/${otherMember(w, me)}`, body: () => ({ role: 'viewer' }) }] },
  // Removing another member is the owner's; removing oneself is leaving.
  'DELETE /api/v1/projects/{id}/members/{userId}': { need: 'own', calls: [{ path: (w, me) => `/api/v1/projects/${w.project}/members/${otherMember(w, me)}` }] },
  'GET /api/v1/invitations': { need: 'unrelated', calls: [{ path: () => '/api/v1/invitations' }] },
  'POST /api/v1/invitations/{id}/accept': { need: 'addressee', calls: [{ path: (w) => `/api/v1/invitations/${w.invitation}/accept` }] },
  'POST /api/v1/invitations/{id}/decline': { need: 'addressee', calls: [{ path: (w) => `/api/v1/invitations/${w.invitation}/decline` }] },
  'DELETE /api/v1/projects/{id}': { need: 'own', calls: [{ path: (w) => `/api/v1/projects/${w.project}?tasks=delete` }, { path: (w) => `/api/v1/projects/${w.project}?tasks=move` }] },
}


// The cast of the access tests by role: an owner with a shared project, an editor, a viewer, an ex-member and a
// stranger; a fresh project for them on demand, and a snapshot of everything in it to prove a refusal changed nothing.
import { asc, eq, inArray, or } from 'drizzle-orm'
import { answerInvitation, inviteMember, removeMember } from '../../src/features/projects/sharing'
import { projectInvitations, projectMembers, projects } from '../../src/features/projects/schema'
import { reminders } from '../../src/features/reminders/schema'
import { deletedTasks, tasks } from '../../src/features/tasks/schema'
import { testApp, type TestApp } from './app'
import { browser, csrfOf } from './web'

export const ROLES = ['owner', 'editor', 'viewer', 'ex', 'stranger'] as const
export type RoleName = (typeof ROLES)[number]

export interface Person {
  id: string
  email: string
  timezone: string
  /** A session token, also good as a bearer token. */
  token: string
  /** The CSRF token the person's pages carry. */
  csrf: string
}

export type Cast = Record<RoleName, Person>

/** One shared project and what is in it; every id is also a word to look for in an answer that should not show it. */
export interface World {
  project: string
  projectName: string
  /** A task with a subtask (`child`). */
  parent: string
  child: string
  /** A task due later, with the owner's reminder on it. */
  reminded: string
  reminder: string
  /** A pending task with nothing under it. */
  plain: string
  /** A completed task. */
  done: string
  /** A task the owner deleted (in the trash, restorable). */
  gone: string
  /** The editor's and the viewer's user ids. */
  editorId: string
  viewerId: string
  /** An invitation waiting (to an address with no account). */
  invitation: string
  /** The titles and name, each carrying this world's mark. */
  mark: string
}

/** An id nothing has. */
export const MISSING = '01a21411-0000-7000-8000-000000000000'

/** The same world with every id one nothing has: what a stranger's answer must match. */
export const missingWorld = (w: World): World => ({
  ...w,
  project: MISSING,
  parent: MISSING,
  child: MISSING,
  reminded: MISSING,
  reminder: MISSING,
  plain: MISSING,
  done: MISSING,
  gone: MISSING,
  editorId: MISSING,
  viewerId: MISSING,
  invitation: MISSING,
})

async function person(t: TestApp): Promise<Person> {
  const { token, user } = await t.signUp()
  const page = await browser(t, 'GET', '/tasks', { session: token })
  return { ...user, token, csrf: csrfOf(page.text) }
}

/** Five new accounts, one per role (the roles mean something only once a world is made for them). */
export async function castOf(t: TestApp): Promise<Cast> {
  const people: Person[] = []
  for (const _ of ROLES) people.push(await person(t))
  return Object.fromEntries(ROLES.map((role, i) => [role, people[i]!])) as Cast
}

/** A fresh test app with a cast in it: what each file of the access tests by role starts from. */
export async function stage(): Promise<{ t: TestApp; cast: Cast }> {
  const t = await testApp()
  return { t, cast: await castOf(t) }
}

const deps = (t: TestApp) => ({ db: t.database.db, clock: () => new Date() })

/** Shares `project` with `who` as `role`: the owner invites them and they accept. */
export async function share(t: TestApp, owner: Person, project: string, who: Person, role: 'editor' | 'viewer'): Promise<void> {
  const invitation = await inviteMember(deps(t), owner, project, { email: who.email, role })
  await answerInvitation(deps(t), who, invitation.id, true)
}

/** Ends `who`'s membership of `project`, as its owner. */
export async function unshare(t: TestApp, owner: Person, project: string, who: Person): Promise<void> {
  await removeMember(deps(t), owner, project, who.id)
}

/** The words of a world that must not reach someone who cannot see it. */
export const secrets = (w: World) => [w.mark, w.project, w.parent, w.child, w.reminded, w.reminder, w.plain, w.done, w.gone, w.invitation]

let worlds = 0

/** A new project of the cast's owner, shared with the editor and the viewer, and once with the ex-member (removed since). */
export async function worldOf(t: TestApp, cast: Cast): Promise<World> {
  worlds += 1
  const mark = `Sharedmark${worlds}x`
  const as = async (path: string, body: unknown, status = 201) => {
    const res = await t.call('POST', path, { token: cast.owner.token, body })
    if (res.status !== status) throw new Error(`${path} answered ${res.status}: ${res.text}`)
    return res.body
  }
  const project = (await as('/api/v1/projects', { name: `${mark} project` })).id as string
  await share(t, cast.owner, project, cast.editor, 'editor')
  await share(t, cast.owner, project, cast.viewer, 'viewer')
  await share(t, cast.owner, project, cast.ex, 'viewer')
  await unshare(t, cast.owner, project, cast.ex)
  const invitation = (await inviteMember(deps(t), cast.owner, project, { email: `nobody-${mark.toLowerCase()}@example.com`, role: 'viewer' })).id
  const task = async (title: string, extra: Record<string, unknown> = {}) => (await as('/api/v1/tasks', { title: `${mark} ${title}`, project_id: project, ...extra })).id as string
  const parent = await task('parent')
  const child = await task('child', { parent_id: parent })
  // Each world's reminder comes before the last one's, so a list of reminders soonest first starts with it.
  const reminded = await task('reminded', { due_date: new Date(Date.parse('2030-06-01T09:00:00Z') - worlds * 86_400_000).toISOString() })
  const reminder = (await as(`/api/v1/tasks/${reminded}/reminders`, { lead: '1d' })).id as string
  const plain = await task('plain')
  const done = await task('done')
  await as(`/api/v1/tasks/${done}/complete`, undefined, 200)
  const gone = await task('gone')
  const deleted = await t.call('DELETE', `/api/v1/tasks/${gone}`, { token: cast.owner.token })
  if (deleted.status !== 204) throw new Error(`deleting answered ${deleted.status}`)
  return { project, projectName: `${mark} project`, parent, child, reminded, reminder, plain, done, gone, editorId: cast.editor.id, viewerId: cast.viewer.id, invitation, mark }
}

/** The other of the world's members, to someone acting on a member: the viewer to the editor, else the editor. */
export const otherMember = (w: World, me: Person) => (me.id === w.editorId ? w.viewerId : w.editorId)

/**
 * Everything in a world as stored: the project, its members and invitations, its tasks and the reminders on them
 * (but the reminders and membership of `besides`: their own reminders are theirs to set, their membership to end).
 */
export async function snapshot(t: TestApp, w: World, besides: Person[] = []) {
  const db = t.database.db
  const ids = [w.parent, w.child, w.reminded, w.plain, w.done, w.gone]
  const taskRows = await db.select().from(tasks).where(or(eq(tasks.projectId, w.project), inArray(tasks.id, ids))).orderBy(asc(tasks.id))
  return {
    project: await db.select().from(projects).where(eq(projects.id, w.project)),
    members: (await db.select().from(projectMembers).where(eq(projectMembers.projectId, w.project)).orderBy(asc(projectMembers.userId))).filter((m) => !besides.some((p) => p.id === m.userId)),
    trash: await db.select().from(deletedTasks).where(inArray(deletedTasks.taskId, ids)),
    invitations: await db.select().from(projectInvitations).where(eq(projectInvitations.projectId, w.project)).orderBy(asc(projectInvitations.id)),
    tasks: taskRows,
    reminders: (await db.select().from(reminders).where(inArray(reminders.taskId, taskRows.map((r) => r.id))).orderBy(asc(reminders.id))).filter((r) => !besides.some((p) => p.id === r.userId)),
  }
}

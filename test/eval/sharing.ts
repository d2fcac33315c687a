// Shared projects in the evaluation: the other people a case names (each signed up under an address of its own per
// run, so cases never meet), the sharing a case starts from (invitations and members, either way), and the sharing
// after, read back as lines to compare. Seeded and read through the sharing service, as its owner or member would.
import type { Db } from '../../src/db/client'
import { answerInvitation, inviteMember, listMembers, myInvitations } from '../../src/features/projects/sharing'
import type { TestApp } from '../helpers/app'

/**
 * One share: a project of the case's user shared with `email`, or (with `owner`, one of the case's people) that
 * person's project shared with the user. `joined`: a member; otherwise an invitation waiting for an answer. `tasks`
 * are the owner's tasks in their project (title and priority), seeded by them.
 */
export interface EvalShare {
  project: string
  owner?: string
  email?: string
  role: 'editor' | 'viewer'
  joined: boolean
  tasks?: Array<{ title: string; priority?: 'high' | 'medium' | 'low'; project?: string }>
}

export interface Person {
  id: string
  token: string
  email: string
}

/** Each person's address for one run ("bob@example.com" → "bob+e12@example.com"), and back. */
export class Aliases {
  private readonly to = new Map<string, string>()
  constructor(people: readonly string[], run: number) {
    for (const p of people) {
      const [local, domain] = p.toLowerCase().split('@')
      this.to.set(p.toLowerCase(), `${local}+e${run}@${domain}`)
    }
  }
  of = (email: string) => this.to.get(email.toLowerCase()) ?? email.toLowerCase()
  /** A message as sent: each person's address as this run's. */
  outgoing = (text: string) => [...this.to].reduce((s, [from, to]) => s.replace(new RegExp(from.replace(/[.+]/g, '\\$&'), 'gi'), to), text)
  /** A reply or an address as read back: this run's addresses as the case wrote them. */
  incoming = (text: string) => [...this.to].reduce((s, [from, to]) => s.replace(new RegExp(to.replace(/[.+]/g, '\\$&'), 'gi'), from), text)
}

/** The projects of other people a case's shares name, which they own and seed. */
export const foreignProjects = (shares: readonly EvalShare[]) => new Set(shares.filter((s) => s.owner).map((s) => s.project.toLowerCase()))

/** Seeds the shares: invitations made as the owner, and accepted as the invited when `joined`. */
export async function seedSharing(app: TestApp, clock: () => Date, shares: readonly EvalShare[], user: Person, people: Map<string, Person>, own: Map<string, string>): Promise<void> {
  const deps = { db: app.database.db as Db, clock }
  const actor = (p: Person) => ({ id: p.id, timezone: 'UTC' })
  const made = new Map<string, string>()
  for (const share of shares) {
    const owner = share.owner ? people.get(share.owner.toLowerCase()) : user
    const invited = share.owner ? user : people.get((share.email ?? '').toLowerCase())
    if (!owner) throw new Error(`sharing: "${share.owner}" is not one of the case's people`)
    let projectId = share.owner ? made.get(`${owner.id} ${share.project}`) : [...own].find(([, name]) => name.toLowerCase() === share.project.toLowerCase())?.[0]
    if (!projectId && share.owner) {
      const res = await app.call('POST', '/api/v1/projects', { token: owner.token, body: { name: share.project } })
      if (res.status !== 201) throw new Error(`sharing: making "${share.project}" for ${share.owner}: ${res.status} ${res.text}`)
      projectId = res.body.id as string
      made.set(`${owner.id} ${share.project}`, projectId)
      for (const t of share.tasks ?? []) {
        const task = await app.call('POST', '/api/v1/tasks', { token: owner.token, body: { title: t.title, ...(t.priority ? { priority: t.priority } : {}), project_id: projectId } })
        if (task.status !== 201) throw new Error(`sharing: seeding "${t.title}": ${task.status} ${task.text}`)
      }
    }
    if (!projectId) throw new Error(`sharing: the user has no project "${share.project}"`)
    const email = share.owner ? user.email : (invited?.email ?? share.email!)
    const invitation = await inviteMember(deps, actor(owner), projectId, { email, role: share.role })
    if (!share.joined) continue
    if (!invited) throw new Error(`sharing: "${share.email}" joins, so must be one of the case's people`)
    await answerInvitation(deps, actor(invited), invitation.id, true)
  }
}

/** One line per member or invitation: `project | email | role | member` (a project of someone else's names its owner). */
export const shareKey = (s: EvalShare) => [s.project.toLowerCase(), s.owner ? `owner ${s.owner.toLowerCase()}` : (s.email ?? '').toLowerCase(), s.role, s.joined ? 'member' : 'invited'].join(' | ')

/** The sharing as it is: the members and invitations of the user's projects, and the projects shared with or offered to the user. */
export async function sharingState(app: TestApp, clock: () => Date, user: Person, aliases: Aliases): Promise<EvalShare[]> {
  const deps = { db: app.database.db as Db, clock }
  const actor = { id: user.id, timezone: 'UTC' }
  const page = await app.call('GET', '/api/v1/projects?archived=true', { token: user.token })
  if (page.status !== 200) throw new Error(`listing projects: ${page.status} ${page.text}`)
  const shares: EvalShare[] = []
  for (const p of page.body.items as Array<{ id: string; name: string; role?: string; owner_email?: string; is_inbox: boolean }>) {
    if (p.is_inbox) continue
    if (p.role && p.role !== 'owner') {
      shares.push({ project: p.name, owner: aliases.incoming(p.owner_email ?? ''), role: p.role as EvalShare['role'], joined: true })
      continue
    }
    const view = await listMembers(deps, actor, p.id)
    for (const m of view.members) if (m.role !== 'owner') shares.push({ project: p.name, email: aliases.incoming(m.email), role: m.role, joined: true })
    for (const i of view.invitations) shares.push({ project: p.name, email: aliases.incoming(i.email), role: i.role, joined: false })
  }
  for (const i of await myInvitations(deps, actor)) shares.push({ project: i.project_name, owner: aliases.incoming(i.invited_by), role: i.role, joined: false })
  return shares
}

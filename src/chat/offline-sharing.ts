// The offline agent's sharing requests, carried out through the sharing tools: inviting by email, saying who has
// access, taking someone off (by address, or by a name their address starts with), leaving a project shared with the
// user (asked first), and the user's invitations, listed, accepted or declined. A viewer's change to a task is refused
// here in plain words before any tool is called.
import type { ToolContext } from '../mcp/tool'
import { listProjects } from '../features/projects/service'
import type { AgentTurn } from './offline-state'
import { call, type Task } from './offline-find'
import type { SharingRequest } from './offline-sharing-read'
import { SHARING_REPLIES, type Access, type Offer } from './offline-sharing-words'
import type { Lang, PendingSharing } from './offline-state'
import { titles } from './offline-words'
import type { ToolCallRecord } from './schema'

const why = (res: { result: Record<string, unknown>; text: string }) => (res.result.error as { message?: string } | undefined)?.message ?? res.text

type Member = { user_id: string; email: string; role: Access['role'] }
type Invitation = { email: string; role: 'editor' | 'viewer'; project_name: string; invited_by: string }

/** The part of an address a person goes by: "bob" of "bob@example.com" (and of "bob+work@example.com"). */
const nameOf = (email: string) => email.toLowerCase().split('@')[0]!.split('+')[0]!

/**
 * Carries out a sharing request. Answers nothing (undefined) for "remove X from P" when nobody with access goes by X,
 * so the words can be read as a task instead ("remove milk from Groceries").
 */
export async function onSharing(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, request: SharingRequest): Promise<AgentTurn | undefined> {
  const words = SHARING_REPLIES[lang]
  const done = (reply: string): AgentTurn => ({ reply, toolCalls: calls })
  switch (request.action) {
    case 'invite': {
      const res = await call(ctx, calls, 'share_project', { project: request.project, email: request.email, role: request.role })
      if (!res.ok) return done(words.failed(why(res)))
      const project = await projectName(ctx, request.project)
      const said = res.result.shared === 'role_changed' ? words.roleChanged : words.invited
      return done(said(String(res.result.email), project, res.result.role as 'editor' | 'viewer'))
    }
    case 'members': {
      const res = await call(ctx, calls, 'list_project_members', { project: request.project })
      if (!res.ok) return done(words.failed(why(res)))
      const people: Access[] = [
        ...(res.result.members as Member[]).map((m) => ({ email: m.email, role: m.role, invited: false, you: m.user_id === ctx.user.id })),
        ...(res.result.invitations as Invitation[]).map((i) => ({ email: i.email, role: i.role, invited: true, you: false })),
      ]
      return done(words.members(await projectName(ctx, request.project), people))
    }
    case 'remove':
      return remove(ctx, calls, lang, request.project, request.who)
    case 'leave': {
      const res = await call(ctx, calls, 'list_project_members', { project: request.project })
      if (!res.ok) return done(words.failed(why(res)))
      const project = await projectName(ctx, request.project)
      if (res.result.your_role === 'owner') return done(words.ownLeave(project))
      const owner = (res.result.members as Member[]).find((m) => m.role === 'owner')?.email ?? ''
      return { reply: words.askLeave(project, owner), toolCalls: calls, state: { sharing: { action: 'leave', project } } }
    }
    case 'accept':
    case 'decline':
      return answerInvitation(ctx, calls, lang, request.action === 'accept', request.project)
    case 'invitations': {
      const res = await call(ctx, calls, 'list_invitations', {})
      if (!res.ok) return done(words.failed(why(res)))
      return done(words.invitations(offersOf(res.result)))
    }
  }
}

/** The "yes" to leaving a project. */
export async function confirmSharing(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingSharing, lang: Lang): Promise<AgentTurn> {
  const words = SHARING_REPLIES[lang]
  const res = await call(ctx, calls, 'leave_project', { project: pending.project })
  return { reply: res.ok ? words.left(String(res.result.project_name)) : words.failed(why(res)), toolCalls: calls }
}

const offersOf = (result: Record<string, unknown>): Offer[] => (result.items as Invitation[]).map((i) => ({ project: i.project_name, from: i.invited_by, role: i.role }))

/** Ends someone's access: by address at once; by a name, the one person with access whose address starts with it. */
async function remove(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, ref: string, who: string): Promise<AgentTurn | undefined> {
  const words = SHARING_REPLIES[lang]
  const done = (reply: string): AgentTurn => ({ reply, toolCalls: calls })
  let email = who.includes('@') ? who : undefined
  if (!email) {
    const res = await call(ctx, calls, 'list_project_members', { project: ref })
    if (!res.ok) return undefined
    const everyone = [...(res.result.members as Member[]).filter((m) => m.role !== 'owner'), ...(res.result.invitations as Invitation[])].map((m) => m.email)
    const named = everyone.filter((e) => nameOf(e) === who.toLowerCase() || e.toLowerCase() === who.toLowerCase())
    if (named.length === 0) return undefined
    if (named.length > 1) return done(words.whichMember(who, named))
    email = named[0]!
  }
  const res = await call(ctx, calls, 'unshare_project', { project: ref, email })
  if (!res.ok) return done(words.failed(why(res)))
  const project = await projectName(ctx, ref)
  return done(res.result.removed === 'member' ? words.removed(email, project) : words.withdrawn(email, project))
}

/** Accepts or declines the invitation to `project`, or the only one there is when none is named. */
async function answerInvitation(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, accept: boolean, project?: string): Promise<AgentTurn> {
  const words = SHARING_REPLIES[lang]
  const done = (reply: string): AgentTurn => ({ reply, toolCalls: calls })
  let ref = project
  if (!ref) {
    const res = await call(ctx, calls, 'list_invitations', {})
    if (!res.ok) return done(words.failed(why(res)))
    const offers = offersOf(res.result)
    if (offers.length !== 1) return done(offers.length ? words.whichInvitation(offers) : words.invitations(offers))
    ref = offers[0]!.project
  }
  const res = await call(ctx, calls, 'answer_invitation', { invitation: ref, accept })
  if (!res.ok) return done(words.failed(why(res)))
  const name = String(res.result.project_name)
  return done(accept ? words.accepted(name, res.result.role as 'editor' | 'viewer') : words.declined(name))
}

/** A project's name as the user's list spells it (the words' spelling when it is not there). */
async function projectName(ctx: ToolContext, ref: string): Promise<string> {
  const all = await listProjects(ctx, ctx.user, { archived: true })
  return all.find((p) => p.name.toLowerCase() === ref.toLowerCase())?.name ?? ref
}

/**
 * A change to `tasks` the user may not make, in words: those in projects shared with them as a viewer (the rest may
 * go ahead). Read quietly, as the project names are.
 */
export async function viewerRefusal(ctx: ToolContext, tasks: readonly Task[], lang: Lang): Promise<string | undefined> {
  const viewing = new Map((await listProjects(ctx, ctx.user, { archived: true })).filter((p) => p.role === 'viewer').map((p) => [p.id, p.name]))
  if (viewing.size === 0) return undefined
  const refused = tasks.filter((t) => t.project_id && viewing.has(t.project_id))
  if (refused.length === 0 || refused.length < tasks.length) return undefined
  return SHARING_REPLIES[lang].viewerOnly(titles(refused.map((t) => t.title), lang), viewing.get(refused[0]!.project_id!)!)
}

// Sharing a project in a test, through the sharing service itself: the owner invites, the member accepts; and a removal.
import { answerInvitation, inviteMember, removeMember } from '../../src/features/projects/sharing'
import type { TestApp } from './app'

export interface Person {
  token: string
  user: { id: string; email: string; timezone: string }
}

const depsOf = (t: TestApp) => ({ db: t.database.db, clock: () => new Date() })

/** A new project of `owner`'s, shared with each of `members` in the given role; answers its id. */
export async function sharedProject(t: TestApp, owner: Person, members: Array<[Person, 'editor' | 'viewer']>, name = `Shared ${crypto.randomUUID().slice(0, 8)}`): Promise<string> {
  const made = await t.call('POST', '/api/v1/projects', { token: owner.token, body: { name } })
  if (made.status !== 201) throw new Error(`project not made: ${made.status} ${made.text}`)
  for (const [member, role] of members) {
    const invitation = await inviteMember(depsOf(t), owner.user, made.body.id, { email: member.user.email, role })
    await answerInvitation(depsOf(t), member.user, invitation.id, true)
  }
  return made.body.id
}

/** `by` removes `member` from the project (the owner), or `member` leaves (by themself). */
export function removeFrom(t: TestApp, by: Person, projectId: string, member: Person): Promise<void> {
  return removeMember(depsOf(t), by.user, projectId, member.user.id)
}

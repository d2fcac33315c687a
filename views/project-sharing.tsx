// Sharing a project in the browser: the owner's Sharing card (invite, members with their roles, invitations waiting),
// a member's read-only list with Leave, and the invitations a person answers (docs/ui.md, "Shared projects").
import { Html } from './html'
import { MEMBER_ROLES, type InvitationView, type MembersView } from '../src/features/projects/sharing-model'
import type { ProjectListItem } from '../src/features/projects/model'
import type { FormError } from '../src/web/forms'

const ROLE_WORD = { owner: 'owner', editor: 'editor', viewer: 'viewer' } as const

/** What each role may do, said where a role is chosen. */
const ROLE_HINT = 'Editors add and change the tasks; viewers only read them. Only you manage the project and who has access.'

const Csrf = ({ csrf }: { csrf: string }) => <input type="hidden" name="_csrf" value={csrf} />

function RoleOptions({ current }: { current?: string }) {
  return (
    <>
      {MEMBER_ROLES.map((role) => (
        <option value={role} selected={role === (current ?? 'editor')}>
          {ROLE_WORD[role]}
        </option>
      ))}
    </>
  )
}

/** What the Sharing card shows again after a refusal: the address and role sent, and the message. */
export interface InviteShown {
  email?: string
  role?: string
  error: FormError
}

/**
 * The owner's Sharing card: a box to invite by email as editor or viewer, each member with a role select and Remove,
 * and the invitations waiting with Withdraw. The Inbox has none (it cannot be shared).
 */
export function SharingCard({ project, members, csrf, shown }: { project: ProjectListItem; members: MembersView; csrf: string; shown?: InviteShown }) {
  const base = `/projects/${project.id}`
  const others = members.members.filter((m) => m.role !== 'owner')
  return (
    <section class="card sharing" aria-labelledby="ps-sharing">
      <h2 id="ps-sharing">Sharing</h2>
      <form method="post" action={`${base}/members`} class="stack">
        <Csrf csrf={csrf} />
        <label for="ps-invite-email">Invite by email</label>
        <div class="line">
          <input id="ps-invite-email" type="email" name="email" value={shown?.email ?? ''} required autocomplete="off" placeholder="name@example.com" aria-invalid={shown?.error ? 'true' : undefined} aria-describedby={shown?.error ? 'ps-invite-hint ps-invite-error' : 'ps-invite-hint'} />
          <label for="ps-invite-role" class="visually-hidden">Role</label>
          <select id="ps-invite-role" name="role" class="fit">
            <RoleOptions current={shown?.role} />
          </select>
          <button type="submit">Invite</button>
        </div>
        <small id="ps-invite-hint" class="hint">{ROLE_HINT}</small>
        {shown?.error ? (
          <p id="ps-invite-error" class="form-error" role="alert" safe>
            {shown.error.message}
          </p>
        ) : (
          ''
        )}
      </form>
      <h3>People with access</h3>
      <ul class="members">
        <li>
          <span class="member-email" safe>{members.members[0]?.email}</span> <span class="role-hint">owner (you)</span>
        </li>
        {others.map((m) => (
          <li>
            <span class="member-email" safe>{m.email}</span>
            <form method="post" action={`${base}/members/${m.user_id}/role`} class="inline line">
              <Csrf csrf={csrf} />
              <label for={`ps-role-${m.user_id}`} class="visually-hidden" safe>{`Role of ${m.email}`}</label>
              <select id={`ps-role-${m.user_id}`} name="role" class="fit">
                <RoleOptions current={m.role} />
              </select>
              <button type="submit" class="ghost">
                Change role<span class="visually-hidden" safe>{` of ${m.email}`}</span>
              </button>
            </form>
            <form method="post" action={`${base}/members/${m.user_id}/remove`} class="inline">
              <Csrf csrf={csrf} />
              <button type="submit" class="ghost danger">
                Remove<span class="visually-hidden" safe>{` ${m.email}`}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      {others.length === 0 ? <p class="hint">Nobody else has access yet.</p> : ''}
      {members.invitations.length ? (
        <>
          <h3>Invitations waiting</h3>
          <ul class="members">
            {members.invitations.map((inv) => (
              <li>
                <span class="member-email" safe>{inv.email}</span> <span class="role-hint">{ROLE_WORD[inv.role]}</span>
                <form method="post" action={`${base}/invitations/${inv.id}/withdraw`} class="inline">
                  <Csrf csrf={csrf} />
                  <button type="submit" class="ghost danger">
                    Withdraw<span class="visually-hidden" safe>{` the invitation to ${inv.email}`}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </section>
  )
}

/** A member's view of a shared project: who has access (read only) and a button to leave it. */
export function MemberCard({ project, members, csrf, you }: { project: ProjectListItem; members: MembersView; csrf: string; you: string }) {
  return (
    <section class="card sharing" aria-labelledby="ps-access">
      <h2 id="ps-access">Who has access</h2>
      <p class="hint" safe>
        {project.role === 'viewer'
          ? `You can view this project's tasks; ${project.owner_email} (the owner) manages the project and who has access.`
          : `You can add and change this project's tasks; ${project.owner_email} (the owner) manages the project and who has access.`}
      </p>
      <ul class="members">
        {members.members.map((m) => (
          <li>
            <span class="member-email" safe>{m.email}</span> <span class="role-hint" safe>{`${ROLE_WORD[m.role]}${m.user_id === you ? ' (you)' : ''}`}</span>
          </li>
        ))}
      </ul>
      <form method="post" action={`/projects/${project.id}/leave`}>
        <Csrf csrf={csrf} />
        <button type="submit" class="danger">Leave project</button>
      </form>
    </section>
  )
}

/** The invitations addressed to the person, each with Accept and Decline; nothing when there are none. */
export function InvitationsCard({ invitations, csrf }: { invitations: InvitationView[]; csrf: string }) {
  if (invitations.length === 0) return ''
  return (
    <section id="invitations" class="card" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations</h2>
      <ul class="members">
        {invitations.map((inv) => (
          <li>
            <span safe>{`${inv.invited_by} invites you to "${inv.project_name}" as ${ROLE_WORD[inv.role]}`}</span>
            <form method="post" action={`/invitations/${inv.id}/accept`} class="inline">
              <Csrf csrf={csrf} />
              <button type="submit" class="primary">
                Accept<span class="visually-hidden" safe>{` the invitation to "${inv.project_name}"`}</span>
              </button>
            </form>
            <form method="post" action={`/invitations/${inv.id}/decline`} class="inline">
              <Csrf csrf={csrf} />
              <button type="submit" class="ghost">
                Decline<span class="visually-hidden" safe>{` the invitation to "${inv.project_name}"`}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The sidebar's and switcher's notice of invitations waiting, linking to where they are answered. */
export function InvitationsNotice({ count, place }: { count?: number; place: 'sidebar-notice' | 'switcher-notice' }) {
  if (!count) return ''
  return (
    <p class={`notice invitations-notice ${place}`}>
      <a href="/settings#invitations" safe>{count === 1 ? '1 project invitation waiting' : `${count} project invitations waiting`}</a>
    </p>
  )
}

// The offline agent's words about sharing projects, in each language it answers in (its other words are
// offline-words.ts's).
import type { Lang } from './offline-state'

type Role = 'owner' | 'editor' | 'viewer'

/** Someone with access to a project, or invited to it. */
export interface Access {
  email: string
  role: Role
  invited: boolean
  you: boolean
}

/** An invitation addressed to the user. */
export interface Offer {
  project: string
  from: string
  role: 'editor' | 'viewer'
}

export interface SharingReplies {
  invited: (email: string, project: string, role: 'editor' | 'viewer') => string
  roleChanged: (email: string, project: string, role: 'editor' | 'viewer') => string
  members: (project: string, people: readonly Access[]) => string
  removed: (email: string, project: string) => string
  withdrawn: (email: string, project: string) => string
  noSuchMember: (who: string, project: string) => string
  whichMember: (who: string, emails: readonly string[]) => string
  askLeave: (project: string, owner: string) => string
  ownLeave: (project: string) => string
  left: (project: string) => string
  accepted: (project: string, role: 'editor' | 'viewer') => string
  declined: (project: string) => string
  invitations: (offers: readonly Offer[]) => string
  /** Several invitations and none named: which one. */
  whichInvitation: (offers: readonly Offer[]) => string
  /** A change refused because the user only views the project. */
  viewerOnly: (titles: string, project: string) => string
  failed: (why: string) => string
}

const list = (items: readonly string[], and: string) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`)
const quoted = (offers: readonly Offer[]) => offers.map((o) => `"${o.project}"`)

export const SHARING_REPLIES: Record<Lang, SharingReplies> = {
  en: {
    invited: (email, project, role) => `Invited ${email} to "${project}" as ${role === 'viewer' ? 'a viewer (they can only view its tasks)' : 'an editor'}; they see the invitation once signed in with that address.`,
    roleChanged: (email, project, role) => `${email} is now ${role === 'viewer' ? 'a viewer' : 'an editor'} in "${project}".`,
    members: (project, people) => {
      const others = people.filter((p) => !p.you)
      if (others.length === 0) return `Only you have access to "${project}".`
      const who = people.map((p) => `${p.you ? 'you' : p.email} (${p.role}${p.invited ? ', invited' : ''})`)
      return `"${project}" is shared: ${list(who, 'and')}.`
    },
    removed: (email, project) => `Stopped sharing "${project}" with ${email}: they no longer see its tasks.`,
    withdrawn: (email, project) => `Withdrew the invitation of ${email} to "${project}".`,
    noSuchMember: (who, project) => `Nobody called "${who}" has access to "${project}".`,
    whichMember: (who, emails) => `"${who}" could be ${list(emails, 'or')}: say which address.`,
    askLeave: (project, owner) => `Leave "${project}"? You will no longer see its tasks, and only ${owner} can invite you back. Say yes or no.`,
    ownLeave: (project) => `"${project}" is your own project: you cannot leave it (stop sharing it, or delete it).`,
    left: (project) => `You left "${project}".`,
    accepted: (project, role) => `You joined "${project}" as ${role === 'viewer' ? 'a viewer' : 'an editor'}: its tasks are in your lists now.`,
    declined: (project) => `Declined the invitation to "${project}".`,
    invitations: (offers) =>
      offers.length === 0
        ? 'You have no invitations.'
        : `Your invitations: ${offers.map((o) => `"${o.project}" from ${o.from} (as ${o.role === 'viewer' ? 'a viewer' : 'an editor'})`).join('; ')}. Say "accept the invitation to ${offers[0]!.project}" or "decline" it.`,
    whichInvitation: (offers) => `You have ${offers.length} invitations, to ${list(quoted(offers), 'and')}: say which one.`,
    viewerOnly: (titles, project) => `You can only view ${titles}: "${project}" is shared with you as a viewer, so its tasks can be changed by its owner and editors only.`,
    failed: (why) => `That didn't work: ${why}`,
  },
  de: {
    invited: (email, project, role) => `${email} ist zu "${project}" eingeladen, als ${role === 'viewer' ? 'Betrachter (nur lesen)' : 'Bearbeiter'}; die Einladung erscheint nach der Anmeldung mit dieser Adresse.`,
    roleChanged: (email, project, role) => `${email} ist jetzt ${role === 'viewer' ? 'Betrachter' : 'Bearbeiter'} in "${project}".`,
    members: (project, people) => {
      const others = people.filter((p) => !p.you)
      if (others.length === 0) return `Nur du hast Zugriff auf "${project}".`
      const role = (r: Role) => ({ owner: 'Eigentümer', editor: 'Bearbeiter', viewer: 'Betrachter' })[r]
      const who = people.map((p) => `${p.you ? 'du' : p.email} (${role(p.role)}${p.invited ? ', eingeladen' : ''})`)
      return `"${project}" ist geteilt: ${list(who, 'und')}.`
    },
    removed: (email, project) => `"${project}" ist nicht mehr mit ${email} geteilt: die Aufgaben sind dort nicht mehr zu sehen.`,
    withdrawn: (email, project) => `Die Einladung von ${email} zu "${project}" ist zurückgezogen.`,
    noSuchMember: (who, project) => `Niemand namens "${who}" hat Zugriff auf "${project}".`,
    whichMember: (who, emails) => `"${who}" könnte ${list(emails, 'oder')} sein: welche Adresse?`,
    askLeave: (project, owner) => `"${project}" verlassen? Du siehst seine Aufgaben dann nicht mehr, und nur ${owner} kann dich wieder einladen. Sag ja oder nein.`,
    ownLeave: (project) => `"${project}" ist dein eigenes Projekt: verlassen kannst du es nicht (teile es nicht mehr, oder lösche es).`,
    left: (project) => `Du hast "${project}" verlassen.`,
    accepted: (project, role) => `Du bist jetzt ${role === 'viewer' ? 'Betrachter' : 'Bearbeiter'} in "${project}": seine Aufgaben stehen in deinen Listen.`,
    declined: (project) => `Die Einladung zu "${project}" ist abgelehnt.`,
    invitations: (offers) =>
      offers.length === 0
        ? 'Du hast keine Einladungen.'
        : `Deine Einladungen: ${offers.map((o) => `"${o.project}" von ${o.from} (als ${o.role === 'viewer' ? 'Betrachter' : 'Bearbeiter'})`).join('; ')}. Sag "nimm die Einladung zu ${offers[0]!.project} an" oder "lehne sie ab".`,
    whichInvitation: (offers) => `Du hast ${offers.length} Einladungen, zu ${list(quoted(offers), 'und')}: welche?`,
    viewerOnly: (titles, project) => `${titles} kannst du nur ansehen: "${project}" ist mit dir als Betrachter geteilt, ändern können es nur der Eigentümer und die Bearbeiter.`,
    failed: (why) => `Das ging nicht: ${why}`,
  },
}

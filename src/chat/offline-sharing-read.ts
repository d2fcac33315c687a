// How the offline agent reads requests about sharing a project: inviting someone by email (an editor unless the words
// say viewer or read-only), who has access, taking someone off, leaving a project shared with you, and the invitations
// you have, accepted or declined. Pure, like offline-read.ts, which asks it; German is rewritten into these English
// phrasings first (offline-german.ts).
import { projectNamed } from './offline-project-read'

/** A member's role in a shared project, as the sharing service names it. */
export type SharingRole = 'editor' | 'viewer'

/** A request about who shares a project. `project` is as said when the user has no project so named. */
export type SharingRequest =
  | { kind: 'sharing'; action: 'invite'; project: string; email: string; role: SharingRole }
  | { kind: 'sharing'; action: 'members'; project: string }
  /** `who` is an email or a name ("bob"), matched against the members when carried out. */
  | { kind: 'sharing'; action: 'remove'; project: string; who: string }
  | { kind: 'sharing'; action: 'leave'; project: string }
  | { kind: 'sharing'; action: 'accept' | 'decline'; project?: string }
  | { kind: 'sharing'; action: 'invitations' }

const rx = (source: string) => new RegExp(`^${source}$`, 'iu')
const EMAIL = '([^\\s@,;]+@[^\\s@,;]+\\.[^\\s@,;]+)'
/** "the Work project", "project Work", "my Work", "Work", with or without quotes. */
const PROJECT = '(?:(?:the|my|our)\\s+)?(?:project\\s+)?["“]?(.+?)["”]?(?:\\s+project)?'
/** A role after the email: "as viewer", "as a viewer", "read-only", "as an editor", "who can edit". */
const ROLE = '(?:\\s+(?:as\\s+(?:an?\\s+)?)?(viewer|read[- ]only|reader|editor|(?:who|so (?:she|he|they) )can (?:only )?(?:view|see|read|edit)|(?:for )?viewing only|with edit(?:ing)? rights))?'

/** Whether the role words say view only. */
const roleOf = (words: string | undefined): SharingRole => (words && /viewer|read|only|view|see/i.test(words) && !/edit/i.test(words) ? 'viewer' : 'editor')

/** The project as the user spells it when they have one so named, else as said. */
const project = (projects: readonly string[], said: string) => projectNamed(projects, said) ?? said.trim()

/**
 * Requests about sharing. "remove bob from Work" and "leave Work" are read only when Work is one of the user's projects
 * (else they are tasks: "remove milk from the list", "leave work at 5").
 */
export function readSharingRequest(text: string, projects: readonly string[]): SharingRequest | undefined {
  let m: RegExpExecArray | null
  if ((m = rx(`(?:share|invite\\s+${EMAIL}\\s+to)\\s+${PROJECT}\\s+with\\s+${EMAIL}${ROLE}`).exec(text)) && m[2] && m[3]) {
    return { kind: 'sharing', action: 'invite', project: project(projects, m[2]), email: m[3].toLowerCase(), role: roleOf(m[4]) }
  }
  if ((m = rx(`invite\\s+${EMAIL}\\s+(?:to|into)\\s+${PROJECT}${ROLE}`).exec(text))) {
    return { kind: 'sharing', action: 'invite', project: project(projects, m[2]!), email: m[1]!.toLowerCase(), role: roleOf(m[3]) }
  }
  if (
    (m = rx(`(?:who(?:'s| is| are| has| can)?\\s+(?:in|on|access to|access|see|sharing|members of|got access to)|(?:show|list)\\s+(?:the\\s+)?(?:members|people)\\s+(?:of|in)|(?:the\\s+)?members\\s+of)\\s+${PROJECT}`).exec(text)) ||
    (m = rx(`(?:who(?:'s| is)|with whom is)\\s+${PROJECT}\\s+shared(?:\\s+with)?`).exec(text))
  ) {
    return { kind: 'sharing', action: 'members', project: project(projects, m[1]!) }
  }
  if ((m = rx(`(?:stop sharing|unshare)\\s+${PROJECT}\\s+with\\s+(.+)`).exec(text))) {
    return { kind: 'sharing', action: 'remove', project: project(projects, m[1]!), who: m[2]!.trim().toLowerCase() }
  }
  if ((m = rx(`(?:remove|kick|take)\\s+(\\S+(?:\\s+\\S+)?)\\s+(?:out\\s+)?(?:from|of|off)\\s+${PROJECT}`).exec(text)) && projectNamed(projects, m[2]!)) {
    return { kind: 'sharing', action: 'remove', project: project(projects, m[2]!), who: m[1]!.toLowerCase() }
  }
  if ((m = rx(`(?:leave|exit|quit)\\s+${PROJECT}`).exec(text)) && projectNamed(projects, m[1]!)) return { kind: 'sharing', action: 'leave', project: project(projects, m[1]!) }
  if (rx(`(?:what|which|any|show(?: me)?|list|do i have(?: any)?)\\s+(?:(?:my|pending|open|new)\\s+)*(?:invitations?|invites?)(?:\\s+(?:do i have|have i got|are there|for me))?|(?:have i been|am i) invited(?: to anything)?|(?:my\\s+)?(?:pending\\s+)?(?:invitations|invites)`).test(text)) {
    return { kind: 'sharing', action: 'invitations' }
  }
  if ((m = rx(`(accept|decline|reject|refuse|turn down)\\s+(?:the\\s+)?(?:(?:invitation|invite)\\s*)?(?:(?:to|for)\\s+${PROJECT}|from\\s+\\S+|it|that|this|that one|this one|them)?`).exec(text))) {
    const action = /^accept$/i.test(m[1]!) ? 'accept' : 'decline'
    return { kind: 'sharing', action, ...(m[2] ? { project: m[2].trim() } : {}) }
  }
  return undefined
}

// How the offline agent reads projects in a request: which words name one of the user's projects ("to Groceries",
// "in my Family project", "project Travel"), and the requests that make, rename, archive or delete one. Pure, like
// offline-read.ts, which asks it: a name is a project only when the user has a project so named, or when the words
// say "project" (then one the user lacks is answered as missing, never read as part of a title).

/** A request about a project itself. `missing` names a project the words called one that the user does not have. */
export type ProjectRequest =
  | { kind: 'project'; action: 'list' }
  | { kind: 'project'; action: 'create'; name: string }
  | { kind: 'project'; action: 'rename'; name: string; to: string }
  | { kind: 'project'; action: 'archive' | 'unarchive'; name: string }
  | { kind: 'project'; action: 'delete'; name: string; tasks?: 'delete' }
  | { kind: 'project'; action: 'missing'; name: string }

/** Where a phrase puts something: the words before, the project (as the user spells it, or as said when missing), the words after. */
export interface AtProject {
  before: string
  project: string
  missing: boolean
  after: string
}

/** Words that call something a project (or a list): "project Travel", "the Family project", "Projekt Reisen". */
const PROJECT_WORD = '(?:project|projekt|list|liste)'
/** Words that put something in a project: "to", "into", "in", "under", and German "zu", "zum", "ins", "nach". */
const INTO = '(?:to|into|in|under|onto|zu|zur|zum|ins|nach|in das|in die)'
const ARTICLE = '(?:(?:my|the|your|meine?n?|die|das|dem|der)\\s+)?'

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The user's project named `name`, whatever its case, as they spell it. */
export function projectNamed(projects: readonly string[], name: string): string | undefined {
  const wanted = name.trim().replace(/^["“”']|["“”']$/g, '').toLowerCase()
  return projects.find((p) => p.toLowerCase() === wanted)
}

/** The project names as one alternation, longest first (so "Home & Garden" wins over "Home"). */
export function namesSource(projects: readonly string[]): string {
  return [...projects].sort((a, b) => b.length - a.length).map(escape).join('|')
}

/**
 * The last place `text` puts something in a project whose following words `rest` accepts: "milk to Groceries",
 * "call mom to my Family project", "fix sink to project Home" (missing: the user has no Home). The words must say
 * "project" to name one the user lacks.
 */
export function splitAtProject(text: string, projects: readonly string[], rest: (after: string) => boolean): AtProject | undefined {
  const names = namesSource(projects)
  const known = names
    ? new RegExp(`\\s${INTO}\\s+${ARTICLE}(?:${PROJECT_WORD}\\s+(?:called\\s+|named\\s+)?)?["“]?(${names})["”]?(?:\\s+${PROJECT_WORD})?(?=\\s|$)`, 'giu')
    : undefined
  const said = new RegExp(`\\s${INTO}\\s+${ARTICLE}(?:(?:project|projekt)\\s+(?:called\\s+|named\\s+)?(["“][^"”]+["”]|[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*)|(["“][^"”]+["”]|[\\p{L}\\p{N}][\\p{L}\\p{N}_-]*)\\s+(?:project|projekt))(?=\\s|$)`, 'giu')
  let found: AtProject | undefined
  for (const re of [known, said]) {
    if (!re) continue
    for (const m of text.matchAll(re)) {
      const before = text.slice(0, m.index).trim()
      const after = text.slice(m.index + m[0].length).trim()
      const name = (m[1] ?? m[2])!.replace(/^["“]|["”]$/g, '')
      const project = projectNamed(projects, name)
      if (before && rest(after)) found = { before, project: project ?? name, missing: !project, after }
    }
    if (found) return found
  }
  return undefined
}

/** A name as the user wrote it, without quotes or a trailing "project". */
const nameOf = (s: string) => s.trim().replace(/^["“”'](.*)["“”']$/, '$1').trim()

/** A regular expression for a whole request, case-insensitive and Unicode-aware. */
const rx = (source: string) => new RegExp(`^${source}$`, 'iu')

/** The name in "project X", "the X project", or a bare X the user has as a project; `said` says whether "project" was said. */
function named(phrase: string, projects: readonly string[]): { name: string; said: boolean } | undefined {
  // "list" names a project only when the user has one so named ("delete the Groceries list", not "… from my list").
  const m = rx(`${ARTICLE}(?:(${PROJECT_WORD})\\s+(.+)|(.+?)\\s+(${PROJECT_WORD}))`).exec(phrase.trim())
  if (m) {
    const name = nameOf((m[2] ?? m[3])!)
    const said = /^proje[ck]t$/i.test((m[1] ?? m[4])!)
    const mine = projectNamed(projects, name)
    if (said || mine) return { name: mine ?? name, said: true }
  }
  const bare = projectNamed(projects, phrase.replace(/^(?:the|my)\s+/i, ''))
  return bare ? { name: bare, said: false } : undefined
}

/** A project named as one (or the user's), else a "missing" answer when the words said project, else nothing. */
function known(phrase: string, projects: readonly string[], make: (name: string) => ProjectRequest, bare = true): ProjectRequest | undefined {
  const n = named(phrase, projects)
  if (!n || (!n.said && !bare)) return undefined
  return projectNamed(projects, n.name) ? make(projectNamed(projects, n.name)!) : n.said ? { kind: 'project', action: 'missing', name: n.name } : undefined
}

/** Requests about projects themselves: list, create, rename, archive, unarchive, delete. */
export function readProjectRequest(text: string, projects: readonly string[]): ProjectRequest | undefined {
  let m: RegExpExecArray | null
  if (rx(`(?:(?:show|list|what are|which are|view)\\s+)?(?:(?:all\\s+)?(?:my|the|all)\\s+)?(?:projects|projekte|lists)|what (?:projects|lists) do i have|(?:zeige?|liste)\\s+(?:mir\\s+)?(?:meine\\s+|alle\\s+)?projekte`).test(text)) {
    return { kind: 'project', action: 'list' }
  }
  if (
    (m = rx(`(?:create|make|start|set up|open)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?(?:project|projekt)\\s*(?:called\\s+|named\\s+|:\\s*)?(.+)`).exec(text)) ||
    // "add a project review meeting" may be a task: adding one needs "new" or "called".
    (m = rx(`add\\s+(?:a\\s+|an\\s+)?(?:new\\s+(?:project|list)\\s*(?:called\\s+|named\\s+|:\\s*)?|(?:project|list)\\s+(?:called|named)\\s+)(.+)`).exec(text)) ||
    (m = rx(`(?:create|make|start|set up)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?list\\s+(?:called|named)\\s+(.+)`).exec(text)) ||
    (m = rx(`(?:create|make|start|set up)\\s+(?:a\\s+|an\\s+)?(?:new\\s+)?(.+?)\\s+(?:project|projekt)`).exec(text)) ||
    (m = rx(`new (?:project|projekt)\\s*:?\\s+(.+)`).exec(text))
  ) {
    const name = nameOf(m[1]!)
    return name ? { kind: 'project', action: 'create', name } : undefined
  }
  if ((m = rx(`(?:rename|retitle)\\s+(.+?)\\s*(?:\\s(?:to|as|into)\\s|->|→|:)\\s*(.+)`).exec(text))) {
    return known(m[1]!, projects, (name) => ({ kind: 'project', action: 'rename', name, to: nameOf(m![2]!) }))
  }
  if ((m = rx(`(?:archive|shelve)\\s+(.+)`).exec(text))) return known(m[1]!, projects, (name) => ({ kind: 'project', action: 'archive', name }))
  if ((m = rx(`(?:unarchive|un-archive|restore|bring back)\\s+(.+)`).exec(text))) return known(m[1]!, projects, (name) => ({ kind: 'project', action: 'unarchive', name }), false)
  if ((m = rx(`(?:delete|remove|drop|get rid of|trash|erase|nuke)\\s+(.+?)(\\s+(?:and|with|including|along with|together with)\\s+(?:all\\s+)?(?:of\\s+)?(?:its|the|their|all)\\s+(?:tasks|todos|items)|\\s+and everything in it)?`).exec(text))) {
    const tasks = m[2] ? ('delete' as const) : undefined
    return known(m[1]!, projects, (name) => ({ kind: 'project', action: 'delete', name, ...(tasks ? { tasks } : {}) }), false)
  }
  return undefined
}

/** A project a question names, as a take of readSelection: "in Work", "my Work tasks", "project Work", "@project:Work". */
export function projectInQuestion(projects: readonly string[]): RegExp | undefined {
  const names = namesSource(projects.map((p) => p.toLowerCase()))
  if (!names) return undefined
  const on = '(?:(?:in|from|for|on|under|of|im|in der|aus)\\s+)?'
  return new RegExp(`\\s${on}${ARTICLE}(?:${PROJECT_WORD}\\s+)?(${names})(?:\\s+${PROJECT_WORD})?\\s`, 'iu')
}

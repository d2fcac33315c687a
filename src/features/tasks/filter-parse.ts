// The filter language's text side: a hand-written recursive-descent parser into an AST, and its printer (docs/filters.md).
import { AppError } from '../../lib/errors'
import { parseDay } from '../../lib/time'
import { parseTags, type TaskPriority, type TaskStatus } from './model'

/** Longest filter text, most atoms and deepest nesting (parentheses and !) a filter may have. */
export const FILTER_MAX = 500
export const FILTER_ATOMS_MAX = 50
export const FILTER_DEPTH_MAX = 20
/** The last calendar day a filter names; offsets (at most 9999 weeks) stay far inside it. */
const LAST_FILTER_DAY = '9999-12-30'

/** A day named relative to today (+7d, -1w), or a calendar day. */
export type DateRef = { kind: 'today' } | { kind: 'tomorrow' } | { kind: 'offset'; amount: number; unit: 'd' | 'w' } | { kind: 'day'; day: string }

export type FilterAtom =
  | { kind: 'today' }
  | { kind: 'tomorrow' }
  | { kind: 'overdue' }
  | { kind: 'no date' }
  | { kind: 'this week' }
  | { kind: 'recurring' }
  | { kind: 'status'; status: TaskStatus }
  | { kind: 'priority'; priority: TaskPriority }
  | { kind: 'tag'; tag: string }
  | { kind: 'due'; when: 'before' | 'after'; date: DateRef }
  | { kind: 'search'; words: string[] }
  | { kind: 'project'; name: string }

export type FilterNode =
  | FilterAtom
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }

/** How p1..p4 read on our three priorities: p3 and p4 (Todoist's lowest two) both mean low. */
const PRIORITY_OF: Record<string, TaskPriority> = { p1: 'high', p2: 'medium', p3: 'low', p4: 'low' }
const LEVEL_OF: Record<TaskPriority, string> = { high: 'p1', medium: 'p2', low: 'p3' }

/** The words that are atoms by themselves. */
const WORDS: Record<string, FilterAtom> = {
  today: { kind: 'today' },
  tomorrow: { kind: 'tomorrow' },
  overdue: { kind: 'overdue' },
  recurring: { kind: 'recurring' },
  completed: { kind: 'status', status: 'completed' },
  open: { kind: 'status', status: 'pending' },
  'priority:high': { kind: 'priority', priority: 'high' },
  'priority:medium': { kind: 'priority', priority: 'medium' },
  'priority:low': { kind: 'priority', priority: 'low' },
  ...Object.fromEntries(Object.entries(PRIORITY_OF).map(([word, priority]) => [word, { kind: 'priority', priority } as FilterAtom])),
}


/** A malformed filter: a 400 naming the field that holds it and the column (1-based) where it goes wrong. */
export function filterError(message: string, index: number, field = 'filter'): AppError {
  const position = index + 1
  return new AppError('validation_failed', `${field}: ${message} at column ${position}`, field, undefined, { position })
}

class Parser {
  private at = 0
  private atoms = 0
  private depth = 0

  constructor(
    private readonly text: string,
    private readonly field: string,
  ) {}

  private fail(message: string, index: number): AppError {
    return filterError(message, index, this.field)
  }

  parse(): FilterNode {
    const node = this.or()
    this.space()
    if (this.at < this.text.length) throw this.fail(this.peek() === ')' ? 'a ")" without its "("' : 'expected & or | between terms', this.at)
    return node
  }

  private peek(): string | undefined {
    return this.text[this.at]
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++
  }

  /** The next character, after spaces, if it is `char` (consumed). */
  private take(char: string): boolean {
    this.space()
    if (this.peek() !== char) return false
    this.at++
    return true
  }

  private or(): FilterNode {
    let node = this.and()
    while (this.take('|')) node = { kind: 'or', left: node, right: this.and() }
    return node
  }

  private and(): FilterNode {
    let node = this.unary()
    while (this.take('&')) node = { kind: 'and', left: node, right: this.unary() }
    return node
  }

  private nested<T>(start: number, inner: () => T): T {
    if (++this.depth > FILTER_DEPTH_MAX) throw this.fail(`nests deeper than ${FILTER_DEPTH_MAX} levels of ( and !`, start)
    const node = inner()
    this.depth--
    return node
  }

  private unary(): FilterNode {
    this.space()
    const start = this.at
    if (this.take('!')) return this.nested(start, () => ({ kind: 'not', operand: this.unary() }))
    if (this.take('(')) {
      return this.nested(start, () => {
        const node = this.or()
        if (!this.take(')')) throw this.fail(`expected ")" (to close "(" from column ${start + 1})`, this.at)
        return node
      })
    }
    if (++this.atoms > FILTER_ATOMS_MAX) throw this.fail(`has more than ${FILTER_ATOMS_MAX} terms`, start)
    return this.atom()
  }

  /** Matches `re` (sticky) at the current position, consuming it. */
  private match(re: RegExp): RegExpExecArray | null {
    const sticky = new RegExp(re.source, re.flags.includes('y') ? re.flags : re.flags + 'y')
    sticky.lastIndex = this.at
    const m = sticky.exec(this.text)
    if (m) this.at = sticky.lastIndex
    return m
  }

  private atom(): FilterAtom {
    const start = this.at
    if (start >= this.text.length) throw this.fail('expected a term', start)
    const char = this.peek()!
    if (char === '&' || char === '|' || char === ')') throw this.fail(`expected a term before "${char}"`, start)
    if (this.match(/no\s+date(?![^\s&|()!])/i)) return { kind: 'no date' }
    if (this.match(/this\s+week(?![^\s&|()!])/i)) return { kind: 'this week' }
    const due = this.match(/due\s+(before|after)\s*:\s*/i)
    if (due) return { kind: 'due', when: due[1]!.toLowerCase() as 'before' | 'after', date: this.date() }
    if (this.match(/search\s*:\s*/i)) {
      const words = (this.match(/[^&|()]*/)![0]).split(/\s+/).filter(Boolean)
      if (words.length === 0) throw this.fail('search: needs words to search for', this.at)
      return { kind: 'search', words }
    }
    if (this.match(/@?project\s*:\s*/i)) return { kind: 'project', name: this.projectName() }
    const word = this.match(/[^\s&|()!]+/)
    if (!word) throw this.fail('expected a term', start)
    const text = word[0]
    if (text.startsWith('#')) {
      try {
        return { kind: 'tag', tag: parseTags([text.slice(1)])[0]! }
      } catch {
        throw this.fail(`"${text.slice(0, 40)}" is not a tag (letters, digits and - _ . / : +)`, start)
      }
    }
    const atom = WORDS[text.toLowerCase()]
    if (!atom) throw this.fail(`"${text.slice(0, 40)}" is not a filter term`, start)
    return atom
  }

  /** A project's name: a bare word, or in double quotes (spaces and operators inside; \" and \\ for a quote or a backslash). */
  private projectName(): string {
    const start = this.at
    if (this.peek() !== '"') {
      const word = this.match(/[^\s&|()!"]+/)
      if (!word) throw this.fail('project: needs a name (in double quotes if it has spaces)', start)
      return word[0]
    }
    const quoted = this.match(/"((?:[^"\\]|\\.)*)"/)
    if (!quoted) throw this.fail('expected a closing " after the project name', start)
    const name = quoted[1]!.replace(/\\(.)/g, '$1')
    if (name.trim() === '') throw this.fail('project: needs a name', start)
    return name
  }

  private date(): DateRef {
    const start = this.at
    const m = this.match(/(today|tomorrow|([+-])(\d{1,4})([dw])|(\d{4}-\d{2}-\d{2}))(?![^\s&|()!])/i)
    if (!m) throw this.fail('expected a date (today, tomorrow, +7d, -1w or 2026-12-24)', start)
    const word = m[1]!.toLowerCase()
    if (word === 'today' || word === 'tomorrow') return { kind: word }
    if (m[5]) {
      if (!parseDay(m[5])) throw this.fail(`"${m[5]}" is not a calendar day`, start)
      // `due after:` a day starts at the next one, and the day after 9999-12-31 is one no timestamp holds.
      if (m[5] > LAST_FILTER_DAY) throw this.fail(`"${m[5]}" is past the last day a filter can name (${LAST_FILTER_DAY})`, start)
      return { kind: 'day', day: m[5] }
    }
    const amount = Number(m[3])
    return { kind: 'offset', amount: m[2] === '-' ? -amount || 0 : amount, unit: m[4]!.toLowerCase() as 'd' | 'w' }
  }
}

/**
 * The AST of a filter, or a 400 naming `field` (where the text came from) and the column where it goes wrong;
 * bounded in length, terms and depth.
 */
export function parseFilter(text: string, field = 'filter'): FilterNode {
  // Code points, as the saved filter's schema and the database's char_length count them: an emoji is one.
  if ([...text].length > FILTER_MAX) throw filterError(`is longer than ${FILTER_MAX} characters`, FILTER_MAX, field)
  if (text.trim() === '') throw filterError('is empty', 0, field)
  return new Parser(text, field).parse()
}

function printDate(date: DateRef): string {
  if (date.kind === 'offset') return `${date.amount < 0 ? '-' : '+'}${Math.abs(date.amount)}${date.unit}`
  return date.kind === 'day' ? date.day : date.kind
}

function printAtom(atom: FilterAtom): string {
  switch (atom.kind) {
    case 'status':
      return atom.status === 'completed' ? 'completed' : 'open'
    case 'priority':
      return LEVEL_OF[atom.priority]
    case 'tag':
      return `#${atom.tag}`
    case 'due':
      return `due ${atom.when}: ${printDate(atom.date)}`
    case 'search':
      return `search: ${atom.words.join(' ')}`
    case 'project':
      return `@project:${/^[^\s&|()!"\\]+$/.test(atom.name) ? atom.name : `"${atom.name.replace(/["\\]/g, (c) => '\\' + c)}"`}`
    default:
      return atom.kind
  }
}

const RANK = { or: 1, and: 2, not: 3 } as const
const rankOf = (node: FilterNode) => (node.kind === 'or' || node.kind === 'and' || node.kind === 'not' ? RANK[node.kind] : 4)

/** The filter as text that parses back to the same AST (operators left-associative, ! > & > |). */
export function printFilter(node: FilterNode): string {
  const wrap = (child: FilterNode, min: number) => (rankOf(child) < min ? `(${printFilter(child)})` : printFilter(child))
  switch (node.kind) {
    case 'or':
    case 'and': {
      const rank = RANK[node.kind]
      return `${wrap(node.left, rank)} ${node.kind === 'or' ? '|' : '&'} ${wrap(node.right, rank + 1)}`
    }
    case 'not':
      return `!${wrap(node.operand, RANK.not)}`
    default:
      return printAtom(node)
  }
}

/** Whether the filter names a status (completed or open) anywhere; if not, it shows open tasks. */
export function namesStatus(node: FilterNode): boolean {
  switch (node.kind) {
    case 'or':
    case 'and':
      return namesStatus(node.left) || namesStatus(node.right)
    case 'not':
      return namesStatus(node.operand)
    default:
      return node.kind === 'status'
  }
}

// Todoist's CSV export read into tasks: rows of TYPE task, section and note; PRIORITY 4 is Todoist's p1 (highest);
// DATE is Todoist's own date text ("every monday at 9am", "Dec 5"), read by the app's date reader.
import { TASK_TEXT_MAX } from '../tasks/limits'
import { parseTaskText } from '../tasks/parse-text'
import { invalid } from '../../lib/errors'
import { sha256 } from '../../lib/secrets'
import { isTimeZone } from '../../lib/time'
import { readCsv } from './csv'
import { asTag, ordinals, type ImportRow, type ReadFile } from './model'

/** The columns Todoist writes; TYPE and CONTENT are the ones a file must have. */
const COLUMNS = ['TYPE', 'CONTENT', 'DESCRIPTION', 'PRIORITY', 'INDENT', 'AUTHOR', 'RESPONSIBLE', 'DATE', 'DATE_LANG', 'TIMEZONE', 'DURATION', 'DURATION_UNIT'] as const
type Column = (typeof COLUMNS)[number]

/** Todoist's export numbers priorities as its API does: 4 is p1 (highest), 1 is p4 (its "no priority"). */
const PRIORITY: Record<string, 'high' | 'medium' | 'low'> = { '4': 'high', '3': 'medium', '2': 'low', '1': 'low' }

/** Labels in a Todoist task's text: "@errand". */
const LABEL = /(?:^|\s)@([\p{L}\p{N}][\p{L}\p{N}_\-./:+]*)/gu

/** The longest DATE read: Todoist writes a few words ("every other monday at 9am"); the reader is superlinear in length. */
const DATE_MAX = 100
/** Rows read between turns given back to the event loop, so a large file does not hold the server. */
const ROWS_PER_TURN = 100

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/** What a Todoist DATE means here: a due date, a repeat, and what could not be followed. */
function readDate(text: string, zone: string, now: Date): { due_date?: string; recurrence?: string; recurrence_from?: string; notes: string[] } {
  if (text.length > DATE_MAX) return { notes: [`the date "${text.slice(0, 40)}…" is longer than ${DATE_MAX} characters; imported without a due date`] }
  // "every!" repeats from the completion date in Todoist.
  const fromCompletion = /^every!/i.test(text)
  const parsed = parseTaskText(text.replace(/^every!/i, 'every'), zone, now)
  const notes: string[] = []
  const due = parsed.due_date ?? parsed.due_day
  const repeats = /^every\b/i.test(text)
  // A repeat not followed is left out whole: the one date it would name first ("last friday") is not the series.
  if (repeats && !parsed.recurrence) return { notes: [`the repeat "${text}" is not one this app follows; imported without a due date or repeat`] }
  if (parsed.title !== '' && !due && !parsed.recurrence) notes.push(`the date "${text}" was not understood; imported without a due date`)
  else if (parsed.title !== '') notes.push(`"${parsed.title}" in the date "${text}" was not understood and left out`)
  return {
    ...(due ? { due_date: due } : {}),
    ...(parsed.recurrence ? { recurrence: parsed.recurrence, ...(fromCompletion ? { recurrence_from: 'completion' } : {}) } : {}),
    notes,
  }
}

/**
 * Reads a Todoist CSV export (docs: "Format a CSV file to import into Todoist") in the user's `zone` at `now`.
 * A task's @labels and its section become tags; a note is added to the description of the task above it;
 * sub-tasks (INDENT) are imported as tasks of their own. A task's key is a hash of its CONTENT, section and parent
 * tasks, numbered among rows alike (two "Clean" in one section are two tasks); its DATE is left out, so a later
 * export of the same project, its repeats moved on, imports nothing twice.
 */
export async function readTodoist(text: string, zone: string, now: Date): Promise<ReadFile> {
  const [header, ...records] = readCsv(text)
  const names = (header?.cells ?? []).map((name) => name.trim().toUpperCase())
  const at = Object.fromEntries(COLUMNS.map((name) => [name, names.indexOf(name)])) as Record<Column, number>
  if (at.TYPE < 0 || at.CONTENT < 0) {
    throw invalid('file', `file is not a Todoist CSV export: its first line must name the columns ${COLUMNS.join(',')} (TYPE and CONTENT at least)`)
  }
  const out: ReadFile = { rows: [], skipped: [] }
  let section: string | undefined
  let last: ImportRow | undefined
  /** The CONTENT of the task open at each INDENT above the current row: its parent path. */
  let parents: string[] = []
  const nth = ordinals()
  for (const [i, { line, cells }] of records.entries()) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn()
    const cell = (name: Column) => (at[name] >= 0 ? (cells[at[name]] ?? '').replace(/\r\n?/g, '\n').trim() : '')
    const type = cell('TYPE').toLowerCase()
    if (type === 'task') {
      const indent = Math.max(1, Number.parseInt(cell('INDENT'), 10) || 1)
      parents = parents.slice(0, indent - 1)
      const key = nth(sha256(JSON.stringify([cell('CONTENT'), section ?? '', ...parents])))
      parents[indent - 1] = cell('CONTENT')
      last = taskRow(line, key, cell, section, zone, now)
      out.rows.push(last)
    } else if (type === 'section') {
      section = asTag(cell('CONTENT'))
      parents = []
      last = undefined
    } else if (type === 'note') {
      if (!last) out.skipped.push({ line, reason: 'a note with no task above it' })
      else if (cell('CONTENT')) last.fields.description = [last.fields.description, cell('CONTENT')].filter(Boolean).join('\n\n')
    } else if (type === 'meta' || (type === '' && cells.every((c) => c.trim() === ''))) {
      // Todoist's view settings ("view_style=list"), and empty rows: nothing to import.
    } else out.skipped.push({ line, reason: `TYPE "${cell('TYPE').slice(0, 40)}" is not task, section or note` })
  }
  return out
}

function taskRow(line: number, key: string, cell: (name: Column) => string, section: string | undefined, userZone: string, now: Date): ImportRow {
  const content = cell('CONTENT')
  const date = cell('DATE')
  const zone = isTimeZone(cell('TIMEZONE')) ? cell('TIMEZONE') : userZone
  const notes: string[] = []
  // A CONTENT longer than a title and its labels is left whole, for the title check to refuse.
  const read = [...content].length <= TASK_TEXT_MAX
  const labels = read ? [...content.matchAll(LABEL)].map((m) => m[1]!) : []
  const title = read ? content.replace(LABEL, ' ').replace(/\s+/g, ' ').trim() : content
  const tags = [...labels.map((l) => l.toLowerCase()), ...(section ? [section] : [])]
  const priorityCell = cell('PRIORITY')
  const priority = PRIORITY[priorityCell]
  if (priorityCell !== '' && !priority) notes.push(`PRIORITY "${priorityCell.slice(0, 20)}" is not 1 to 4; imported as medium`)
  const when = date ? readDate(date, zone, now) : { notes: [] }
  const { notes: dateNotes, ...dates } = when
  return {
    line,
    key,
    fields: { title, ...(cell('DESCRIPTION') ? { description: cell('DESCRIPTION') } : {}), ...(priority ? { priority } : {}), ...dates, ...(tags.length ? { tags } : {}) },
    completedAt: null,
    notes: [...notes, ...dateNotes],
  }
}

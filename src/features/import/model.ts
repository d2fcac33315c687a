// What an import takes and answers: its formats, its limits, the rows its readers hand on, and the report a person reads.
import { z } from 'zod'
import { AppError, invalid } from '../../lib/errors'
import { TAG_MAX } from '../tasks/limits'

export const IMPORT_FORMATS = ['todoist-csv', 'ics'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/** The largest file an import reads, in bytes: a Todoist project or a to-do calendar is far smaller. */
export const IMPORT_BYTES_MAX = 1_000_000
/** The most rows (CSV records, or calendar components) an import reads. */
export const IMPORT_ROWS_MAX = 5_000

export const ImportFormatField = z
  .enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(', ')}` })
  .describe('todoist-csv (a Todoist project exported as CSV) or ics (an iCalendar file of VTODO to-dos)')

/** One row of the file, read into a task to create, not yet validated. */
export interface ImportRow {
  /** The line of the file the row starts on, for the report. */
  line: number
  /**
   * What identifies it at its source, the same row importing once: an ICS UID (else its SUMMARY and DUE and its
   * ordinal among to-dos like it); a Todoist row's section, parent tasks, content and ordinal among rows like it.
   */
  key: string
  /** The task as the create API takes it (validated by the service with the task schema). */
  fields: { title: string; description?: string; priority?: string; due_date?: string; recurrence?: string; recurrence_from?: string; tags?: string[] }
  /** When it was done at the source; null while open. */
  completedAt: Date | null
  /** What the import changed or left out of this row, said to the person. */
  notes: string[]
}

/** A row left out, and why. */
export interface Skipped {
  line: number
  reason: string
}

/** What a reader found in a file. */
export interface ReadFile {
  rows: ImportRow[]
  skipped: Skipped[]
}

export const ImportReportSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  created: z.number().int().describe('Tasks created by this import'),
  duplicates: z.number().int().describe('Rows imported before (by this or an earlier import of the same source): nothing new was made'),
  duplicate_rows: z
    .array(z.object({ line: z.number().int(), reason: z.string() }))
    .describe('Each of those rows with the line it starts on and why: imported before, or the same to-do as an earlier line of this file'),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })).describe('Rows not imported, each with the line it starts on and why'),
  notes: z.array(z.object({ line: z.number().int(), note: z.string() })).describe('Rows imported with a change, such as a repeat this app cannot follow left out'),
})
export type ImportReport = z.output<typeof ImportReportSchema>

/** Refuses a file over IMPORT_BYTES_MAX, naming the limit. */
export function checkSize(bytes: number): void {
  if (bytes > IMPORT_BYTES_MAX) {
    throw new AppError('payload_too_large', `file is ${bytes.toLocaleString('en')} bytes; an import takes at most ${IMPORT_BYTES_MAX.toLocaleString('en')} bytes (1 MB)`, 'file')
  }
}

/** Refuses a file of more than IMPORT_ROWS_MAX rows, naming the limit. */
export function checkRows(count: number): void {
  if (count > IMPORT_ROWS_MAX) throw invalid('file', `file has more than ${IMPORT_ROWS_MAX.toLocaleString('en')} rows, the most an import takes; split it`)
}

/** A name (a Todoist section, a calendar category) as a tag: lower-case, each run of other characters than letters and digits one dash. */
export function asTag(name: string): string | undefined {
  const tag = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  return tag && [...tag].length <= TAG_MAX ? tag : undefined
}

/** Numbers rows that share a key: the first keeps `key`, the next ones `key#2`, `key#3`, so each row of a file is its own. */
export function ordinals(): (key: string) => string {
  const seen = new Map<string, number>()
  return (key) => {
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return n === 1 ? key : `${key}#${n}`
  }
}

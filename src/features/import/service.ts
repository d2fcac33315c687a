// Importing tasks from another app's file: read, validate each row with the task schema, create what is new
// through the task service (each with its event, in one transaction), and report what was skipped and why.
import { AppError } from '../../lib/errors'
import { newId, sha256 } from '../../lib/secrets'
import { traced } from '../../lib/tracing'
import type { Actor } from '../auth/user'
import { projectByRef } from '../projects/access'
import { CreateTaskInput, type CreateTask } from '../tasks/model'
import { addImportedTasks, type ImportedTask, type TaskDeps } from '../tasks/service'
import { checkSize, type ImportFormat, type ImportReport, type ImportRow, type ReadFile } from './model'
import { importKeys } from './schema'
import { readTodoist } from './todoist'
import { readIcs } from './vtodo'

/** Keys looked up and written per statement (a statement's parameters are bounded). */
const CHUNK = 500

/** Reads the file in its format; a file that is not of it is refused, naming `file`. */
export async function readImport(format: ImportFormat, text: string, zone: string, now: Date): Promise<ReadFile> {
  return format === 'ics' ? readIcs(text, now) : await readTodoist(text, zone, now)
}

/** A row's task validated with the create schema, or why it cannot be one. A repeat this app cannot follow is left out, with a note. */
function validate(row: ImportRow): { input: CreateTask } | { reason: string } {
  let parsed = CreateTaskInput.safeParse(row.fields)
  const recurrenceIssue = parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'recurrence')
  if (recurrenceIssue) {
    const { recurrence: _, recurrence_from: __, ...rest } = row.fields
    row.notes.push(`its repeat was left out: ${recurrenceIssue.message}`)
    parsed = CreateTaskInput.safeParse(rest)
  }
  return parsed.success ? { input: parsed.data } : { reason: parsed.error.issues[0]?.message ?? 'it is not a valid task' }
}

/** The project an import puts its tasks in, named by id or name: one of the actor's, not archived (refusals name `project`). */
async function targetProject(deps: TaskDeps, actor: Actor, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined) return undefined
  const project = await projectByRef(deps.db, actor, ref)
  if (project.archivedAt) throw new AppError('conflict', `project "${project.name}" is archived: unarchive it first, or choose another`, 'project')
  return project.id
}

/**
 * Imports `text` (a Todoist CSV export or an iCalendar file) for the actor. Idempotent: a row whose key this user
 * has imported from this format before is counted as a duplicate and makes nothing, so importing the same file
 * twice creates its tasks once. Rows that are not valid tasks are skipped, each with its line and the reason;
 * the rest are created in one transaction (all or none: the quota has to hold them). The tasks go to `project`
 * (a project's id or name: a Todoist export is one project's, and its rows do not say which) or else the Inbox.
 */
export const importTasks = traced('import.tasks', async function importTasks(deps: TaskDeps, actor: Actor, format: ImportFormat, text: string, project?: string): Promise<ImportReport> {
  checkSize(Buffer.byteLength(text))
  const projectId = await targetProject(deps, actor, project)
  const now = deps.clock()
  const read = await readImport(format, text, actor.timezone, now)
  // Rows alike in two projects' exports are two tasks: into a project, a row keys within it.
  if (projectId) for (const row of read.rows) row.key = sha256(`project:${projectId}\n${row.key}`)
  const report: ImportReport = { format, created: 0, duplicates: 0, duplicate_rows: [], skipped: [...read.skipped], notes: [] }
  const fresh = new Map<string, ImportedTask & { row: ImportRow }>()
  for (const row of read.rows) {
    const checked = validate(row)
    const first = fresh.get(row.key)
    if ('reason' in checked) report.skipped.push({ line: row.line, reason: checked.reason })
    else if (first) report.duplicate_rows.push({ line: row.line, reason: `the same ${format === 'ics' ? 'to-do' : 'task'} as line ${first.row.line}` })
    else fresh.set(row.key, { id: newId(), input: projectId ? { ...checked.input, project_id: projectId } : checked.input, completedAt: row.completedAt, row })
  }
  await deps.db.transaction(async (tx) => {
    const wanted = [...fresh.values()]
    const created: typeof wanted = []
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK)
      // Keys first: a concurrent import of the same rows waits on these and then finds them taken.
      const inserted = await tx
        .insert(importKeys)
        .values(chunk.map((t) => ({ userId: actor.id, source: format, externalKey: t.row.key, taskId: t.id, createdAt: now })))
        .onConflictDoNothing()
        .returning({ key: importKeys.externalKey })
      const taken = new Set(inserted.map((k) => k.key))
      for (const t of chunk) {
        if (taken.has(t.row.key)) created.push(t)
        else report.duplicate_rows.push({ line: t.row.line, reason: 'imported before' })
      }
    }
    await addImportedTasks(tx, deps, actor, created)
    report.created = created.length
    for (const t of created) for (const note of t.row.notes) report.notes.push({ line: t.row.line, note })
  })
  report.duplicates = report.duplicate_rows.length
  report.skipped.sort((a, b) => a.line - b.line)
  report.duplicate_rows.sort((a, b) => a.line - b.line)
  return report
})

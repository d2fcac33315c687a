// REST route for imports: POST /api/v1/import takes a Todoist CSV export or an iCalendar file (a multipart upload, JSON
// { format, file } with the file's text, or the file as the body) and answers the report.
import { Elysia, t } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { authGuard } from '../auth/guard'
import type { TaskDeps } from '../tasks/service'
import { IMPORT_BYTES_MAX, IMPORT_FORMATS, IMPORT_ROWS_MAX, ImportFormatField, ImportReportSchema } from './model'
import { importTasks } from './service'
import { readUpload } from './upload'

const PROJECT_HELP = "Optional: the project (its id or name) the tasks go to, e.g. the project a Todoist export came from (its rows do not name it); default the Inbox. Unknown is a 400, archived a 409, both naming project"

const Query = t.Object(
  {
    format: t.Optional(t.String({ description: `${IMPORT_FORMATS.join(' or ')}, when the file is sent as the body itself` })),
    project: t.Optional(t.String({ description: PROJECT_HELP })),
  },
  { additionalProperties: false },
)

const Upload = {
  type: 'object' as const,
  required: ['format', 'file'],
  properties: {
    format: { type: 'string' as const, enum: [...IMPORT_FORMATS], description: ImportFormatField.description },
    file: { type: 'string' as const, format: 'binary', description: `The file, at most ${IMPORT_BYTES_MAX} bytes and ${IMPORT_ROWS_MAX} rows` },
    project: { type: 'string' as const, description: PROJECT_HELP },
  },
}

export const importRoutes = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'import-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Import'] } })
    .use(authGuard(deps))
    .post(
      '/import',
      async ({ user, body, query }) => {
        const { format, text, project } = await readUpload(body, query)
        return importTasks(taskDeps, user, format, text, project)
      },
      {
        auth: true,
        // A file sent as the body itself (text/csv, text/calendar, text/plain) is read as text; forms as Elysia reads them.
        parse: ({ request, contentType }) => (/^text\//i.test(contentType) ? request.text() : undefined),
        query: Query,
        response: { 200: ImportReportSchema, 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 413: ErrorBody },
        detail: {
          summary: 'Import tasks from a Todoist CSV export or an iCalendar (VTODO) file',
          description:
            `Idempotent: a row imported before (the same ICS UID, or the same Todoist content under the same section and parent tasks) is counted in \`duplicates\`, listed with its line in \`duplicate_rows\`, and creates nothing. Rows that are not valid tasks are listed in \`skipped\` with their line and the reason. At most ${IMPORT_BYTES_MAX} bytes (else 413) and ${IMPORT_ROWS_MAX} rows (else 400).`,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: Upload },
              'application/json': { schema: { ...Upload, properties: { ...Upload.properties, file: { type: 'string' as const, description: "The file's text" } } } },
              'text/csv': { schema: { type: 'string' as const } },
              'text/calendar': { schema: { type: 'string' as const } },
            },
          },
        },
      },
    )
}

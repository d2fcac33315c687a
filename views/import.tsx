// Importing tasks from another app: the upload form (also in Settings) and the page with an import's report.
import { Html } from './html'
import { IMPORT_BYTES_MAX, IMPORT_ROWS_MAX, type ImportReport } from '../src/features/import/model'
import { Layout } from './layout'

/** How many skipped rows and notes the report lists before saying how many more there are. */
const LISTED = 50

/** What the form says of the limits. */
const LIMITS = `Up to ${IMPORT_BYTES_MAX / 1_000_000} MB and ${IMPORT_ROWS_MAX.toLocaleString('en')} rows. Importing the same file again adds nothing new.`

/** The upload form: which format, the file, and the refusal of the last try (naming its field). */
export function ImportForm({ csrf, error }: { csrf: string; error?: { field?: string; message: string } }) {
  return (
    <form method="post" action="/settings/import" enctype="multipart/form-data" class="stack" id="import-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <label for="import-format">File from</label>
      <select id="import-format" name="format" aria-invalid={error?.field === 'format' ? 'true' : undefined}>
        <option value="todoist-csv">Todoist (CSV export)</option>
        <option value="ics">A calendar app (iCalendar .ics with to-dos)</option>
      </select>
      <label for="import-file">File</label>
      <input id="import-file" name="file" type="file" accept=".csv,.ics,text/csv,text/calendar" required aria-describedby="import-limits" aria-invalid={error?.field === 'file' ? 'true' : undefined} />
      <p id="import-limits" class="hint" safe>
        {LIMITS}
      </p>
      <div class="line">
        <button type="submit" class="primary">Import</button>
      </div>
      {error ? (
        <p class="form-error" role="alert" safe>
          {error.message}
        </p>
      ) : (
        ''
      )}
    </form>
  )
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** A list of at most LISTED lines of the file, each with what the import says of it. */
function LineList({ items, label }: { items: Array<{ line: number; text: string }>; label: string }) {
  if (items.length === 0) return ''
  return (
    <>
      <ul class="import-lines" aria-label={label}>
        {items.slice(0, LISTED).map((item) => (
          <li>
            <span class="line-no" safe>
              {`Line ${item.line}:`}
            </span>{' '}
            <span safe>{item.text}</span>
          </li>
        ))}
      </ul>
      {items.length > LISTED ? <p class="hint" safe>{`…and ${(items.length - LISTED).toLocaleString('en')} more.`}</p> : ''}
    </>
  )
}

/** What an import did: created, already there, skipped (each with its line and why), and what changed on the way. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <section class="card" aria-labelledby="report-heading" id="import-report">
      <h2 id="report-heading">Import report</h2>
      <p role="status" safe>
        {`${plural(report.created, 'task', 'tasks')} created, ${plural(report.duplicates, 'row', 'rows')} already imported before, ${plural(report.skipped.length, 'row', 'rows')} skipped.`}
      </p>
      {report.skipped.length ? <h3>Skipped</h3> : ''}
      <LineList label="Skipped rows" items={report.skipped.map((s) => ({ line: s.line, text: s.reason }))} />
      {report.duplicate_rows.length ? <h3>Already imported</h3> : ''}
      <LineList label="Rows already imported" items={report.duplicate_rows.map((d) => ({ line: d.line, text: d.reason }))} />
      {report.notes.length ? <h3>Imported with a change</h3> : ''}
      <LineList label="Rows imported with a change" items={report.notes.map((n) => ({ line: n.line, text: n.note }))} />
      {report.created ? (
        <p>
          <a href="/tasks">See your tasks</a>
        </p>
      ) : (
        ''
      )}
    </section>
  )
}

export interface ImportPageProps {
  nonce: string
  csrf: string
  email: string
  report?: ImportReport
  error?: { field?: string; message: string }
}

export function ImportPage({ nonce, csrf, email, report, error }: ImportPageProps) {
  return (
    <Layout title="Import" nonce={nonce} csrf={csrf} email={email} active="settings">
      <h1>Import tasks</h1>
      {report ? <ImportReportView report={report} /> : ''}
      <section class="card" aria-labelledby="import-heading">
        <h2 id="import-heading">{report ? 'Import another file' : 'From Todoist or a calendar app'}</h2>
        <p class="hint">
          In Todoist, open a project's menu and choose "Export as CSV". From a calendar or reminders app, export the list as an .ics file.
        </p>
        <ImportForm csrf={csrf} error={error} />
      </section>
      <p>
        <a href="/settings">Back to Settings</a>
      </p>
    </Layout>
  )
}

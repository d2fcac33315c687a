// Sign-up, log-in and settings (project invitations, time zone, personal API tokens, password, export and import, account deletion).
import { Html } from './html'
import type { TokenView } from '../src/features/auth/tokens'
import type { ExportTable } from '../src/features/account/export'
import { formatAbsolute } from './format'
import { ImportForm } from './import'
import { Layout } from './layout'
import { InvitationsCard } from './project-sharing'
import type { InvitationView } from '../src/features/projects/sharing-model'

export interface AuthFormProps {
  mode: 'login' | 'signup'
  nonce: string
  csrf: string
  next: string
  email?: string
  error?: { field?: string; message: string }
  /** Shown above the form, e.g. after a sign-up. */
  notice?: string
}

export function AuthPage({ mode, nonce, csrf, next, email, error, notice }: AuthFormProps) {
  const login = mode === 'login'
  const action = login ? '/login' : '/signup'
  return (
    <Layout title={login ? 'Log in' : 'Sign up'} nonce={nonce} csrf={csrf}>
      <section class="card narrow">
        <h1>{login ? 'Log in' : 'Create your account'}</h1>
        {notice ? (
          <p class="ok" role="status" safe>
            {notice}
          </p>
        ) : (
          ''
        )}
        <form method="post" action={action} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="next" value={next} />
          {login ? '' : <input type="hidden" name="timezone" value="" data-browser-timezone />}
          <label for="email">Email</label>
          <input id="email" name="email" type="email" value={email ?? ''} autocomplete="email" required maxlength="254" aria-invalid={error?.field === 'email' ? 'true' : undefined} />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete={login ? 'current-password' : 'new-password'}
            required
            minlength={login ? undefined : '8'}
            maxlength="128"
            aria-invalid={error?.field === 'password' ? 'true' : undefined}
          />
          {login ? '' : <p class="hint">At least 8 characters; not your email or a common password. A few unrelated words work well.</p>}
          {error ? (
            <p class="form-error" role="alert" safe>
              {error.message}
            </p>
          ) : (
            ''
          )}
          <button type="submit" class="primary">{login ? 'Log in' : 'Sign up'}</button>
        </form>
        <p class="hint">
          {login ? (
            <>
              New here? <a href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</a>
              <br />
              Forgot your password? This service sends no mail: ask whoever runs it to reset it for you.
            </>
          ) : (
            <>
              Already have an account? <a href={`/login?next=${encodeURIComponent(next)}`}>Log in</a>
            </>
          )}
        </p>
      </section>
    </Layout>
  )
}

export interface SettingsProps {
  nonce: string
  csrf: string
  email: string
  timezone: string
  timezones: string[]
  tokens: TokenView[]
  /** Project invitations waiting for the person's answer. */
  invitations: InvitationView[]
  now: Date
  /** A token just created: its value is shown this once. */
  created?: { name: string; token: string }
  saved?: boolean
  error?: { field?: string; message: string }
  /** Whether a calendar feed link exists, and (just created) its URL, shown this once. */
  feed: { enabled: boolean; url?: string }
  webhook?: { url: string; secret: string }
  /** The password was just changed. */
  passwordChanged?: boolean
  /** Why a password change or an account deletion was refused, shown in its own section. */
  passwordError?: { field?: string; message: string }
  deleteError?: { field?: string; message: string }
}

/** The export's other tables, a CSV file each (src/features/account/export.ts). */
const CSV_TABLES: Record<ExportTable, string> = {
  projects: 'Projects (CSV)',
  reminders: 'Reminders (CSV)',
  notifications: 'Notifications (CSV)',
  activity: 'Activity (CSV)',
  messages: 'Assistant conversations (CSV)',
  'saved-filters': 'Saved filters (CSV)',
  'api-tokens': 'API token names (CSV)',
}

/** A section's refusal, named by its field. */
const SectionError = ({ error }: { error?: { message: string } }) =>
  error ? (
    <p class="form-error" role="alert" safe>
      {error.message}
    </p>
  ) : (
    ''
  )

export function TokenList({ tokens, csrf, timezone, now }: Pick<SettingsProps, 'tokens' | 'csrf' | 'timezone' | 'now'>) {
  if (tokens.length === 0) return <p id="tokens" class="hint">No API tokens yet.</p>
  return (
    <ul id="tokens" class="tokens">
      {tokens.map((t) => (
        <li>
          <span class="name" safe>{t.name}</span>
          <code safe>{t.token_prefix}…</code>
          <span class="hint" safe>
            {`created ${formatAbsolute(new Date(t.created_at), timezone, now)}${t.last_used_at ? `, last used ${formatAbsolute(new Date(t.last_used_at), timezone, now)}` : ', never used'}`}
          </span>
          <form method="post" action={`/settings/tokens/${t.id}/revoke`} hx-post={`/settings/tokens/${t.id}/revoke`} hx-target="#tokens" hx-swap="outerHTML" class="inline">
            <input type="hidden" name="_csrf" value={csrf} />
            <button type="submit" class="ghost danger" aria-label={`Revoke token ${t.name}`}>Revoke</button>
          </form>
        </li>
      ))}
    </ul>
  )
}

export function SettingsPage(props: SettingsProps) {
  const { nonce, csrf, email, timezone, timezones, created, saved, error } = props
  return (
    <Layout title="Settings" nonce={nonce} csrf={csrf} email={email} active="settings">
      <h1>Settings</h1>
      <InvitationsCard invitations={props.invitations} csrf={csrf} />
      <section class="card" aria-labelledby="tz-heading">
        <h2 id="tz-heading">Time zone</h2>
        <p class="hint">Due dates are entered and shown in this zone.</p>
        <form method="post" action="/settings/timezone" class="line">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="timezone" class="visually-hidden">Time zone</label>
          <select id="timezone" name="timezone" aria-invalid={error?.field === 'timezone' ? 'true' : undefined}>
            {timezones.map((zone) => (
              <option value={zone} selected={zone === timezone} safe>
                {zone}
              </option>
            ))}
          </select>
          <button type="submit" class="primary">Save</button>
        </form>
        {saved ? <p class="ok" role="status">Saved.</p> : ''}
      </section>
      <section class="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        {/* A JS string, not JSX text: TSX decodes entities in JSX text, and "<token>" then went out as markup. */}
        <p class="hint">
          For scripts and AI assistants: send as <code>{'Authorization: Bearer &lt;token&gt;'}</code>. What the API offers: <a href="/openapi">the API docs</a>.
        </p>
        {created ? (
          <div class="secret" role="status" id="new-token">
            <p>
              New token <strong safe>{created.name}</strong>. Copy it now: it will not be shown again.
            </p>
            <div class="line">
              <code class="token-value" id="new-token-value" safe>
                {created.token}
              </code>
              <button type="button" class="ghost" data-copy="#new-token-value">
                Copy
              </button>
            </div>
          </div>
        ) : (
          ''
        )}
        <form method="post" action="/settings/tokens" class="line">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="token-name" class="visually-hidden">Token name</label>
          <input id="token-name" name="name" placeholder="Name, e.g. laptop" maxlength="100" required aria-invalid={error?.field === 'name' ? 'true' : undefined} />
          <button type="submit">Create token</button>
        </form>
        {error ? (
          <p class="form-error" role="alert" safe>
            {error.message}
          </p>
        ) : (
          ''
        )}
        <TokenList {...props} />
      </section>
      <section class="card" aria-labelledby="webhook-heading">
        <h2 id="webhook-heading">Webhook</h2>
        <p class="hint">
          Fired reminders are also POSTed here as JSON, with <code>x-todo-timestamp</code> and <code>x-todo-signature: v1=HMAC-SHA256(secret, "timestamp.body")</code>; failed deliveries are retried with backoff.
        </p>
        <form method="post" action="/settings/webhook" class="line">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="webhook-url" class="visually-hidden">Webhook URL</label>
          <input id="webhook-url" name="url" type="url" value={props.webhook?.url ?? ''} placeholder="https://example.com/hooks/todo" maxlength="2000" aria-invalid={error?.field === 'url' ? 'true' : undefined} />
          <button type="submit">Save</button>
        </form>
        {props.webhook ? (
          <>
            <p class="hint" id="webhook-secret">
              Signing secret: <code class="token-value" safe>{props.webhook.secret}</code>{' '}
              <button type="button" class="ghost" data-copy="#webhook-secret code.token-value">
                Copy
              </button>
            </p>
            <form method="post" action="/settings/webhook/remove" class="inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="ghost danger">Remove the webhook</button>
            </form>
          </>
        ) : (
          ''
        )}
      </section>
      <section class="card" aria-labelledby="calendar-heading">
        <h2 id="calendar-heading">Calendar feed</h2>
        <p class="hint">Subscribe from Google Calendar or Apple Calendar to see tasks with due dates, repeats and reminders. The link is secret: anyone with it can read those tasks.</p>
        {props.feed.url ? (
          <div class="secret" role="status" id="calendar-link">
            <p>Your calendar link (copy it now: it will not be shown again):</p>
            <div class="line">
              <code class="token-value" safe>{props.feed.url}</code>
              <button type="button" class="ghost" data-copy="#calendar-link code.token-value">
                Copy
              </button>
            </div>
          </div>
        ) : (
          ''
        )}
        <div class="line">
          <form method="post" action="/settings/calendar" class="inline">
            <input type="hidden" name="_csrf" value={csrf} />
            <button type="submit">{props.feed.enabled ? 'Reset the link' : 'Create a calendar link'}</button>
          </form>
          {props.feed.enabled ? (
            <form method="post" action="/settings/calendar/revoke" class="inline">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="ghost danger">Turn the feed off</button>
            </form>
          ) : (
            ''
          )}
        </div>
      </section>
      <section class="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <p class="hint">Changing it signs you out everywhere else. API tokens keep working until you revoke them.</p>
        <form method="post" action="/settings/password" class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="current-password">Current password</label>
          <input id="current-password" name="current_password" type="password" autocomplete="current-password" required aria-invalid={props.passwordError?.field === 'current_password' ? 'true' : undefined} />
          <label for="new-password">New password</label>
          <input id="new-password" name="password" type="password" autocomplete="new-password" required aria-invalid={props.passwordError?.field === 'password' ? 'true' : undefined} />
          <div class="line">
            <button type="submit" class="primary">Change password</button>
          </div>
        </form>
        <SectionError error={props.passwordError} />
        {props.passwordChanged ? (
          <p class="ok" role="status">
            Password changed; other sessions are signed out.
          </p>
        ) : (
          ''
        )}
      </section>
      <section class="card" aria-labelledby="data-heading">
        <h2 id="data-heading">Your data</h2>
        <p class="hint">
          Everything you keep here, to take with you: tasks, reminders, conversations, notifications and the activity trail as one JSON file; or as CSV for a spreadsheet, a file
          per table.
        </p>
        <div class="line">
          <a class="button" href="/settings/export.json" download="">
            Export all (JSON)
          </a>
          <a class="button" href="/settings/export.csv" download="">
            Export tasks (CSV)
          </a>
        </div>
        <p class="downloads">
          {Object.entries(CSV_TABLES).map(([file, label]) => (
            <a href={`/settings/export/${file}.csv`} download="" safe>
              {label}
            </a>
          ))}
        </p>
        <h3 id="import-heading">Import</h3>
        <p class="hint">
          Tasks from Todoist (a project's "Export as CSV") or from a calendar app (an .ics file of to-dos). You get a report of what was imported and what was skipped, and why.
        </p>
        <ImportForm csrf={csrf} />
      </section>
      <section class="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete your account</h2>
        <p class="hint">This deletes the account and everything in it, for good. Export your data first if you want to keep it.</p>
        <form method="post" action="/settings/delete" class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="delete-password">Password</label>
          <input id="delete-password" name="password" type="password" autocomplete="current-password" required aria-invalid={props.deleteError?.field === 'password' ? 'true' : undefined} />
          <label for="delete-confirm">Type DELETE to confirm</label>
          <input id="delete-confirm" name="confirm" autocomplete="off" required aria-invalid={props.deleteError?.field === 'confirm' ? 'true' : undefined} />
          <div class="line">
            <button type="submit" class="danger">Delete my account</button>
          </div>
        </form>
        <SectionError error={props.deleteError} />
      </section>
    </Layout>
  )
}

/** A full page for an error a person reached by navigating (not by an htmx request). */
export function ErrorPage({ status, message, nonce, csrf }: { status: number; message: string; nonce: string; csrf: string }) {
  return (
    <Layout title={status === 404 ? 'Not found' : 'Something went wrong'} nonce={nonce} csrf={csrf}>
      <section class="card narrow">
        <h1>{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/tasks">Back to your tasks</a>
        </p>
      </section>
    </Layout>
  )
}

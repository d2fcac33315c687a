// The web UI's routes in-process: security (CSRF, CSP, escaping, next, isolation), fragments, plain-form redirects, assets.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { PASSWORD, testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { browser as browse, csrfOf } from './helpers/web'
import { notifications } from '../src/features/reminders/schema'
import { newId } from '../src/lib/secrets'

let t: TestApp
let alice: { token: string; csrf: string }
let bob: { token: string; csrf: string }

/** How many elements of the page match `selector`, as an HTML parser (Bun's HTMLRewriter) reads it. */
function count(html: string, selector: string): number {
  let n = 0
  new HTMLRewriter().on(selector, { element: () => void n++ }).transform(html)
  return n
}

/** The page as a browser would parse it holds no element or handler the payloads tried to inject. */
function inert(html: string) {
  expect(count(html, 'img[onerror]')).toBe(0)
  expect(count(html, 'img[src="x"]')).toBe(0)
  expect(count(html, 'script:not([src])')).toBe(0)
}

/** A browser request to the app under test. */
const browser = (method: string, path: string, options: Parameters<typeof browse>[3] = {}) => browse(t, method, path, options)

async function signedIn(): Promise<{ token: string; csrf: string }> {
  const { token } = await t.signUp()
  const page = await browser('GET', '/tasks', { session: token })
  return { token, csrf: csrfOf(page.text) }
}

async function addTask(who: { token: string }, body: Record<string, unknown>): Promise<{ id: string; title: string }> {
  return (await t.call('POST', '/api/v1/tasks', { token: who.token, body })).body
}

beforeAll(async () => {
  t = await testApp({ clock: () => new Date('2026-11-25T12:00:00Z') })
  alice = await signedIn()
  bob = await signedIn()
})
afterAll(() => t.dispose())

describe('security headers and CSP', () => {
  test('pages carry a strict CSP whose nonce is on our scripts, and the usual protective headers', async () => {
    const page = await browser('GET', '/tasks', { session: alice.token })
    const csp = page.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!)
    expect(scripts.length).toBe(2)
    for (const attrs of scripts) {
      expect(attrs).toContain(`nonce="${nonce}"`)
      expect(attrs).toMatch(/src="\/assets\//)
    }
    expect(page.text).not.toContain('hx-on')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('referrer-policy')).toBe('same-origin')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('cache-control')).toBe('no-store')
  })

  test('each page gets a fresh nonce', async () => {
    const a = await browser('GET', '/tasks', { session: alice.token })
    const b = await browser('GET', '/tasks', { session: alice.token })
    expect(a.headers.get('content-security-policy')).not.toBe(b.headers.get('content-security-policy'))
  })
})

describe('CSRF', () => {
  test('an unsafe request without the token, or with a wrong one, is refused with 403 and changes nothing', async () => {
    for (const form of [{ title: 'forged' } as Record<string, string>, { title: 'forged', _csrf: 'wrong' }, { title: 'forged', _csrf: bob.csrf }]) {
      const res = await browser('POST', '/tasks', { session: alice.token, form })
      expect(res.status).toBe(403)
      expect(res.text).toContain('did not come from this site')
    }
    const list = await t.call('GET', '/api/v1/tasks?search=forged', { token: alice.token })
    expect(list.body.total).toBe(0)
  })

  test('the token is accepted as a form field or as the header htmx sends', async () => {
    const field = await browser('POST', '/tasks', { session: alice.token, form: { title: 'by form', _csrf: alice.csrf } })
    expect(field.status).toBe(303)
    const header = await browser('POST', '/tasks', { session: alice.token, form: { title: 'by htmx' }, headers: { 'hx-request': 'true', 'x-csrf-token': alice.csrf } })
    expect(header.status).toBe(200)
    expect(header.headers.get('hx-trigger')).toBe('tasks-changed')
  })

  test('log-in and log-out need their tokens too', async () => {
    const login = await browser('POST', '/login', { form: { email: 'x@example.com', password: PASSWORD } })
    expect(login.status).toBe(403)
    const logout = await browser('POST', '/logout', { session: alice.token, form: {} })
    expect(logout.status).toBe(403)
    expect((await t.call('GET', '/api/v1/me', { token: alice.token })).status).toBe(200)
  })
})

describe('escaping', () => {
  const payload = '<img src=x onerror=alert(1)>'
  test('a hostile title and description render inert on the page, in fragments and in the edit form', async () => {
    const task = await addTask(alice, { title: payload, description: `"><script>alert(2)</script>` })
    const pages = [
      await browser('GET', '/tasks', { session: alice.token }),
      await browser('GET', `/tasks/${task.id}/item`, { session: alice.token, headers: { 'hx-request': 'true' } }),
      await browser('GET', `/tasks/${task.id}/edit`, { session: alice.token }),
      await browser('GET', `/tasks/${task.id}/edit`, { session: alice.token, headers: { 'hx-request': 'true' } }),
    ]
    for (const page of pages) {
      expect(page.status).toBe(200)
      inert(page.text)
      // The title is shown as text (or as a form value), exactly as typed.
      expect(page.text.includes('&lt;img src=x onerror=alert(1)&gt;') || page.text.includes('value="<img src=x onerror=alert(1)>"')).toBe(true)
    }
  })

  test('a hostile search term is escaped in the search box', async () => {
    const page = await browser('GET', `/tasks?search=${encodeURIComponent('"><script>alert(3)</script>')}`, { session: alice.token })
    inert(page.text)
    expect(page.text).toContain('value="&#34;><script>alert(3)</script>"')
  })
})

describe('a dead session cookie', () => {
  test('never blocks the log-in or sign-up form: revoked, expired or unknown, the browser signs up and in', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z')
    const timed = await testApp({ clock: () => new Date(now), env: { SESSION_TTL_DAYS: '1' } })
    try {
      const revoked = await timed.signUp()
      await timed.call('POST', '/api/v1/auth/logout', { token: revoked.token })
      const expired = await timed.signUp()
      now += 2 * 86_400_000
      const dead = [revoked.token, expired.token, 'tcs_never-issued-by-us']
      for (const [i, session] of dead.entries()) {
        const user = i === 0 ? revoked.user : expired.user
        for (const mode of ['login', 'signup'] as const) {
          const form = await browse(timed, 'GET', `/${mode}`, { session })
          expect(form.status).toBe(200)
          // The dead cookie is dropped, and the form carries a token of its own.
          expect(form.headers.getSetCookie().some((c) => c.startsWith('session=;') && c.includes('Max-Age=0'))).toBe(true)
          const csrfCookie = form.headers.getSetCookie().find((c) => c.startsWith('csrf='))!.split(';')[0]!
          const email = mode === 'login' ? user.email : `fresh-${i}@example.com`
          const res = await browse(timed, 'POST', `/${mode}`, {
            session,
            form: { email, password: PASSWORD, _csrf: csrfOf(form.text) },
            headers: { cookie: csrfCookie, 'x-forwarded-for': `192.0.2.${180 + i}` },
          })
          if (mode === 'login') {
            expect({ mode, i, status: res.status }).toEqual({ mode, i, status: 303 })
            expect(res.headers.getSetCookie().some((c) => c.startsWith('session=tcs_'))).toBe(true)
          } else {
            // Signed up: on to the log-in form, the email filled in.
            expect({ mode, i, status: res.status }).toEqual({ mode, i, status: 200 })
            expect(res.text).toContain(`value="${email}"`)
          }
        }
      }
    } finally {
      await timed.dispose()
    }
  })
})

describe('the login next parameter', () => {
  test('leads only to our own paths', async () => {
    for (const [next, expected] of [
      ['/tasks?tags=home', '/tasks?tags=home'],
      ['//evil.example/x', '/tasks'],
      ['https://evil.example/', '/tasks'],
      ['/\\evil.example', '/tasks'],
      ['javascript:alert(1)', '/tasks'],
    ]) {
      const form = await browser('GET', `/login?next=${encodeURIComponent(next!)}`)
      const cookie = form.headers.get('set-cookie')!.split(';')[0]!
      expect(form.text).toContain(`name="next" value="${expected!.replace('&', '&amp;')}"`)
      const res = await browser('POST', '/login', {
        form: { email: 'nobody@example.com', password: PASSWORD, next: next!, _csrf: csrfOf(form.text) },
        headers: { cookie },
      })
      expect(res.status).toBe(401)
    }
    // A real log-in follows a safe next, and refuses an unsafe one.
    const email = (await t.call('GET', '/api/v1/me', { token: alice.token })).body.email
    for (const [next, expected] of [['/settings', '/settings'], ['//evil.example', '/tasks']]) {
      const form = await browser('GET', '/login')
      const cookie = form.headers.get('set-cookie')!.split(';')[0]!
      const res = await browser('POST', '/login', { form: { email, password: PASSWORD, next: next!, _csrf: csrfOf(form.text) }, headers: { cookie, 'x-forwarded-for': '192.0.2.77' } })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(expected!)
      expect(res.headers.get('set-cookie')).toContain('session=tcs_')
    }
  })

  test('a signed-out visit to a page goes to the log-in with the page as next; htmx gets HX-Redirect', async () => {
    const res = await browser('GET', '/tasks?tags=home')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/login?next=%2Ftasks%3Ftags%3Dhome')
    const htmx = await browser('GET', '/tasks', { headers: { 'hx-request': 'true' } })
    expect(htmx.headers.get('hx-redirect')).toStartWith('/login')
  })
})

describe("another user's task answers 404 on every page and fragment route", () => {
  test('GET and POST routes', async () => {
    const task = await addTask(alice, { title: 'Alice only' })
    const attempts: Array<[string, string, Record<string, string> | undefined]> = [
      ['GET', `/tasks/${task.id}/edit`, undefined],
      ['GET', `/tasks/${task.id}/item`, undefined],
      ['POST', `/tasks/${task.id}`, { title: 'Hijacked', _csrf: bob.csrf }],
      ['POST', `/tasks/${task.id}/toggle`, { _csrf: bob.csrf }],
      ['POST', `/tasks/${task.id}/delete`, { _csrf: bob.csrf }],
    ]
    for (const [method, path, form] of attempts) {
      for (const htmx of [false, true]) {
        const res = await browser(method, path, { session: bob.token, form, headers: htmx ? { 'hx-request': 'true' } : {} })
        expect(res.status).toBe(404)
        expect(res.text).not.toContain('Alice only')
        if (htmx) expect(res.headers.get('hx-reswap')).toBe('none')
      }
    }
    const bulk = await browser('POST', '/tasks/bulk', { session: bob.token, form: { action: 'delete', ids: [task.id], _csrf: bob.csrf } })
    expect(bulk.status).toBe(303)
    const restore = await browser('POST', '/tasks/restore', { session: bob.token, form: { ids: [task.id], _csrf: bob.csrf } })
    expect(restore.status).toBe(303)
    const still = await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })
    expect(still.body).toMatchObject({ title: 'Alice only', status: 'pending' })
    // The toast's Undo of a completion reopens only your own.
    await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token: alice.token })
    expect((await browser('POST', '/tasks/reopen', { session: bob.token, form: { ids: [task.id], _csrf: bob.csrf } })).status).toBe(303)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body.status).toBe('completed')
    const reopened = await browser('POST', '/tasks/reopen', { session: alice.token, form: { ids: [task.id], _csrf: alice.csrf }, headers: { 'hx-request': 'true' } })
    expect(reopened.text).toContain('Reopened &quot;Alice only&quot;.')
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).body.status).toBe('pending')
  })
})

describe('plain forms post and redirect; htmx gets fragments', () => {
  test('quick add, toggle, edit, delete and restore without JavaScript return to the list they came from', async () => {
    const back = '/tasks?sort=title'
    const add = await browser('POST', '/tasks', { session: alice.token, form: { title: 'Plain', tags: 'a, b', due: '2026-12-01T09:00', priority: 'high', _csrf: alice.csrf, back } })
    expect(add.status).toBe(303)
    expect(add.headers.get('location')).toBe(back)
    const [task] = (await t.call('GET', '/api/v1/tasks?search=Plain', { token: alice.token })).body.items
    expect(task).toMatchObject({ tags: ['a', 'b'], priority: 'high', due_date: '2026-12-01T09:00:00.000Z' })
    for (const path of [`/tasks/${task.id}/toggle`, `/tasks/${task.id}`, `/tasks/${task.id}/delete`]) {
      const res = await browser('POST', path, { session: alice.token, form: { title: 'Plain edited', _csrf: alice.csrf, back: 'https://evil.example/' } })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/tasks')
    }
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })).status).toBe(404)
    const restored = await browser('POST', '/tasks/restore', { session: alice.token, form: { ids: task.id, _csrf: alice.csrf } })
    expect(restored.status).toBe(303)
    const back2 = await t.call('GET', `/api/v1/tasks/${task.id}`, { token: alice.token })
    expect(back2.body).toMatchObject({ id: task.id, title: 'Plain edited', status: 'completed', tags: ['a', 'b'] })
  })

  test('a quick add with a bad field answers 422 with the message, as a page or as the form fragment', async () => {
    const plain = await browser('POST', '/tasks', { session: alice.token, form: { title: 'x', tags: 'has space', _csrf: alice.csrf } })
    expect(plain.status).toBe(422)
    expect(plain.text).toContain('has space')
    expect(plain.text).toContain('<html')
    const htmx = await browser('POST', '/tasks', { session: alice.token, form: { title: '', _csrf: alice.csrf }, headers: { 'hx-request': 'true' } })
    expect(htmx.status).toBe(422)
    expect(htmx.text).toStartWith('<form id="quick-add"')
    expect(htmx.text).toContain('title must not be empty')
  })

  test('the list fragment for htmx, with the canonical URL to push', async () => {
    const res = await browser('GET', '/tasks?search=&tags=a&sort=title', { session: alice.token, headers: { 'hx-request': 'true', 'hx-target': 'section#task-list' } })
    expect(res.status).toBe(200)
    expect(res.text).toStartWith('<section id="task-list"')
    expect(res.headers.get('hx-push-url')).toBe('/tasks?tags=a&sort=title')
  })

  test('a bad filter in a hand-edited URL shows the whole list and says what was wrong', async () => {
    const res = await browser('GET', '/tasks?priority=urgent', { session: alice.token })
    expect(res.status).toBe(400)
    expect(res.text).toContain('priority must be one of')
    expect(res.text).toContain('id="task-list"')
  })
})

describe('time in the user zone', () => {
  test('due dates show in the zone, absolute and relative, with overdue and today marks', async () => {
    const user = await t.signUp(undefined, { timezone: 'Asia/Tokyo' })
    const csrf = csrfOf((await browser('GET', '/tasks', { session: user.token })).text)
    await browser('POST', '/tasks', { session: user.token, form: { title: 'Tokyo evening', due: '2026-11-25T23:00', _csrf: csrf } })
    await addTask(user, { title: 'Yesterday', due_date: '2026-11-24T10:00:00Z' })
    const page = await browser('GET', '/tasks', { session: user.token })
    // The clock reads 21:00 in Tokyo: 23:00 is later today, in 2 hours.
    expect(page.text).toContain('datetime="2026-11-25T14:00:00.000Z"')
    expect(page.text).toContain('Wed 25 Nov, 23:00')
    expect(page.text).toContain('in 2 h')
    expect(page.text).toMatch(/class="task today"[^>]*>(?:(?!<li).)*Tokyo evening/)
    expect(page.text).toMatch(/<strong class="mark">Overdue<\/strong>/)
    const edit = await browser('GET', `/tasks/${(await t.call('GET', '/api/v1/tasks?search=Tokyo', { token: user.token })).body.items[0].id}/edit`, { session: user.token })
    // The form shows the due day and the time apart (an empty time is an all-day task).
    expect(edit.text).toContain('type="date" name="due" value="2026-11-25"')
    expect(edit.text).toContain('type="time" name="due_time" value="23:00"')
  })
})

describe('assets', () => {
  test('content-hashed, immutable, compressed; a stale name is 404', async () => {
    const page = await browser('GET', '/tasks', { session: alice.token })
    const css = /href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(page.text)![1]!
    const res = await t.app.handle(new Request(`http://localhost${css}`, { headers: { 'accept-encoding': 'gzip, br' } }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toContain('text/css')
    const stale = await t.app.handle(new Request('http://localhost/assets/app.000000000000.css'))
    expect(stale.status).toBe(404)
  })

  test('pages are compressed when the browser accepts it', async () => {
    const res = await t.app.handle(new Request('http://localhost/tasks', { headers: { cookie: `session=${alice.token}`, 'accept-encoding': 'gzip' } }))
    expect(res.headers.get('content-encoding')).toBe('gzip')
  })
})

describe('settings', () => {
  test('create a token (shown once, after a redirect), see it listed by prefix, revoke it', async () => {
    const user = await signedIn()
    const created = await browser('POST', '/settings/tokens', { session: user.token, form: { name: '<b>laptop</b>', _csrf: user.csrf } })
    // Post/redirect/get: the POST shows nothing a reload could post again, and the token is in no URL.
    expect(created.status).toBe(303)
    expect(created.headers.get('location')).toBe('/settings#new-token')
    expect(created.text).toBe('')
    // Until the page shows it, the database holds it sealed with a key only the session's cookie gives.
    const waiting = await rows<{ sealed: string }>(t.database, sql`select sealed from session_flashes`)
    expect(waiting).toHaveLength(1)
    expect(waiting[0]!.sealed).not.toContain('tct_')
    const shown = await browser('GET', '/settings', { session: user.token })
    expect(shown.headers.get('cache-control')).toBe('no-store')
    const value = /<code class="token-value" id="new-token-value">([^<]+)<\/code>/.exec(shown.text)![1]!
    expect(value).toStartWith('tct_')
    expect(shown.text).toContain('&lt;b&gt;laptop&lt;/b&gt;')
    expect((await t.call('GET', '/api/v1/me', { token: value })).status).toBe(200)
    expect(await rows(t.database, sql`select 1 from session_flashes`)).toHaveLength(0)
    // A reload shows it no more.
    const later = await browser('GET', '/settings', { session: user.token })
    expect(later.text).not.toContain(value)
    expect(later.text).toContain(value.slice(0, 10))
    const id = (await t.call('GET', '/api/v1/tokens', { token: user.token })).body.items[0].id
    const revoke = await browser('POST', `/settings/tokens/${id}/revoke`, { session: user.token, form: { _csrf: user.csrf } })
    expect(revoke.status).toBe(303)
    expect((await t.call('GET', '/api/v1/me', { token: value })).status).toBe(401)
  })

  test('a new token waits a minute at most, for its own session only; housekeeping sweeps one never shown', async () => {
    const { putFlash, takeFlash, FLASH_TTL_MS } = await import('../src/features/auth/flash')
    const { sweep } = await import('../src/features/ops/housekeeping')
    const db = t.database.db
    const mine = await signedIn()
    const other = await signedIn()
    const now = new Date('2026-11-25T12:00:00Z')
    await putFlash(db, mine.token, 'api-token', 'tct_secret', now)
    // Another session cannot take it, nor can the right one once it has expired.
    expect(await takeFlash(db, other.token, 'api-token', now)).toBeUndefined()
    expect(await takeFlash(db, mine.token, 'api-token', new Date(now.getTime() + FLASH_TTL_MS + 1))).toBeUndefined()
    await putFlash(db, mine.token, 'api-token', 'tct_again', now)
    expect(await takeFlash(db, mine.token, 'api-token', now)).toBe('tct_again')
    expect(await takeFlash(db, mine.token, 'api-token', now)).toBeUndefined()
    await putFlash(db, mine.token, 'api-token', 'tct_never_shown', now)
    await sweep(db, new Date(now.getTime() + FLASH_TTL_MS + 1))
    expect(await rows(t.database, sql`select 1 from session_flashes`)).toHaveLength(0)
    // Logging out ends the session's flashes with it.
    await putFlash(db, mine.token, 'api-token', 'tct_logged_out', now)
    await browser('POST', '/logout', { session: mine.token, form: { _csrf: mine.csrf } })
    expect(await rows(t.database, sql`select 1 from session_flashes`)).toHaveLength(0)
  })

  test('the time zone is changed and validated', async () => {
    const user = await signedIn()
    const ok = await browser('POST', '/settings/timezone', { session: user.token, form: { timezone: 'America/New_York', _csrf: user.csrf } })
    expect(ok.status).toBe(200)
    expect(ok.text).toContain('<option value="America/New_York" selected>')
    const bad = await browser('POST', '/settings/timezone', { session: user.token, form: { timezone: 'Nowhere/Land', _csrf: user.csrf } })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('IANA time zone')
  })
})

describe('the activity page', () => {
  test("shows only the user's own entries, escaped", async () => {
    const evented = await testApp({ events: true })
    try {
      const a = await evented.signUp()
      const b = await evented.signUp()
      await evented.call('POST', '/api/v1/tasks', { token: a.token, body: { title: '<script>alert(9)</script> mine' } })
      await evented.call('POST', '/api/v1/tasks', { token: b.token, body: { title: 'Bob private' } })
      await evented.drain()
      const page = await evented.app.handle(new Request('http://localhost/audit', { headers: { cookie: `session=${a.token}` } }))
      const html = await page.text()
      expect(page.status).toBe(200)
      inert(html)
      expect(html).toContain('&lt;script&gt;alert(9)&lt;/script&gt; mine')
      expect(html).not.toContain('Bob private')
      const bobsTask = (await evented.call('GET', '/api/v1/tasks', { token: b.token })).body.items[0].id
      const foreign = await evented.app.handle(new Request(`http://localhost/audit?task_id=${bobsTask}`, { headers: { cookie: `session=${a.token}` } }))
      expect(await foreign.text()).not.toContain('Bob private')
    } finally {
      await evented.dispose()
    }
  })
})

describe('the trash', () => {
  test('a deleted task can be restored from Activity while it is in the trash; restored, it offers no more', async () => {
    // Activity is the audit trail the event consumers write: this app runs them.
    const app = await testApp({ events: true })
    try {
      const session = async () => {
        const { token } = await app.signUp()
        return { token, csrf: csrfOf((await browse(app, 'GET', '/tasks', { session: token })).text) }
      }
      const [ann, ben] = [await session(), await session()]
      const task = (await app.call('POST', '/api/v1/tasks', { token: ann.token, body: { title: 'Gone by mistake' } })).body
      await app.call('DELETE', `/api/v1/tasks/${task.id}`, { token: ann.token })
      await app.drain()
      const restore = `<input type="hidden" name="ids" value="${task.id}"/>`
      expect((await browse(app, 'GET', '/audit', { session: ann.token })).text).toContain(restore)
      // Ben's Activity holds nothing of Ann's, and his restore does nothing.
      expect((await browse(app, 'GET', '/audit', { session: ben.token })).text).not.toContain(task.id)
      await browse(app, 'POST', '/tasks/restore', { session: ben.token, form: { ids: task.id, _csrf: ben.csrf } })
      expect((await app.call('GET', `/api/v1/tasks/${task.id}`, { token: ann.token })).status).toBe(404)
      const restored = await browse(app, 'POST', '/tasks/restore', { session: ann.token, form: { ids: task.id, back: '/audit', _csrf: ann.csrf } })
      expect(restored.status).toBe(303)
      expect(restored.headers.get('location')).toBe('/audit')
      expect((await app.call('GET', `/api/v1/tasks/${task.id}`, { token: ann.token })).body.title).toBe('Gone by mistake')
      await app.drain()
      expect((await browse(app, 'GET', '/audit', { session: ann.token })).text).not.toContain(restore)
    } finally {
      await app.dispose()
    }
  })
})

describe('reminder pages', () => {
  test("another user's task reminders page and reminder cancel answer 404", async () => {
    const task = await addTask(alice, { title: 'Alice reminders', due_date: '2030-01-01T10:00:00Z' })
    const reminder = (await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token, body: { lead: '1h' } })).body
    expect((await browser('GET', `/tasks/${task.id}/reminders`, { session: bob.token })).status).toBe(404)
    expect((await browser('POST', `/tasks/${task.id}/reminders`, { session: bob.token, form: { lead: '15m', _csrf: bob.csrf } })).status).toBe(404)
    expect((await browser('POST', `/reminders/${reminder.id}/cancel`, { session: bob.token, form: { _csrf: bob.csrf } })).status).toBe(404)
    const mine = await browser('GET', `/tasks/${task.id}/reminders`, { session: alice.token })
    expect(mine.status).toBe(200)
    expect(mine.text).toContain('1h before')
  })

  test('a reminder in the past is refused on the form with the message', async () => {
    const task = await addTask(alice, { title: 'Too late', due_date: '2030-01-01T10:00:00Z' })
    const res = await browser('POST', `/tasks/${task.id}/reminders`, { session: alice.token, form: { remind_at: '2020-01-01T10:00', _csrf: alice.csrf } })
    expect(res.status).toBe(400)
    expect(res.text).toContain('already passed')
  })

  test('opening the notifications marks them read; snooze sets a new reminder, only on your own, naming a bad choice', async () => {
    const task = await addTask(alice, { title: 'Snooze me', due_date: '2030-01-01T10:00:00Z' })
    const reminder = (await t.call('POST', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token, body: { lead: '1h' } })).body
    // A reminder that went off, as the firing writes it.
    const id = newId()
    const me = (await t.call('GET', '/api/v1/me', { token: alice.token })).body
    await t.database.db.insert(notifications).values({ id, userId: me.id, reminderId: reminder.id, taskId: task.id, title: 'Snooze me', body: 'Due soon', createdAt: new Date('2026-11-25T11:00:00Z') })
    const bell = async () => (await browser('GET', '/notifications/bell', { session: alice.token, headers: { 'hx-request': 'true' } })).text
    expect(await bell()).toContain('data-unread="1"')
    const opened = await browser('GET', '/notifications', { session: alice.token })
    expect(opened.text).toContain('1 new since you last looked')
    expect(await bell()).toContain('data-unread="0"')
    expect((await browser('POST', `/notifications/${id}/snooze`, { session: bob.token, form: { for: '1h', _csrf: bob.csrf } })).status).toBe(404)
    const bad = await browser('POST', `/notifications/${id}/snooze`, { session: alice.token, form: { for: 'forever', _csrf: alice.csrf } })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('for must be one of 10m, 1h, tomorrow')
    expect((await browser('POST', `/notifications/${id}/snooze`, { session: alice.token, form: { for: 'tomorrow', _csrf: alice.csrf } })).status).toBe(303)
    // Tomorrow at 09:00 in Alice's zone.
    const reminders = (await t.call('GET', `/api/v1/tasks/${task.id}/reminders`, { token: alice.token })).body.items as Array<{ remind_at: string; lead: string | null }>
    expect(reminders.filter((r) => r.lead === null).map((r) => r.remind_at)).toEqual([expect.stringMatching(/^2026-11-26T/)])
  })

  test('the bell shows the unread count', async () => {
    const res = await browser('GET', '/notifications/bell', { session: alice.token, headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(200)
    expect(res.text).toStartWith('<a id="bell"')
    expect(res.text).toContain('data-unread="0"')
  })
})

describe('quick add reads its line like the assistant', () => {
  test('"call mum tomorrow 5pm !high #family" becomes a dated, high-priority, tagged task; explicit fields win', async () => {
    const user = await signedIn()
    await browser('POST', '/tasks', { session: user.token, form: { title: 'call mum tomorrow 5pm !high #family', _csrf: user.csrf } })
    const [task] = (await t.call('GET', '/api/v1/tasks?search=mum', { token: user.token })).body.items
    // The test clock reads 2026-11-25 12:00 UTC; the user is on UTC.
    expect(task).toMatchObject({ title: 'call mum', priority: 'high', tags: ['family'], due_date: '2026-11-26T17:00:00.000Z' })
    await browser('POST', '/tasks', { session: user.token, form: { title: 'pay rent every month !low', priority: 'high', tags: 'home', _csrf: user.csrf } })
    const [rent] = (await t.call('GET', '/api/v1/tasks?search=rent', { token: user.token })).body.items
    expect(rent).toMatchObject({ title: 'pay rent', priority: 'high', recurrence: 'MONTHLY', tags: ['home'] })
  })
})

describe('quick add: a line far longer than a title is refused at once, not read', () => {
  test('a 160,000-character line answers 422 naming the title, without the reader spending seconds on it', async () => {
    const user = await signedIn()
    const started = performance.now()
    const res = await browser('POST', '/tasks', { session: user.token, form: { title: 'every monday at '.repeat(10_000), _csrf: user.csrf }, headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(422)
    expect(res.text).toContain('title must be at most 200 characters')
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('quick add shows what it understood before saving', () => {
  test('the box asks for a preview as it is typed, into a polite live region', async () => {
    const page = await browser('GET', '/tasks', { session: alice.token })
    expect(count(page.text, '#qa-title[hx-get="/tasks/quick-preview"][hx-target="#qa-preview"]')).toBe(1)
    expect(count(page.text, '#qa-preview[aria-live="polite"]')).toBe(1)
  })

  test('the preview names the title, the time, the priority, the tags and the repeat', async () => {
    const text = 'team lunch friday at noon !high #work every week'
    const res = await browser('GET', `/tasks/quick-preview?title=${encodeURIComponent(text)}`, { session: alice.token, headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(200)
    // The clock reads Wednesday 25 November 2026, 12:00 UTC; the user is on UTC.
    const said = [...res.text.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => `${m[1]}: ${m[2]}`)
    expect(said).toEqual(['Title: team lunch', 'Due: Fri 27 Nov, 12:00', 'Priority: High', 'Tags: #work', 'Repeats: every week'])
  })

  test('a day without a time is all day; what was typed is escaped', async () => {
    const text = '<img src=x onerror=alert(1)> tomorrow'
    const res = await browser('GET', `/tasks/quick-preview?title=${encodeURIComponent(text)}`, { session: alice.token, headers: { 'hx-request': 'true' } })
    inert(res.text)
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(res.text).toContain('Thu 26 Nov, all day')
  })

  test('an empty line shows nothing', async () => {
    const res = await browser('GET', '/tasks/quick-preview?title=', { session: alice.token, headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
  })
})

describe('the assistant page', () => {
  test('a plain form post is answered by the offline agent and redirects to the conversation; the stream sends the reply', async () => {
    const user = await signedIn()
    const posted = await browser('POST', '/chat', { session: user.token, form: { message: 'add buy bread tomorrow', _csrf: user.csrf } })
    expect(posted.status).toBe(303)
    const page = await browser('GET', posted.headers.get('location')!, { session: user.token })
    expect(page.text).toContain('add buy bread tomorrow')
    expect(page.text).toContain('Added &quot;buy bread&quot;')
    const streamed = await t.app.handle(
      new Request('http://localhost/chat/stream', {
        method: 'POST',
        headers: { cookie: `session=${user.token}`, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': user.csrf },
        body: 'message=list',
      }),
    )
    expect(streamed.headers.get('content-type')).toStartWith('application/x-ndjson')
    // Sent as it is written: nginx passes each line on at once instead of buffering the reply.
    expect(streamed.headers.get('x-accel-buffering')).toBe('no')
    const lines = (await streamed.text()).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.at(-1).done.reply).toContain('buy bread')
    expect(lines.filter((l) => l.delta).map((l) => l.delta).join('')).toBe(lines.at(-1).done.reply)
    const forged = await browser('POST', '/chat/stream', { session: user.token, form: { message: 'delete all bread' } })
    expect(forged.status).toBe(403)
  })
})

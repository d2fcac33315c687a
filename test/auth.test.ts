// Accounts: sign-up, log-in (generic failure, rate limits), sessions, cookies, API tokens and the account.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { boundedPasswordHasher, type PasswordAlgorithm } from '../src/features/auth/passwords'
import { WorkGate } from '../src/lib/work-gate'
import { PASSWORD, testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { until } from './helpers/wait'
import { browser, csrfOf } from './helpers/web'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.dispose())

const from = (ip: string) => ({ 'x-forwarded-for': ip })

describe('sign-up', () => {
  test('creates the account without signing in; logging in then sets a HttpOnly SameSite=Lax session cookie', async () => {
    const res = await t.call('POST', '/api/v1/auth/signup', {
      body: { email: '  Ada@Example.COM ', password: PASSWORD, timezone: 'Europe/London' },
      headers: from('203.0.113.1'),
    })
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ email: 'ada@example.com', message: 'If this email had no account, it has one now: log in with it and your password.' })
    expect(res.headers.get('set-cookie')).toBeNull()
    const login = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: PASSWORD }, headers: from('203.0.113.1') })
    expect(login.status).toBe(200)
    expect(login.body.user).toMatchObject({ email: 'ada@example.com', timezone: 'Europe/London' })
    expect(login.body.token).toStartWith('tcs_')
    const cookie = login.headers.get('set-cookie')!
    expect(cookie).toContain(`session=${login.body.token}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
    const me = await t.call('GET', '/api/v1/me', { token: login.body.token })
    expect(me.body).toEqual({ id: login.body.user.id, email: 'ada@example.com', timezone: 'Europe/London' })
  })

  test('the cookie is Secure when served over HTTPS through a trusted proxy', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
      headers: { ...from('203.0.113.2'), 'x-forwarded-proto': 'https' },
    })
    expect(res.headers.get('set-cookie')).toContain('Secure')
  })

  test('a taken email gets exactly the answer a new one gets, signs no one in, and leaves the account as it was', async () => {
    const fresh = await t.call('POST', '/api/v1/auth/signup', { body: { email: 'newcomer@example.com', password: 'a different passphrase' }, headers: from('203.0.113.3') })
    const taken = await t.call('POST', '/api/v1/auth/signup', { body: { email: 'ADA@example.com', password: 'a different passphrase' }, headers: from('203.0.113.3') })
    expect(taken.status).toBe(fresh.status)
    expect({ ...taken.body, email: 'x' }).toEqual({ ...fresh.body, email: 'x' })
    expect(taken.headers.get('set-cookie')).toBeNull()
    expect(fresh.headers.get('set-cookie')).toBeNull()
    // The owner's password still works; the one just sent does not.
    const login = (password: string) => t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password }, headers: from('203.0.113.3') })
    expect((await login('a different passphrase')).status).toBe(401)
    expect((await login(PASSWORD)).status).toBe(200)

    // The web form too: the same page, the log-in form with the email filled in.
    const pages: string[] = []
    const form = await browser(t, 'GET', '/signup')
    const cookie = form.headers.getSetCookie().find((c) => c.startsWith('csrf='))!.split(';')[0]!
    for (const email of ['webcomer@example.com', 'ada@example.com']) {
      const res = await browser(t, 'POST', '/signup', { form: { email, password: 'a different passphrase', _csrf: csrfOf(form.text) }, headers: { cookie, ...from('203.0.113.7') } })
      expect(res.status).toBe(200)
      expect(res.headers.getSetCookie().some((c) => c.startsWith('session='))).toBe(false)
      expect(res.text).toContain('action="/login"')
      expect(res.text).toContain(`value="${email}"`)
      // Each page has its own script nonce; everything else must be the same.
      pages.push(res.text.replaceAll(email, 'EMAIL').replace(/nonce="[^"]+"|inlineScriptNonce&#34;:&#34;[^&]+&#34;/g, 'NONCE'))
    }
    expect(pages[1]).toBe(pages[0]!)
  })

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['no email', { password: PASSWORD }, 'email'],
    ['malformed email', { email: 'not-an-email', password: PASSWORD }, 'email'],
    ['short password', { email: 'p@example.com', password: 'short' }, 'password'],
    ['long password', { email: 'p@example.com', password: 'xy'.repeat(65) }, 'password'],
    ['one character repeated', { email: 'p@example.com', password: 'aaaaaaaa' }, 'password'],
    ['a very common password', { email: 'p@example.com', password: 'password1' }, 'password'],
    ['a very common password in other case', { email: 'p@example.com', password: 'QWERTY123' }, 'password'],
    ['the email as password', { email: 'pat.smith@example.com', password: 'Pat.Smith@example.com' }, 'password'],
    ["the email's name as password", { email: 'pat.smith@example.com', password: 'pat.smith' }, 'password'],
    ['unknown time zone', { email: 'p@example.com', password: PASSWORD, timezone: 'Mars/Olympus' }, 'timezone'],
    ['extra field', { email: 'p@example.com', password: PASSWORD, admin: true }, 'admin'],
  ]
  for (const [name, body, field] of bad) {
    test(`${name} → 400 naming ${field}`, async () => {
      const res = await t.call('POST', '/api/v1/auth/signup', { body, headers: from('203.0.113.4') })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe(field)
    })
  }

  test('a refused password is named with the reason, and a long passphrase is welcome', async () => {
    const common = await t.call('POST', '/api/v1/auth/signup', { body: { email: 'p@example.com', password: '12345678' }, headers: from('203.0.113.4') })
    expect(common.body.error.message).toContain('common')
    const repeated = await t.call('POST', '/api/v1/auth/signup', { body: { email: 'p@example.com', password: '!!!!!!!!!!' }, headers: from('203.0.113.4') })
    expect(repeated.body.error.message).toContain('repeated')
    const passphrase = 'the quick brown fox jumps over the lazy dog while correct horse staples battery '.repeat(2).slice(0, 128)
    const long = await t.call('POST', '/api/v1/auth/signup', { body: { email: 'long@example.com', password: passphrase }, headers: from('203.0.113.6') })
    expect(long.status).toBe(202)
  })

  test('passwords are stored as argon2id hashes, never as given', async () => {
    const hash = await rows<{ password_hash: string }>(t.database, sql`select password_hash from users where email = 'ada@example.com'`)
    expect(hash[0]!.password_hash).toStartWith('$argon2id$')
    expect(hash[0]!.password_hash).not.toContain(PASSWORD)
  })

  test('sign-ups from one address are limited (429 with Retry-After)', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) {
      const res = await t.call('POST', '/api/v1/auth/signup', { body: { email: `burst${i}@example.com`, password: PASSWORD }, headers: from('203.0.113.99') })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true)
    expect(statuses[10]).toBe(429)
  })
})

describe('the client address behind proxies', () => {
  const signUpFrom = (app: TestApp, i: number, forwardedFor: string) =>
    app.call('POST', '/api/v1/auth/signup', { body: { email: `hop${i}-${crypto.randomUUID().slice(0, 6)}@example.com`, password: PASSWORD }, headers: { 'x-forwarded-for': forwardedFor } })

  test('a client cannot choose its address by writing X-Forwarded-For entries left of what our proxy appended', async () => {
    const statuses: number[] = []
    // The client sent "203.0.113.i, 10.0.0.1"; our ingress appended the address it really came from.
    for (let i = 0; i < 11; i++) statuses.push((await signUpFrom(t, i, `203.0.113.${i}, 10.0.0.1, 198.18.5.5`)).status)
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true)
    expect(statuses[10]).toBe(429)
  })

  test('over a socket, X-Forwarded-* count only from a trusted proxy, read from the right', async () => {
    // The loopback peer is the only trusted proxy: the nearest hop it reports (10.0.0.1) is the client.
    const viaProxy = await testApp({ env: { TRUSTED_PROXIES: '127.0.0.1' } })
    const direct = await testApp({ env: { TRUSTED_PROXIES: '192.0.2.1/32' } })
    try {
      for (const app of [viaProxy, direct]) {
        const url = `http://127.0.0.1:${app.app.listen({ port: 0, hostname: '127.0.0.1' }).server!.port}`
        const statuses: number[] = []
        for (let i = 0; i < 11; i++) {
          const res = await fetch(`${url}/api/v1/auth/signup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}, 10.0.0.1`, 'x-forwarded-proto': 'https' },
            body: JSON.stringify({ email: `sock${i}@example.com`, password: PASSWORD }),
          })
          statuses.push(res.status)
        }
        expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true)
        expect(statuses[10]).toBe(429)
        // Only a trusted proxy may say the client used HTTPS.
        const login = await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
          body: JSON.stringify({ email: 'sock0@example.com', password: PASSWORD }),
        })
        expect(login.status).toBe(200)
        expect(login.headers.get('set-cookie')!.includes('Secure')).toBe(app === viaProxy)
      }
    } finally {
      for (const app of [viaProxy, direct]) {
        await app.app.stop(true)
        await app.dispose()
      }
    }
  })

  test("X-Forwarded-Proto and -Host are the nearest proxy's (rightmost) values", async () => {
    const { token, user } = await t.signUp()
    const http = await t.call('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: PASSWORD },
      headers: { ...from('203.0.113.5'), 'x-forwarded-proto': 'https, http' },
    })
    expect(http.status).toBe(200)
    expect(http.headers.get('set-cookie')).not.toContain('Secure')
    const settings = await browser(t, 'GET', '/settings', { session: token })
    const feed = await browser(t, 'POST', '/settings/calendar', {
      session: token,
      form: { _csrf: csrfOf(settings.text) },
      headers: { 'x-forwarded-host': 'evil.example, todo.example.com', 'x-forwarded-proto': 'https' },
    })
    expect(feed.text).toContain('https://todo.example.com/calendar/tcf_')
    expect(feed.text).not.toContain('evil.example')
  })
})

describe('log-in', () => {
  test('returns a working session token; the email is case-insensitive', async () => {
    const res = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ADA@example.com', password: PASSWORD }, headers: from('203.0.113.10') })
    expect(res.status).toBe(200)
    expect(res.body.token).toStartWith('tcs_')
    expect(res.headers.get('set-cookie')).toContain('HttpOnly')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect((await t.call('GET', '/api/v1/me', { token: res.body.token })).body.email).toBe('ada@example.com')
  })

  test('each log-in issues a new session token', async () => {
    const a = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: PASSWORD }, headers: from('203.0.113.11') })
    const b = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: PASSWORD }, headers: from('203.0.113.11') })
    expect(a.body.token).not.toBe(b.body.token)
  })

  test('a wrong password and an unknown account get the same generic 401', async () => {
    const wrong = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: 'wrong password' }, headers: from('203.0.113.12') })
    const unknown = await t.call('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong password' }, headers: from('203.0.113.12') })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    expect(wrong.body.error.message).toBe('Invalid email or password')
  })

  test('5 wrong passwords from one address lock that address out of the account, never the owner elsewhere', async () => {
    await t.signUp('victim@example.com')
    for (let i = 0; i < 5; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: `guess ${i}` }, headers: from('192.0.2.9') })
      expect(res.status).toBe(401)
    }
    // The guesser is stopped, even with the right password...
    const locked = await t.call('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: PASSWORD }, headers: from('192.0.2.9') })
    expect(locked.status).toBe(429)
    expect(locked.body.error.code).toBe('rate_limited')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800)
    // ...and the owner, from their own address, is not.
    const owner = await t.call('POST', '/api/v1/auth/login', { body: { email: 'victim@example.com', password: PASSWORD }, headers: from('192.0.2.200') })
    expect(owner.status).toBe(200)
  })

  test('guesses from many addresses slow the account down for a minute at most', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z')
    const timed = await testApp({ clock: () => new Date(now) })
    try {
      const { user } = await timed.signUp()
      const attempt = (password: string, ip: string) => timed.call('POST', '/api/v1/auth/login', { body: { email: user.email, password }, headers: from(ip) })
      for (let i = 0; i < 10; i++) expect((await attempt(`guess number ${i}`, `203.0.113.${100 + i}`)).status).toBe(401)
      const owner = await attempt(PASSWORD, '198.18.7.7')
      expect(owner.status).toBe(429)
      expect(Number(owner.headers.get('retry-after'))).toBeLessThanOrEqual(60)
      now += 61_000
      expect((await attempt(PASSWORD, '198.18.7.7')).status).toBe(200)
    } finally {
      await timed.dispose()
    }
  })

  test('59 wrong passwords and the right one sent at once from one address: at most 5 are checked, and the right one cannot get in after', async () => {
    await t.signUp('raced@example.com')
    const passwords = [...Array.from({ length: 59 }, (_, i) => `wrong guess ${i}`), PASSWORD]
    const answers = await Promise.all(
      passwords.map((password) => t.call('POST', '/api/v1/auth/login', { body: { email: 'raced@example.com', password }, headers: from('192.0.2.150') })),
    )
    const statuses = answers.map((a) => a.status)
    // A 401 or a 200 means the password was checked; everything else was refused before that.
    expect(statuses.filter((s) => s === 401 || s === 200).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s !== 401 && s !== 200).every((s) => s === 429)).toBe(true)
    const after = await t.call('POST', '/api/v1/auth/login', { body: { email: 'raced@example.com', password: PASSWORD }, headers: from('192.0.2.150') })
    expect(after.status).toBe(429)
  })

  test('one address guessing across many accounts is limited after 20 failures', async () => {
    let status = 0
    for (let i = 0; i < 21; i++) {
      const res = await t.call('POST', '/api/v1/auth/login', { body: { email: `spray${i}@example.com`, password: 'password1' }, headers: from('198.18.0.1') })
      status = res.status
      if (i < 20) expect(status).toBe(401)
    }
    expect(status).toBe(429)
    // Another address is not affected.
    const other = await t.call('POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: PASSWORD }, headers: from('198.18.0.2') })
    expect(other.status).toBe(200)
  })

  test("a successful log-in resets that address's failure count", async () => {
    await t.signUp('forgetful@example.com')
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        const wrong = await t.call('POST', '/api/v1/auth/login', { body: { email: 'forgetful@example.com', password: 'nope nope' }, headers: from('192.0.2.60') })
        expect(wrong.status).toBe(401)
      }
      const ok = await t.call('POST', '/api/v1/auth/login', { body: { email: 'forgetful@example.com', password: PASSWORD }, headers: from('192.0.2.60') })
      expect(ok.status).toBe(200)
    }
  })
})

describe('password hashing under load', () => {
  test('past the bound on password checks, log-ins and sign-ups are answered 503 with Retry-After at once; once it frees, the same people get in', async () => {
    // Bun's argon2id underneath, held at a gate the test opens: the hasher's one slot stays taken as long as we like.
    let hold: Promise<void> = Promise.resolve()
    let entered = () => {}
    const algorithm: PasswordAlgorithm = {
      hash: async (password, options) => {
        entered()
        await hold
        return Bun.password.hash(password, options)
      },
      verify: async (password, hash) => {
        entered()
        await hold
        return Bun.password.verify(password, hash)
      },
    }
    const busy = await testApp({ passwords: boundedPasswordHasher({ concurrency: 1, queue: 0 }, algorithm) })
    try {
      const [first, second] = [await busy.signUp(), await busy.signUp()]
      let open = () => {}
      hold = new Promise((resolve) => (open = resolve))
      const started = new Promise<void>((resolve) => (entered = resolve))
      const login = (email: string, ip: string) => busy.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD }, headers: from(ip) })
      const held = login(first.user.email, '192.0.2.1')
      await started

      const refused = await login(second.user.email, '192.0.2.2')
      expect(refused.status).toBe(503)
      expect(refused.body.error).toMatchObject({ code: 'unavailable', message: 'Too many sign-ins are being checked right now; try again in a moment' })
      expect(refused.headers.get('retry-after')).toBe('1')
      const signup = await busy.call('POST', '/api/v1/auth/signup', { body: { email: 'storm@example.com', password: PASSWORD }, headers: from('192.0.2.3') })
      expect(signup.status).toBe(503)
      expect(signup.headers.get('retry-after')).toBe('1')

      open()
      expect((await held).status).toBe(200)
      expect((await login(second.user.email, '192.0.2.2')).status).toBe(200)
      const again = await busy.call('POST', '/api/v1/auth/signup', { body: { email: 'storm@example.com', password: PASSWORD }, headers: from('192.0.2.3') })
      expect(again.status).toBe(202)
    } finally {
      await busy.dispose()
    }
  })

  test('the gate runs a set number of jobs at once, queues a set number more, and refuses the rest without waiting', async () => {
    const gate = new WorkGate({ concurrency: 2, queue: 1, busy: () => new Error('busy') })
    const releases: Array<() => void> = []
    const started: number[] = []
    const job = (n: number) => () =>
      new Promise<number>((resolve) => {
        started.push(n)
        releases.push(() => resolve(n))
      })
    const runs = [gate.run(job(1)), gate.run(job(2)), gate.run(job(3))]
    await expect(gate.run(job(4))).rejects.toThrow('busy')
    // Negative check: the third must not start while two run; one turn of the event loop lets it, were it wrong.
    await Bun.sleep(0)
    expect(started).toEqual([1, 2])
    releases[0]!()
    expect(await runs[0]).toBe(1)
    await until('the queued job to start', () => started.length === 3)
    expect(started).toEqual([1, 2, 3])
    releases[1]!()
    releases[2]!()
    expect(await Promise.all(runs)).toEqual([1, 2, 3])
    // With everything done, the slots are free again.
    const later = gate.run(async () => 5)
    expect(await later).toBe(5)
  })
})

describe('sessions and log-out', () => {
  test('log-out ends the session: the token stops working at once and the cookie is cleared', async () => {
    const { token } = await t.signUp()
    expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(200)
    const out = await t.call('POST', '/api/v1/auth/logout', { token })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    const after = await t.call('GET', '/api/v1/me', { token })
    expect(after.status).toBe(401)
    expect(after.headers.get('www-authenticate')).toContain('Bearer')
  })

  test('log-out by cookie works too, with the page CSRF token; without it the session survives', async () => {
    const { token } = await t.signUp()
    const cookie = `theme=dark; session=${token}`
    // Another site can make a browser send the cookie, but cannot read the page's token.
    const forged = await t.call('POST', '/api/v1/auth/logout', { headers: { cookie } })
    expect(forged.status).toBe(403)
    expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(200)
    const page = await t.call('GET', '/tasks', { headers: { cookie, accept: 'text/html' } })
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!
    const out = await t.call('POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } })
    expect(out.status).toBe(204)
    expect((await t.call('GET', '/api/v1/me', { token })).status).toBe(401)
  })

  test('an expired session is refused', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z')
    const timed = await testApp({ clock: () => new Date(now), env: { SESSION_TTL_DAYS: '1' } })
    try {
      const { token } = await timed.signUp()
      expect((await timed.call('GET', '/api/v1/me', { token })).status).toBe(200)
      now += 86_400_000 + 1000
      expect((await timed.call('GET', '/api/v1/me', { token })).status).toBe(401)
    } finally {
      await timed.dispose()
    }
  })

  test('missing, malformed and unknown tokens answer 401 with WWW-Authenticate', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Basic abc' }, { authorization: 'Bearer tcs_unknown' }, { authorization: 'Bearer tct_unknown' }, { authorization: 'Bearer ' }]) {
      const res = await t.call('GET', '/api/v1/tasks', { headers })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('unauthorized')
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="todo-chatbot"')
    }
  })

  test('the REST API does not accept the session cookie alone (cookies are for the web UI, with CSRF)', async () => {
    const { token } = await t.signUp()
    const res = await t.call('GET', '/api/v1/tasks', { headers: { cookie: `session=${token}` } })
    expect(res.status).toBe(401)
  })
})

describe('personal API tokens', () => {
  test('create shows the value once; list never shows it; the token works as Bearer', async () => {
    const { token: session } = await t.signUp()
    const created = await t.call('POST', '/api/v1/tokens', { token: session, body: { name: 'laptop' } })
    expect(created.status).toBe(201)
    expect(created.body.token).toStartWith('tct_')
    expect(created.body.token_prefix).toBe(created.body.token.slice(0, 10))
    expect(created.headers.get('cache-control')).toBe('no-store')
    const listed = await t.call('GET', '/api/v1/tokens', { token: session })
    expect(listed.body.items).toHaveLength(1)
    expect(listed.body.items[0]).toEqual({
      id: created.body.id,
      name: 'laptop',
      token_prefix: created.body.token_prefix,
      created_at: created.body.created_at,
      last_used_at: null,
    })
    expect(listed.text).not.toContain(created.body.token)
    const task = await t.call('POST', '/api/v1/tasks', { token: created.body.token, body: { title: 'via token' } })
    expect(task.status).toBe(201)
    const relisted = await t.call('GET', '/api/v1/tokens', { token: session })
    expect(relisted.body.items[0].last_used_at).not.toBeNull()
  })

  test('a revoked token stops working at once; revoking it again is 404', async () => {
    const { token: session } = await t.signUp()
    const { body: created } = await t.call('POST', '/api/v1/tokens', { token: session, body: { name: 'ci' } })
    expect((await t.call('GET', '/api/v1/me', { token: created.token })).status).toBe(200)
    expect((await t.call('DELETE', `/api/v1/tokens/${created.id}`, { token: session })).status).toBe(204)
    expect((await t.call('GET', '/api/v1/me', { token: created.token })).status).toBe(401)
    expect((await t.call('GET', '/api/v1/tokens', { token: session })).body.items).toEqual([])
    expect((await t.call('DELETE', `/api/v1/tokens/${created.id}`, { token: session })).status).toBe(404)
  })

  test('an API token cannot create tokens, so revoking a leaked token ends the leak', async () => {
    const { token: session } = await t.signUp()
    const { body: parent } = await t.call('POST', '/api/v1/tokens', { token: session, body: { name: 'leaked' } })
    const child = await t.call('POST', '/api/v1/tokens', { token: parent.token, body: { name: 'persistence' } })
    expect(child.status).toBe(403)
    expect(child.body.error.code).toBe('forbidden')
    expect(child.text).not.toContain('tct_')
    expect((await t.call('DELETE', `/api/v1/tokens/${parent.id}`, { token: session })).status).toBe(204)
    // Nothing the leaked token could reach is left: no tokens, and it no longer works itself.
    expect((await t.call('GET', '/api/v1/tokens', { token: session })).body.items).toEqual([])
    expect((await t.call('GET', '/api/v1/me', { token: parent.token })).status).toBe(401)
  })

  test('token names are validated', async () => {
    const { token } = await t.signUp()
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 3 }]) {
      const res = await t.call('POST', '/api/v1/tokens', { token, body })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe('name')
    }
  })

  test('logging out with an API token does not revoke it (revoke it explicitly)', async () => {
    const { token: session } = await t.signUp()
    const { body: created } = await t.call('POST', '/api/v1/tokens', { token: session, body: { name: 'script' } })
    expect((await t.call('POST', '/api/v1/auth/logout', { token: created.token })).status).toBe(204)
    expect((await t.call('GET', '/api/v1/me', { token: created.token })).status).toBe(200)
  })
})

describe('the account', () => {
  test('PATCH /me changes the time zone, validated', async () => {
    const { token } = await t.signUp()
    const ok = await t.call('PATCH', '/api/v1/me', { token, body: { timezone: 'Asia/Tokyo' } })
    expect(ok.status).toBe(200)
    expect(ok.body.timezone).toBe('Asia/Tokyo')
    const bad = await t.call('PATCH', '/api/v1/me', { token, body: { timezone: 'Asia/Atlantis' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('timezone')
    const extra = await t.call('PATCH', '/api/v1/me', { token, body: { timezone: 'UTC', email: 'x@example.com' } })
    expect(extra.status).toBe(400)
    expect(extra.body.error.field).toBe('email')
  })
})

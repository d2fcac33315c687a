// One real server and one headless Chromium for a browser test file, and signed-in people to drive it: the
// set-up every browser test file shares.
import { expect } from 'bun:test'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { stage, watchProblems } from './browser'
import { need, requires } from './requires'
import { bearerApi, type RunningServer } from './server'
import { hookTimeoutMs } from './wait'

export const PASSWORD = 'correct horse battery'

/** A person signed up and signed in, with a browser context and page of their own. */
export interface SignedIn {
  token: string
  context: BrowserContext
  page: Page
  /** Script errors and CSP violations the page reported. */
  problems: string[]
  /** The REST API as this person. */
  api: ReturnType<typeof bearerApi>
}

export interface BrowserSuite {
  readonly server: RunningServer
  readonly browser: Browser
  /** Starts the server (on fresh storage) and Chromium; for beforeAll. */
  start(): Promise<void>
  /** Closes everything start and signIn opened, newest first; for afterAll. */
  stop(): Promise<void>
  /** A new account in `timezone`, its session cookie set in a new context with `options`. */
  signIn(prefix: string, timezone: string, options?: BrowserContextOptions): Promise<SignedIn>
}

export function browserSuite(): BrowserSuite {
  const cleanups: Array<() => Promise<void> | void> = []
  let server: RunningServer | undefined
  let browser: Browser | undefined
  return {
    get server() {
      return server!
    },
    get browser() {
      return browser!
    },
    async start() {
      const staged = await stage()
      ;({ server, browser } = staged)
      cleanups.push(staged.stop)
    },
    async stop() {
      for (const c of cleanups.reverse()) await c()
    },
    async signIn(prefix, timezone, options = {}) {
      const url = server!.url
      const email = `${prefix}-${crypto.randomUUID()}@example.com`
      const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect((await post('/api/v1/auth/signup', { email, password: PASSWORD, timezone })).status).toBe(202)
      const token = ((await (await post('/api/v1/auth/login', { email, password: PASSWORD })).json()) as { token: string }).token
      const context = await browser!.newContext({ timezoneId: timezone, ...options })
      cleanups.push(() => context.close())
      await context.addCookies([{ name: 'session', value: token, url }])
      const page = await context.newPage()
      return { token, context, page, problems: watchProblems(page), api: bearerApi(() => url, () => token) }
    },
  }
}

/**
 * A browser test file for one person: before its tests the server and Chromium start and the person signs in (then
 * `prepare` runs, e.g. to add their tasks); after them everything closes. Without Chromium the tests are gated.
 */
export function onePersonSuite(prefix: string, timezone: string, options: BrowserContextOptions = {}, prepare?: (person: SignedIn) => Promise<void>) {
  const suite = browserSuite()
  const run = requires('the web UI in headless Chromium', need.chromium)
  let person: SignedIn | undefined
  run.beforeAll(async () => {
    await suite.start()
    person = await suite.signIn(prefix, timezone, options)
    await prepare?.(person)
  }, hookTimeoutMs())
  run.afterAll(() => suite.stop())
  return { suite, run, person: () => person! }
}

// Headless Chromium (Debian's package) driven by playwright-core; screenshots of failures go to .artifacts/.
import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { need } from './requires'
import { freshStorage, startServer, type RunningServer } from './server'
import { until } from './wait'

/** Chromium (`need.chromium`, which a suite asks for with `requires`), headless. */
export async function launch(): Promise<Browser> {
  if (!need.chromium.found) throw new Error(`No Chromium found: ${need.chromium.how}`)
  return chromium.launch({
    executablePath: need.chromium.found,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  })
}

/** What a browser suite runs against: the real server on fresh storage of its own, and Chromium. */
export interface BrowserStage {
  server: RunningServer
  browser: Browser
  /** Closes Chromium, stops the server and drops its storage. */
  stop(): Promise<void>
}

/** Starts the server (on a fresh database or PGlite folder) and Chromium, for a suite's beforeAll. */
export async function stage(): Promise<BrowserStage> {
  const storage = await freshStorage()
  const server = await startServer(storage.env).catch(async (error) => {
    await storage.dispose()
    throw error
  })
  const browser = await launch().catch(async (error) => {
    await server.stop()
    await storage.dispose()
    throw error
  })
  return {
    server,
    browser,
    stop: async () => {
      await browser.close()
      await server.stop()
      await storage.dispose()
    },
  }
}

/** Signs up through the pages, as a person does (sign-up leads to the log-in form), and returns the page on /tasks. */
export async function signUpInBrowser(context: BrowserContext, url: string, email: string, password = 'correct horse battery'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${url}/signup`)
  await page.fill('#email', email)
  await page.fill('#password', password)
  await page.click('form button[type=submit]')
  // Signing up leads to the log-in form with the email filled in.
  await page.waitForSelector('form[action="/login"]')
  await page.fill('#password', password)
  await page.click('form button[type=submit]')
  await page.waitForURL(`${url}/tasks`)
  return page
}

export const ARTIFACTS = new URL('../../.artifacts/', import.meta.url).pathname

/** Runs `fn`; if it throws, saves a screenshot of `page` named after `name`, then rethrows. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    mkdirSync(ARTIFACTS, { recursive: true })
    const file = `${ARTIFACTS}${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`
    await page.screenshot({ path: file, fullPage: true }).catch(() => {})
    console.error(`screenshot of the failed step: ${file}`)
    throw error
  }
}

/** Collects Content-Security-Policy violations and page errors, which a test should find empty. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (msg) => {
    // A 4xx answer the UI expects (a validation error shown in place) is not a problem.
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
      problems.push(`console: ${msg.text()}`)
    }
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  return problems
}

/** Loads `url` again and again until `selector` shows: for what the server changes behind the page (events, timers). */
export async function visitUntil(page: Page, url: string, selector: string, timeoutMs = 15_000): Promise<void> {
  await until(`${selector} on ${url}`, async () => {
    await page.goto(url)
    return page.isVisible(selector)
  }, { timeoutMs, everyMs: 100 })
}

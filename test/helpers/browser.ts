// Headless Chromium (Debian's package) driven by playwright-core; screenshots of failures go to .artifacts/.
import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { need } from './requires'
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

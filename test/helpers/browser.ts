// Headless Chromium (Debian's package) driven by playwright-core; screenshots of failures go to .artifacts/.
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[]

/** The Chromium to drive, or undefined when this machine has none (CI installs it: see .ci/run). */
export const chromiumPath = CANDIDATES.find((p) => existsSync(p))

export async function launch(): Promise<Browser> {
  if (!chromiumPath) throw new Error('No Chromium found: install Debian\'s "chromium" package or set CHROMIUM_PATH')
  return chromium.launch({
    executablePath: chromiumPath,
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

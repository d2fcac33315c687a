// What a suite needs from outside the repo (PostgreSQL, a tool): found, it runs; missing, it is skipped with a printed
// reason, except under CI, where a missing need is a failing test that names it. No suite skips in silence.
import { afterAll, beforeAll, describe, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { adminUrl } from './db'
import { DAPR_VERSION, runtimeBin } from './runtime'
import { findTool } from './tools'

/** Something a suite needs: its name as the suite's name says it, where it was found, and how to get it. */
export interface Need {
  what: string
  /** The tool's path or the server's URL; undefined when it is not here. */
  readonly found: string | undefined
  how: string
}

/** True under CI (CI=true, as GitHub Actions and .ci/run set it), where nothing may be skipped. */
export const underCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase())

const GO_TOOL = (what: string, module: string): Need => ({
  what,
  found: findTool(what, `${what.toUpperCase()}_BIN`),
  how: `go install ${module} (bash .ci/run installs it)`,
})

/** The runtime's folder when it holds daprd, looked for (and, where Go is, built) once, on first ask. */
const runtimeFolder = (() => {
  let folder: { path: string | undefined } | undefined
  return () => {
    folder ??= { path: runtimeBin() }
    return folder.path && existsSync(join(folder.path, 'daprd')) ? folder.path : undefined
  }
})()

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** Every outside thing some suite needs. */
export const need = {
  postgres: { what: 'PostgreSQL', found: adminUrl, how: 'set DATABASE_URL to a PostgreSQL server whose role may create databases (see README, Testing)' },
  chromium: {
    what: 'Chromium',
    found: CHROMIUM_CANDIDATES.find((p): p is string => Boolean(p && existsSync(p))),
    how: 'install Debian\'s "chromium" package or set CHROMIUM_PATH (bash .ci/run installs it)',
  },
  jq: { what: 'jq', found: Bun.which('jq') ?? undefined, how: 'apt-get install jq (bash .ci/run installs it)' },
  helm: GO_TOOL('helm', 'helm.sh/helm/v3/cmd/helm@v3.21.0'),
  kubeconform: GO_TOOL('kubeconform', 'github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0'),
  actionlint: GO_TOOL('actionlint', 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.7'),
  prom2json: GO_TOOL('prom2json', 'github.com/prometheus/prom2json/cmd/prom2json@v1.4.2'),
  /** daprd, its scheduler and the broker, for the suites that ask. */
  daprRuntime: {
    what: `the Dapr ${DAPR_VERSION} runtime`,
    get found() {
      return runtimeFolder()
    },
    how: 'export TODO_RUNTIME_BIN=$(bash .ci/runtime/build.sh), which needs Go (see README, Testing)',
  },
} satisfies Record<string, Need>

const and = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`)

/** A suite's tests and hooks, registered only when everything it needs is here. */
export interface Gated {
  describe(name: string, fn: () => void): void
  test(name: string, fn: () => unknown, timeout?: number): void
  beforeAll(fn: () => unknown, timeout?: number): void
  afterAll(fn: () => unknown, timeout?: number): void
}

/**
 * Gates the suite `suite` on `needs`. When all are found, its describes, tests and hooks register as usual, each
 * name ending in "(needs ...)". When one is missing, one line on stderr says what was skipped and how to get what
 * is missing, and the tests are reported as skipped; under CI, one failing test names what is missing instead.
 */
export function requires(suite: string, ...needs: Need[]): Gated {
  const label = `(needs ${and(needs.map((n) => n.what))})`
  const missing = needs.filter((n) => !n.found)
  const runs = missing.length === 0
  const reason = `${and(missing.map((n) => n.what))} ${missing.length > 1 ? 'are' : 'is'} missing: ${missing.map((n) => n.how).join('; ')}`
  if (!runs && underCi) {
    test(`${suite} ${label}`, () => {
      throw new Error(`CI must run ${suite}, but ${reason}`)
    })
  } else if (!runs) {
    console.warn(`skipped: ${suite} ${label}: ${reason}`)
  }
  const named = (name: string) => `${name} ${label}`
  return {
    describe: (name, fn) => {
      if (runs) describe(named(name), fn)
      else if (!underCi) describe.skip(named(name), fn)
    },
    test: (name, fn, timeout) => {
      if (runs) test(named(name), fn as () => Promise<void>, timeout)
      else if (!underCi) test.skip(named(name), fn as () => Promise<void>, timeout)
    },
    beforeAll: (fn, timeout) => {
      if (runs) beforeAll(fn as () => Promise<void>, timeout)
    },
    afterAll: (fn, timeout) => {
      if (runs) afterAll(fn as () => Promise<void>, timeout)
    },
  }
}

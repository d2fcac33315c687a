// The app's dependencies are built once (appDeps): one clock, one set of instruments, and a holder for the secrets
// that rotate, so the configuration stays as it was read at start.
import { describe, expect, test } from 'bun:test'
import { appDeps, type AppOptions } from '../src/context'
import type { Database } from '../src/db/client'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { systemClock } from '../src/lib/time'

const options = (extra: Partial<AppOptions> = {}): AppOptions => ({
  env: loadEnv({ OPENAI_API_KEY: 'sk-at-start-0123456789' }),
  // appDeps only hands the database on; nothing here queries it.
  database: {} as Database,
  log: createLogger('silent'),
  ...extra,
})

describe('appDeps', () => {
  test('builds the dependencies once: the same object for the same options, and for its own result', () => {
    const given = options()
    const deps = appDeps(given)
    expect(appDeps(given)).toBe(deps)
    expect(appDeps(deps)).toBe(deps)
    expect(appDeps(options())).not.toBe(deps)
  })

  test('the clock is always there: the system clock unless the caller gives one', () => {
    expect(appDeps(options()).clock).toBe(systemClock)
    const fixed = () => new Date('2026-12-01T09:00:00Z')
    expect(appDeps(options({ clock: fixed })).clock()).toEqual(new Date('2026-12-01T09:00:00Z'))
  })

  test('a rotated secret goes into the holder; the configuration keeps the value read at start', () => {
    const deps = appDeps(options())
    expect(deps.secrets.get('OPENAI_API_KEY')).toBe('sk-at-start-0123456789')
    expect(deps.secrets.replace('OPENAI_API_KEY', 'sk-rotated-9876543210')).toBe(true)
    expect(deps.secrets.replace('OPENAI_API_KEY', 'sk-rotated-9876543210')).toBe(false)
    expect(deps.secrets.get('OPENAI_API_KEY')).toBe('sk-rotated-9876543210')
    expect(deps.env.openaiApiKey).toBe('sk-at-start-0123456789')
  })
})

// Password hashing and checking (argon2id), bounded per process so a log-in storm cannot take every core and all memory.
import type { Env } from '../../env'
import { AppError } from '../../lib/errors'
import { WorkGate } from '../../lib/work-gate'

/** The only way the app hashes or checks a password: every call waits for a slot, or is refused at once. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  /** Whether `password` matches `hash`; with no hash (no such account) it still does the same work, then says no. */
  verify(password: string, hash: string | undefined): Promise<boolean>
}

/** The argon2 implementation underneath (Bun's, which runs off the JavaScript thread). */
export interface PasswordAlgorithm {
  hash(password: string, options: { algorithm: 'argon2id' }): Promise<string>
  verify(password: string, hash: string): Promise<boolean>
}

const OPTIONS = { algorithm: 'argon2id' } as const

/** Seconds a refused caller is told to wait: a slot frees within a hash or two. */
export const HASHING_BUSY_RETRY_AFTER = 1

/**
 * A hasher that runs at most `concurrency` argon2id jobs at once (each takes about 64 MiB and a core for
 * ~0.1 s) with `queue` more waiting; beyond that, callers get a 503 with Retry-After at once instead of
 * piling up until the request deadline.
 */
export function boundedPasswordHasher(
  limits: { concurrency: number; queue: number },
  algorithm: PasswordAlgorithm = Bun.password,
): PasswordHasher {
  const gate = new WorkGate({
    ...limits,
    busy: () => new AppError('unavailable', 'Too many sign-ins are being checked right now; try again in a moment', undefined, HASHING_BUSY_RETRY_AFTER),
  })
  let dummy: Promise<string> | undefined
  /** A throwaway hash keeps "no such account" as slow as "wrong password". */
  const dummyHash = () =>
    (dummy ??= algorithm.hash('not a real password', OPTIONS).catch((error: unknown) => {
      dummy = undefined
      throw error
    }))
  return {
    hash: (password) => gate.run(() => algorithm.hash(password, OPTIONS)),
    verify: (password, hash) =>
      gate.run(async () => {
        const ok = await algorithm.verify(password, hash ?? (await dummyHash()))
        return ok && hash !== undefined
      }),
  }
}

const shared = new WeakMap<Env, PasswordHasher>()

/** The process's hasher for this configuration: every feature that hashes or checks a password shares its bound. */
export function passwordHasherOf(deps: { env: Env; passwords?: PasswordHasher }): PasswordHasher {
  if (deps.passwords) return deps.passwords
  let hasher = shared.get(deps.env)
  if (!hasher) shared.set(deps.env, (hasher = boundedPasswordHasher({ concurrency: deps.env.passwordHashConcurrency, queue: deps.env.passwordHashQueue })))
  return hasher
}

// What the account services need, taken from the app's dependencies: one password hasher (and its bound) per process.
import type { AppDeps } from '../../context'
import type { QuotaDeps } from '../../lib/quotas'
import { passwordHasherOf } from './passwords'
import type { AuthDeps } from './service'
import { tokenCacheOf } from './token-cache'

/** The account services' dependencies, for the REST routes and the web pages alike. */
export const authDepsOf = (deps: AppDeps): AuthDeps & QuotaDeps => ({
  db: deps.database.db,
  clock: deps.clock,
  sessionTtlDays: deps.env.sessionTtlDays,
  passwords: passwordHasherOf(deps),
  tokens: tokenCacheOf(deps),
  quotas: deps.env.quotas,
})

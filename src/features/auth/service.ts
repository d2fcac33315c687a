// Accounts: sign-up, log-in with rate limits, sessions and personal API tokens; resolving a bearer to a user.
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid, notFound } from '../../lib/errors'
import { isUniqueViolation } from '../../lib/db-errors'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { hashSecret, newId, newSecret, UUID } from '../../lib/secrets'
import { isTimeZone } from '../../lib/time'
import { clear, hit, peek, type Limit } from './rate-limit'
import { apiTokens, sessions, users, type User } from './schema'

export interface AuthDeps {
  db: Db
  clock: () => Date
  sessionTtlDays: number
}

/** The signed-in user as requests see it. */
export interface AuthUser {
  id: string
  email: string
  timezone: string
  /** How the request proved who it is. */
  via: 'session' | 'token'
  /** The session's or the API token's row id. */
  credentialId: string
}

export interface AccountView {
  id: string
  email: string
  timezone: string
}

export const SESSION_PREFIX = 'tcs_'
export const API_TOKEN_PREFIX = 'tct_'
export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128
/** Failed log-ins allowed per account, and per client address, in one window. */
export const LOGIN_ACCOUNT_LIMIT: Limit = { max: 5, windowSeconds: 15 * 60 }
export const LOGIN_IP_LIMIT: Limit = { max: 20, windowSeconds: 15 * 60 }
export const SIGNUP_IP_LIMIT: Limit = { max: 10, windowSeconds: 60 * 60 }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const HASH_OPTIONS = { algorithm: 'argon2id' } as const

export const toAccountView = (u: Pick<User, 'id' | 'email' | 'timezone'>): AccountView => ({
  id: u.id,
  email: u.email,
  timezone: u.timezone,
})

function parseEmail(value: unknown): string {
  if (typeof value !== 'string') throw invalid('email', 'email must be a string')
  const email = value.trim().toLowerCase()
  if (email.length > 254 || !EMAIL.test(email)) throw invalid('email', 'email must be an address like name@example.com')
  return email
}

function parsePassword(value: unknown): string {
  if (typeof value !== 'string') throw invalid('password', 'password must be a string')
  const length = [...value].length
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw invalid('password', `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`)
  }
  return value
}

export function parseTimeZone(value: unknown): string {
  if (typeof value !== 'string' || !isTimeZone(value.trim())) {
    throw invalid('timezone', 'timezone must be an IANA time zone name such as Europe/Berlin or UTC')
  }
  return value.trim()
}

let dummyHash: Promise<string> | undefined
/** Verifying against a throwaway hash keeps "no such account" as slow as "wrong password". */
const dummy = () => (dummyHash ??= Bun.password.hash('not a real password', HASH_OPTIONS))

async function issueSession(deps: AuthDeps, userId: string) {
  const token = newSecret(SESSION_PREFIX)
  const expiresAt = new Date(deps.clock().getTime() + deps.sessionTtlDays * 86_400_000)
  const id = newId()
  await deps.db.insert(sessions).values({ id, userId, tokenHash: hashSecret(token), expiresAt, createdAt: deps.clock() })
  return { token, expiresAt, sessionId: id }
}

export interface SignedIn {
  user: AccountView
  token: string
  expiresAt: Date
}

/** Creates an account and signs it in. `ip` is the client address, for the sign-up rate limit. */
export async function signUp(
  deps: AuthDeps,
  input: { email?: unknown; password?: unknown; timezone?: unknown },
  ip: string,
): Promise<SignedIn> {
  const email = parseEmail(input.email)
  const password = parsePassword(input.password)
  const timezone = input.timezone === undefined ? 'UTC' : parseTimeZone(input.timezone)
  const limited = await hit(deps.db, `signup:ip:${ip}`, SIGNUP_IP_LIMIT, deps.clock())
  if (limited.count > SIGNUP_IP_LIMIT.max) {
    throw new AppError('rate_limited', 'Too many sign-ups from this address; try again later', undefined, limited.retryAfter)
  }
  const id = newId()
  const now = deps.clock()
  try {
    await deps.db.insert(users).values({
      id,
      email,
      passwordHash: await Bun.password.hash(password, HASH_OPTIONS),
      timezone,
      createdAt: now,
      updatedAt: now,
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'An account with this email already exists', 'email')
    throw error
  }
  const session = await issueSession(deps, id)
  return { user: { id, email, timezone }, token: session.token, expiresAt: session.expiresAt }
}

const INVALID_LOGIN = 'Invalid email or password'

/**
 * Checks the credentials and opens a session. Failures are counted per account and per address;
 * past the limit the attempt is refused before the password is even checked.
 */
export async function logIn(deps: AuthDeps, input: { email?: unknown; password?: unknown }, ip: string): Promise<SignedIn> {
  if (typeof input.email !== 'string' || typeof input.password !== 'string') {
    throw invalid(typeof input.email !== 'string' ? 'email' : 'password', 'email and password are required')
  }
  const email = input.email.trim().toLowerCase()
  const accountKey = `login:account:${email}`
  const ipKey = `login:ip:${ip}`
  const now = deps.clock()
  const [byAccount, byIp] = await Promise.all([
    peek(deps.db, accountKey, LOGIN_ACCOUNT_LIMIT, now),
    peek(deps.db, ipKey, LOGIN_IP_LIMIT, now),
  ])
  if (byAccount.count >= LOGIN_ACCOUNT_LIMIT.max || byIp.count >= LOGIN_IP_LIMIT.max) {
    throw new AppError(
      'rate_limited',
      'Too many failed log-in attempts; try again later',
      undefined,
      Math.max(byAccount.count >= LOGIN_ACCOUNT_LIMIT.max ? byAccount.retryAfter : 0, byIp.count >= LOGIN_IP_LIMIT.max ? byIp.retryAfter : 0),
    )
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email))
  const ok = await Bun.password.verify(input.password, user?.passwordHash ?? (await dummy()))
  if (!user || !ok) {
    await Promise.all([hit(deps.db, accountKey, LOGIN_ACCOUNT_LIMIT, now), hit(deps.db, ipKey, LOGIN_IP_LIMIT, now)])
    throw new AppError('invalid_credentials', INVALID_LOGIN)
  }
  await clear(deps.db, accountKey)
  const session = await issueSession(deps, user.id)
  return { user: toAccountView(user), token: session.token, expiresAt: session.expiresAt }
}

/** Ends the session that `token` names (no-op for unknown tokens). */
export async function logOut(deps: AuthDeps, token: string): Promise<void> {
  if (!token.startsWith(SESSION_PREFIX)) return
  await deps.db.delete(sessions).where(eq(sessions.tokenHash, hashSecret(token)))
}

/** The user a session or API token belongs to, or null if it is unknown, expired or revoked. */
export async function resolveToken(deps: AuthDeps, token: string): Promise<AuthUser | null> {
  const now = deps.clock()
  const tokenHash = hashSecret(token)
  if (token.startsWith(SESSION_PREFIX)) {
    const [row] = await deps.db
      .select({ id: users.id, email: users.email, timezone: users.timezone, credentialId: sessions.id })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    return row ? { ...row, via: 'session' } : null
  }
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const [row] = await deps.db
      .select({
        id: users.id,
        email: users.email,
        timezone: users.timezone,
        credentialId: apiTokens.id,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    if (!row) return null
    // Record use at most once a minute, so reads stay reads.
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.credentialId))
    }
    const { lastUsedAt: _, ...user } = row
    return { ...user, via: 'token' }
  }
  return null
}

/** Changes the account's time zone. */
export async function updateAccount(deps: AuthDeps, userId: string, input: { timezone?: unknown }): Promise<AccountView> {
  const timezone = parseTimeZone(input.timezone)
  const [user] = await deps.db
    .update(users)
    .set({ timezone, updatedAt: deps.clock() })
    .where(eq(users.id, userId))
    .returning()
  if (!user) throw notFound('account')
  return toAccountView(user)
}

export interface TokenView {
  id: string
  name: string
  token_prefix: string
  created_at: string
  last_used_at: string | null
}

const toTokenView = (t: typeof apiTokens.$inferSelect): TokenView => ({
  id: t.id,
  name: t.name,
  token_prefix: t.tokenPrefix,
  created_at: t.createdAt.toISOString(),
  last_used_at: t.lastUsedAt?.toISOString() ?? null,
})

/** Creates a personal API token (within the user's quota of active ones); the returned `token` is the only time its value is shown. */
export async function createApiToken(deps: AuthDeps & QuotaDeps, userId: string, input: { name?: unknown }): Promise<TokenView & { token: string }> {
  if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.trim().length > 100) {
    throw invalid('name', 'name must be 1 to 100 characters, e.g. "laptop" or "claude desktop"')
  }
  const name = input.name.trim()
  const token = newSecret(API_TOKEN_PREFIX)
  return deps.db.transaction(async (tx) => {
    await reserveQuota(tx, 'apiTokens', userId, deps.quotas.apiTokens, sql`select 1 from ${apiTokens} where ${apiTokens.userId} = ${userId} and ${apiTokens.revokedAt} is null`)
    const [row] = await tx
      .insert(apiTokens)
      .values({
        id: newId(),
        userId,
        name,
        tokenHash: hashSecret(token),
        tokenPrefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        createdAt: deps.clock(),
      })
      .returning()
    return { ...toTokenView(row!), token }
  })
}

/** The user's active API tokens, newest first (values are never shown again). */
export async function listApiTokens(deps: AuthDeps, userId: string): Promise<TokenView[]> {
  const rows = await deps.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
  return rows.map(toTokenView)
}

/** Revokes one of the user's tokens; it stops working at once. Another user's token id is "not found". */
export async function revokeApiToken(deps: AuthDeps, userId: string, id: string): Promise<void> {
  if (!UUID.test(id)) throw notFound('token')
  const [row] = await deps.db
    .update(apiTokens)
    .set({ revokedAt: deps.clock() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id })
  if (!row) throw notFound('token')
}

// Accounts: sign-up, log-in with rate limits, sessions; resolving a bearer (session or API token) to a user.
import { and, eq, gt, isNull, ne } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid, notFound } from '../../lib/errors'
import { hashSecret, newId, newSecret } from '../../lib/secrets'
import type { ChangePassword, DeleteAccount, LogIn, SignUp, UpdateAccount } from './model'
import { passwordProblem } from './password-policy'
import type { PasswordHasher } from './passwords'
import { clear, hit, release, releaseAll, reserve, type Limit } from './rate-limit'
import { createInbox } from '../projects/access'
import { apiTokens, sessions, users, type User } from './schema'
import { announceRevoked, type CachedBearer, type TokenCache } from './token-cache'
import type { AuthUser } from './user'

export type { AuthUser }

/** What resolving a bearer needs. */
export interface SessionDeps {
  db: Db
  clock: () => Date
  /** Resolved bearers kept for a few seconds (token-cache.ts); absent, every request looks its bearer up. */
  tokens?: TokenCache
}

export interface AuthDeps extends SessionDeps {
  sessionTtlDays: number
  /** Every password hash and check goes through it (bounded per process). */
  passwords: PasswordHasher
}

/** The signed-in user as requests see it. */
export interface AccountView {
  id: string
  email: string
  timezone: string
}

export const SESSION_PREFIX = 'tcs_'
export const API_TOKEN_PREFIX = 'tct_'
/**
 * Log-in attempts are reserved before the password is checked, under three keys. Per account and address: the
 * budget of one guesser at one account, long (the owner elsewhere is unaffected). Per address: one guesser
 * across many accounts. Per account from everywhere: a short back-off against guessing from many addresses,
 * which delays the owner by a minute at most. A successful log-in gives its reservations back.
 */
export const LOGIN_PAIR_LIMIT: Limit = { max: 5, windowSeconds: 15 * 60 }
export const LOGIN_IP_LIMIT: Limit = { max: 20, windowSeconds: 15 * 60 }
export const LOGIN_ACCOUNT_LIMIT: Limit = { max: 10, windowSeconds: 60 }
export const SIGNUP_IP_LIMIT: Limit = { max: 10, windowSeconds: 60 * 60 }

export const toAccountView = (u: Pick<User, 'id' | 'email' | 'timezone'>): AccountView => ({
  id: u.id,
  email: u.email,
  timezone: u.timezone,
})

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

/** What a sign-up answers, whether or not the email already had an account. */
export interface SignUpAnswer {
  email: string
  message: string
}

export const SIGNED_UP = 'If this email had no account, it has one now: log in with it and your password.'

/**
 * Creates an account, without signing in. A taken email gets the same answer, after the same work (the
 * password is hashed either way), and the existing account is left untouched: the answer never tells whether
 * an address has an account. `input` is parsed (model.ts `SignUpInput`); `ip` is the client address, for the
 * sign-up rate limit.
 */
export async function signUp(deps: AuthDeps, input: SignUp, ip: string): Promise<SignUpAnswer> {
  const { email, password, timezone = 'UTC' } = input
  const limited = await hit(deps.db, `signup:ip:${ip}`, SIGNUP_IP_LIMIT, deps.clock())
  if (limited.count > SIGNUP_IP_LIMIT.max) {
    throw new AppError('rate_limited', 'Too many sign-ups from this address; try again later', undefined, limited.retryAfter)
  }
  const passwordHash = await deps.passwords.hash(password).catch(async (error: unknown) => {
    // Turned away before any work (hashing is busy): the attempt does not count against the address. Giving it
    // back is best effort; the caller hears of the first failure.
    await release(deps.db, `signup:ip:${ip}`, limited.windowStartedAt).catch(() => undefined)
    throw error
  })
  const now = deps.clock()
  await deps.db.transaction(async (tx) => {
    const [added] = await tx.insert(users).values({ id: newId(), email, passwordHash, timezone, createdAt: now, updatedAt: now }).onConflictDoNothing({ target: users.email }).returning({ id: users.id })
    // A new account starts with its Inbox, where tasks added without a project go.
    if (added) await createInbox(tx, added.id, now)
  })
  return { email, message: SIGNED_UP }
}

const INVALID_LOGIN = 'Invalid email or password'

/**
 * Checks the credentials and opens a session. The attempt is reserved under every log-in limit first, each
 * atomically, so parallel guesses cannot share one free slot; past a limit the password is never checked.
 * `input` is parsed (model.ts `LogInInput`: the email trimmed and lower-cased).
 */
export async function logIn(deps: AuthDeps, input: LogIn, ip: string): Promise<SignedIn> {
  const { email } = input
  const pairKey = `login:pair:${email}|${ip}`
  const reserved = await reserve(
    deps.db,
    [
      { key: pairKey, limit: LOGIN_PAIR_LIMIT },
      { key: `login:ip:${ip}`, limit: LOGIN_IP_LIMIT },
      { key: `login:account:${email}`, limit: LOGIN_ACCOUNT_LIMIT },
    ],
    deps.clock(),
  )
  if (reserved.retryAfter !== undefined) {
    throw new AppError('rate_limited', 'Too many failed log-in attempts; try again later', undefined, reserved.retryAfter)
  }
  let user: User | undefined
  let ok: boolean
  try {
    ;[user] = await deps.db.select().from(users).where(eq(users.email, email))
    ok = await deps.passwords.verify(input.password, user?.passwordHash)
  } catch (error) {
    // Not checked after all (hashing busy, database down): the attempt counts against no one, as far as the
    // database lets us give it back; the caller hears of the first failure.
    await releaseAll(deps.db, reserved.reservations).catch(() => undefined)
    throw error
  }
  if (!user || !ok) throw new AppError('invalid_credentials', INVALID_LOGIN)
  // The owner is in: their address's failures are forgotten, and this attempt is given back to the shared budgets.
  await Promise.all([clear(deps.db, pairKey), releaseAll(deps.db, reserved.reservations.filter((r) => r.key !== pairKey))])
  const session = await issueSession(deps, user.id)
  return { user: toAccountView(user), token: session.token, expiresAt: session.expiresAt }
}

/** Ends the session that `token` names (no-op for unknown tokens), on every replica at once. */
export async function logOut(deps: SessionDeps, token: string): Promise<void> {
  if (!token.startsWith(SESSION_PREFIX)) return
  const ended = await deps.db.transaction(async (tx) => {
    const [row] = await tx.delete(sessions).where(eq(sessions.tokenHash, hashSecret(token))).returning({ id: sessions.id })
    if (row) await announceRevoked(tx, { credentialId: row.id })
    return row
  })
  if (ended) deps.tokens?.evict({ credentialId: ended.id })
}

/** Record an API token's use at most once a minute, so reads stay reads. */
const USE_RECORD_MS = 60_000

/**
 * The user a session or API token belongs to, or null if it is unknown, expired or revoked. With `deps.tokens`, a
 * bearer resolved in the last few seconds is answered from memory; a session's expiry is still checked every time.
 */
export async function resolveToken(deps: SessionDeps, token: string): Promise<AuthUser | null> {
  if (!token.startsWith(SESSION_PREFIX) && !token.startsWith(API_TOKEN_PREFIX)) return null
  const now = deps.clock()
  const tokenHash = hashSecret(token)
  const cached = deps.tokens?.get(tokenHash)
  if (cached) {
    if (cached.expiresAt && cached.expiresAt <= now) return null
    if (cached.user.via === 'token') await recordUse(deps, cached, now)
    return { ...cached.user }
  }
  const stamp = deps.tokens?.stamp() ?? 0
  const found = await lookUp(deps.db, token, tokenHash, now)
  if (!found) return null
  if (found.user.via === 'token') await recordUse(deps, found, now)
  deps.tokens?.set(tokenHash, found, stamp)
  return found.user
}

async function recordUse(deps: SessionDeps, bearer: CachedBearer, now: Date): Promise<void> {
  if (bearer.lastUsedAt && now.getTime() - bearer.lastUsedAt.getTime() <= USE_RECORD_MS) return
  bearer.lastUsedAt = now
  await deps.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, bearer.user.credentialId))
}

/** The bearer's row, joined to its user: an unexpired session, or an unrevoked API token. */
async function lookUp(db: Db, token: string, tokenHash: string, now: Date): Promise<CachedBearer | null> {
  if (token.startsWith(SESSION_PREFIX)) {
    const [row] = await db
      .select({ id: users.id, email: users.email, timezone: users.timezone, credentialId: sessions.id, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    if (!row) return null
    const { expiresAt, ...user } = row
    return { user: { ...user, via: 'session' }, expiresAt, lastUsedAt: null }
  }
  const [row] = await db
    .select({ id: users.id, email: users.email, timezone: users.timezone, credentialId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
  if (!row) return null
  const { lastUsedAt, ...user } = row
  return { user: { ...user, via: 'token' }, expiresAt: null, lastUsedAt }
}

/** Changes the account's time zone (model.ts `UpdateAccountInput`); every replica forgets the user's cached bearers, which carry the old one. */
export async function updateAccount(deps: SessionDeps, userId: string, input: UpdateAccount): Promise<AccountView> {
  const { timezone } = input
  const user = await deps.db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ timezone, updatedAt: deps.clock() }).where(eq(users.id, userId)).returning()
    if (row) await announceRevoked(tx, { userId })
    return row
  })
  if (!user) throw notFound('account')
  deps.tokens?.evict({ userId })
  return toAccountView(user)
}

/** The account's row, if `password` is its password; else a 400 naming `field`. */
async function checkPassword(deps: AuthDeps, userId: string, password: string, field: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId))
  if (!(await deps.passwords.verify(password, user?.passwordHash)) || !user) throw invalid(field, `${field} is not your current password`)
  return user
}

/**
 * Sets a new password once the current one is given. Every other session ends, on every replica at once; the
 * session `keepToken` names (the one asking) stays. API tokens stay: they are revoked one by one.
 */
export async function changePassword(deps: AuthDeps, userId: string, input: ChangePassword, keepToken?: string): Promise<void> {
  const user = await checkPassword(deps, userId, input.current_password, 'current_password')
  const problem = passwordProblem(input.password, user.email)
  if (problem) throw invalid('password', problem)
  await setPassword(deps, userId, input.password, keepToken)
}

/** Sets `password` and ends every session of the account but the one `keepToken` names, on every replica. */
async function setPassword(deps: Pick<AuthDeps, 'db' | 'clock' | 'passwords' | 'tokens'>, userId: string, password: string, keepToken?: string): Promise<void> {
  const passwordHash = await deps.passwords.hash(password)
  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: deps.clock() }).where(eq(users.id, userId))
    const others = keepToken ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, hashSecret(keepToken))) : eq(sessions.userId, userId)
    await tx.delete(sessions).where(others)
    await announceRevoked(tx, { userId })
  })
  deps.tokens?.evict({ userId })
}

/**
 * Deletes the account and everything it owns (tasks, reminders, conversations, tokens, audit trail: every table
 * that names a user cascades), once its password is given. Its sessions and tokens stop working on every replica.
 */
export async function deleteAccount(deps: AuthDeps, userId: string, input: DeleteAccount): Promise<void> {
  await checkPassword(deps, userId, input.password, 'password')
  await deps.db.transaction(async (tx) => {
    await tx.delete(users).where(eq(users.id, userId))
    await announceRevoked(tx, { userId })
  })
  deps.tokens?.evict({ userId })
}

/**
 * An operator's reset for a person who forgot their password (there is no mail to send a link with): a new random
 * password is set and returned, to hand over; every session ends. `npm run reset-password -- <email>`.
 */
export async function resetPassword(deps: Pick<AuthDeps, 'db' | 'clock' | 'passwords'>, email: string): Promise<string> {
  const [user] = await deps.db.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase()))
  if (!user) throw notFound('account')
  const password = newSecret('').slice(0, 20)
  await setPassword(deps, user.id, password)
  return password
}

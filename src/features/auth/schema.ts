// Tables for accounts: users, login sessions (and their one-time flashes), personal API tokens and login rate-limit counters.
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored lower-cased and trimmed; unique. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** IANA zone name; recurrence and "today" are computed in it. */
    timezone: text('timezone').notNull().default('UTC'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
)

/** The owning user's id; rows go when the account goes. */
export const ownerId = (column = 'user_id') => uuid(column).notNull().references(() => users.id, { onDelete: 'cascade' })

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    /** SHA-256 of the session secret; the secret itself lives only in the cookie. */
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
)

/**
 * Something a page shows once, after a redirect (post/redirect/get): e.g. a new API token's value, shown by
 * GET /settings after POST /settings/tokens. Sealed with a key derived from the session secret, which only the
 * session's cookie holds, so the database never holds a readable secret; taken (deleted) when shown, gone with
 * its session, swept when expired.
 */
export const sessionFlashes = pgTable(
  'session_flashes',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    sealed: text('sealed').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.kind] }), index('session_flashes_expires_idx').on(t.expiresAt)],
)

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: ownerId(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The first characters of the token, shown in lists so a person can tell tokens apart. */
    tokenPrefix: text('token_prefix').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash),
    index('api_tokens_user_idx').on(t.userId, t.createdAt),
  ],
)

/** Fixed-window counters keyed by purpose and subject, e.g. `login:ip:203.0.113.9`; shared by all replicas. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowStartedAt)],
)

export type User = typeof users.$inferSelect
export type ApiToken = typeof apiTokens.$inferSelect

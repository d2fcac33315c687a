// Personal API tokens: created only from a session, listed without their values, revoked at once.
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, notFound } from '../../lib/errors'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { hashSecret, newId, newSecret, UUID } from '../../lib/secrets'
import type { CreateToken } from './model'
import { apiTokens } from './schema'
import { API_TOKEN_PREFIX, type AuthUser } from './service'
import { announceRevoked, type TokenCache } from './token-cache'

export interface TokenDeps {
  db: Db
  clock: () => Date
  /** Evicted at revoke, in this process; other replicas hear the NOTIFY. */
  tokens?: TokenCache
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

/**
 * Creates a personal API token (within the user's quota of active ones); the returned `token` is the only time its value is shown. Only a signed-in
 * session may: a token that could mint tokens would let whoever stole it keep access after it is revoked.
 */
export async function createApiToken(
  deps: TokenDeps & QuotaDeps,
  user: Pick<AuthUser, 'id' | 'via'>,
  input: CreateToken,
): Promise<TokenView & { token: string }> {
  if (user.via !== 'session') {
    throw new AppError('forbidden', 'API tokens are created from a signed-in session (log in, or use Settings → API tokens), never with another token')
  }
  const { name } = input
  const token = newSecret(API_TOKEN_PREFIX)
  return deps.db.transaction(async (tx) => {
    await reserveQuota(tx, 'apiTokens', user.id, deps.quotas.apiTokens, sql`select 1 from ${apiTokens} where ${apiTokens.userId} = ${user.id} and ${apiTokens.revokedAt} is null`)
    const [row] = await tx
      .insert(apiTokens)
      .values({
        id: newId(),
        userId: user.id,
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
export async function listApiTokens(deps: TokenDeps, userId: string): Promise<TokenView[]> {
  const rows = await deps.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
  return rows.map(toTokenView)
}

/** Revokes one of the user's tokens; it stops working at once, on every replica. Another user's token id is "not found". */
export async function revokeApiToken(deps: TokenDeps, userId: string, id: string): Promise<void> {
  if (!UUID.test(id)) throw notFound('token')
  const row = await deps.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: deps.clock() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id })
    if (revoked) await announceRevoked(tx, { credentialId: revoked.id })
    return revoked
  })
  if (!row) throw notFound('token')
  deps.tokens?.evict({ credentialId: row.id })
}

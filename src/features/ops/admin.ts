// POST /admin/reload-secrets: re-reads the secrets that can change without a rollout (the model key), as an admin,
// recorded in the admin audit trail (admin_actions) and the log.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { ROTATABLE_SECRETS, secretStoreConfig } from '../../env'
import { AppError } from '../../lib/errors'
import { readSecrets } from '../../lib/secret-store'
import { newId } from '../../lib/secrets'
import { authGuard } from '../auth/guard'
import { adminActions } from './schema'

export const adminRoutes = (deps: AppDeps, source: Record<string, string | undefined> = process.env) =>
  new Elysia({ name: 'admin-routes', seed: seedOf(deps), detail: { tags: ['Operations'] } }).use(authGuard(deps)).post(
    '/admin/reload-secrets',
    async ({ user }) => {
      if (!deps.env.adminUserIds.includes(user.id)) throw new AppError('forbidden', 'Only an admin (ADMIN_USER_IDS) may reload secrets')
      const config = secretStoreConfig(source)
      if (!config) throw new AppError('conflict', 'No secret store is configured (SECRET_STORE): secrets come from the environment and change with a rollout')
      // A value set in the environment wins over the store, now as at start.
      const fromStore = ROTATABLE_SECRETS.filter((s) => !source[s]?.trim())
      // The store being unreachable or refusing is the sidecar's state, not the caller's input: 503, the running key kept.
      const found = await readSecrets(config, fromStore).catch((error: unknown) => {
        throw new AppError('unavailable', error instanceof Error ? error.message : 'The secret store could not be read')
      })
      // Into the app's holder of rotated secrets; the configuration (env) stays as read at start.
      const changed = fromStore.filter((s) => found[s] !== undefined && deps.secrets.replace(s, found[s]))
      await deps.database.db.insert(adminActions).values({ id: newId(), userId: user.id, email: user.email, action: 'reload-secrets', detail: { reloaded: fromStore, changed } })
      deps.log.info('admin action', { action: 'reload-secrets', admin_user_id: user.id, changed })
      return { reloaded: fromStore, changed }
    },
    { auth: true, detail: { summary: 'Re-read the model key from the secret store (admins only)' } },
  )

// `npm run migrate`: applies pending migrations and exits (the Helm pre-install hook runs this).
import { openDatabase } from './db/client'
import { runMigrations } from './db/migrate'
import { ConfigError, loadEnv, secretStoreConfig } from './env'
import { withSecretStore } from './lib/secret-store'

try {
  const env = loadEnv(await withSecretStore(process.env, secretStoreConfig(), ['DATABASE_URL']))
  const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, poolMax: 1 })
  await runMigrations(database, env.databaseUrl)
  await database.close()
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'migrations applied' }))
} catch (error) {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : `Migration failed: ${(error as Error).message}`)
  process.exit(error instanceof ConfigError ? 2 : 1)
}

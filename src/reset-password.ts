// `npm run reset-password -- <email>` (in the image: `bun dist/reset-password.js <email>`): an operator's reset for a
// person who forgot their password. Prints a new random password to hand over; every session of theirs ends. They
// change it in Settings once signed in.
import { openDatabase } from './db/client'
import { ConfigError, loadEnv, secretStoreConfig } from './env'
import { passwordHasherOf } from './features/auth/passwords'
import { resetPassword } from './features/auth/service'
import { AppError } from './lib/errors'
import { withSecretStore } from './lib/secret-store'

const email = process.argv[2]
if (!email) {
  console.error('usage: npm run reset-password -- <email>')
  process.exit(2)
}
try {
  const env = loadEnv(await withSecretStore(process.env, secretStoreConfig(), ['DATABASE_URL']))
  const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, poolMax: 1 })
  try {
    const password = await resetPassword({ db: database.db, clock: () => new Date(), passwords: passwordHasherOf({ env }) }, email)
    console.log(`New password for ${email.trim().toLowerCase()}: ${password}\nHand it over; they can change it in Settings once signed in. Every session of theirs has ended.`)
  } finally {
    await database.close()
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error instanceof AppError && error.code === 'not_found' ? `No account has the email ${email}` : `Reset failed: ${(error as Error).message}`)
  process.exit(error instanceof ConfigError ? 2 : 1)
}

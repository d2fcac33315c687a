// Small shared helpers of the bench scripts: `--name value` options, percentiles and a scratch database.
import postgres from 'postgres'
import { openDatabase } from '../src/db/client'
import { runMigrations } from '../src/db/migrate'

/** The script's `--name value` options. */
export function options(): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
  return args
}

/** The p-th percentile of `xs` (nearest rank; NaN for none). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

/**
 * A migrated database of the bench's own on the PostgreSQL server DATABASE_URL names (exits with a
 * message when it is unset); `drop` removes it.
 */
export async function benchDatabase(bench: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    console.error(`bench/${bench} needs DATABASE_URL pointing at a PostgreSQL server (it creates and drops its own database)`)
    process.exit(2)
  }
  const name = `bench_${bench.replace(/\W/g, '_')}_${process.pid}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const database = await openDatabase({ url: url.toString(), poolMax: 2 })
  await runMigrations(database, url.toString())
  await database.close()
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

// A jsonb column that hands the driver the value itself, never a JSON string of it.
import { customType } from 'drizzle-orm/pg-core'

/**
 * drizzle's own jsonb turns the value into a JSON string before the driver sees it. postgres.js (as drizzle sets it
 * up) and PGlite send that string as it is, but Bun's SQL client encodes whatever it gets for a jsonb parameter,
 * so the column would hold a JSON *string* (drizzle-orm#4942, oven-sh/bun#28819). Every driver we open encodes
 * an object itself (`openDatabase` restores postgres.js's encoder), and every one parses jsonb on the way back.
 */
export const jsonb = <T = unknown>(name: string) =>
  customType<{ data: T; driverData: unknown }>({
    dataType: () => 'jsonb',
    toDriver: (value) => value,
    fromDriver: (value) => value as T,
  })(name)

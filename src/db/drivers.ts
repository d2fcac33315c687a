// The PostgreSQL clients drizzle can run over (DATABASE_DRIVER): a leaf, so the settings and the database share it.

/** postgres.js (the default) or Bun's built-in SQL client. */
export const DATABASE_DRIVERS = ['postgres-js', 'bun-sql'] as const
export type DatabaseDriver = (typeof DATABASE_DRIVERS)[number]

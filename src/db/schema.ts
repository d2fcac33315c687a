// Every table of the app, re-exported for drizzle (queries) and drizzle-kit (migrations).
export * from '../features/auth/schema'
export * from '../features/tasks/schema'
export * from '../features/idempotency/schema'

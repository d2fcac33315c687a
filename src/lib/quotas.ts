// Per-user quotas: how many tasks, pending reminders, API tokens, saved filters and projects one account may keep, checked in the transaction that adds one.
import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../db/client'
import { AppError } from './errors'

export interface Quotas {
  /** Tasks, pending and completed. */
  tasks: number
  /** Pending reminders, over all the user's tasks. */
  reminders: number
  /** API tokens that have not been revoked. */
  apiTokens: number
  /** Saved filters. */
  savedFilters: number
  /** Projects, the Inbox and archived ones included. */
  projects: number
}

/** What a service that adds rows needs to know about quotas. */
export interface QuotaDeps {
  quotas: Quotas
}

export const DEFAULT_QUOTAS: Quotas = { tasks: 10_000, reminders: 1_000, apiTokens: 50, savedFilters: 100, projects: 300 }

/** Advisory lock classes, one per kind (the second key is the user): far from the migration lock's number. */
const LOCK_CLASS: Record<keyof Quotas, number> = { tasks: 7_326_101, reminders: 7_326_102, apiTokens: 7_326_103, savedFilters: 7_326_104, projects: 7_326_105 }

const NOUN: Record<keyof Quotas, string> = { tasks: 'tasks', reminders: 'pending reminders', apiTokens: 'active API tokens', savedFilters: 'saved filters', projects: 'projects' }
const REMEDY: Record<keyof Quotas, string> = {
  tasks: 'delete some (completed ones too) first',
  reminders: 'cancel some first',
  apiTokens: 'revoke one you no longer use first',
  savedFilters: 'delete one you no longer use first',
  projects: 'delete or merge some first (archived ones count too)',
}

/** The quota error every face renders: a 409 naming what is full and how to make room. */
export const quotaExceeded = (kind: keyof Quotas, limit: number, field?: string) =>
  new AppError('quota_exceeded', `An account may keep at most ${limit} ${NOUN[kind]}; ${REMEDY[kind]}`, field)

/**
 * Takes the per-user, per-kind transaction lock the quota check takes: a write that renumbers a user's rows of
 * that kind (saved filters' positions) takes it too, so it runs one after another with adds and other renumbers.
 */
export async function lockKind(tx: Db, kind: keyof Quotas, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS[kind]}::int, hashtext(${userId}))`)
}

/**
 * Whether `adding` more rows of `kind` fit under `userId`'s quota. Must run inside the transaction that then
 * inserts them: it first takes a per-user, per-kind transaction lock, so parallel adds are counted one after
 * another and cannot overshoot. `existing` selects the user's rows of that kind.
 */
export async function roomFor(tx: Db, kind: keyof Quotas, userId: string, limit: number, existing: SQL, adding = 1): Promise<boolean> {
  await lockKind(tx, kind, userId)
  // Counting stops at the limit, so a full account costs no more than that to check.
  const [row] = await queryRows<{ n: number | string }>(tx, sql`select count(*) as n from (${existing} limit ${limit}) as counted`)
  return Number(row?.n ?? 0) + adding <= limit
}

/** As roomFor, but a full quota throws quotaExceeded (naming `field`, if one is at fault). */
export async function reserveQuota(tx: Db, kind: keyof Quotas, userId: string, limit: number, existing: SQL, adding = 1, field?: string): Promise<void> {
  if (!(await roomFor(tx, kind, userId, limit, existing, adding))) throw quotaExceeded(kind, limit, field)
}

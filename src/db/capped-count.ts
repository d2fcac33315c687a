// A list's `total`, counted exactly up to a cap and never over every match (README, "The API in brief").
import { count, sql, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './client'

/** Totals count exactly up to this many matches; above it a list says `total: 1000, total_is_exact: false`. */
export const TOTAL_CAP = 1000

export interface CappedTotal {
  total: number
  total_is_exact: boolean
}

/**
 * `count(*)` over at most TOTAL_CAP + 1 matching rows: the one extra row tells "exactly 1,000" from
 * "more than 1,000", and the scan under the count stops there however many rows match. `order`, the order of an
 * index that leads with the filter's first column, keeps that scan on an index: without it the planner may pick a
 * sequential scan that "stops at the limit" and, for a rare match, reads the whole table.
 */
export function cappedCount(db: Db, table: PgTable, where: SQL | undefined, order: SQL[] = []) {
  const matches = db.select({ one: sql<number>`1`.as('one') }).from(table).where(where).orderBy(...order).limit(TOTAL_CAP + 1).as('matches')
  return db.select({ n: count() }).from(matches)
}

/** The list fields for a capped count's answer. */
export function cappedTotal(rows: Array<{ n: number }>): CappedTotal {
  const n = rows[0]?.n ?? 0
  return { total: Math.min(n, TOTAL_CAP), total_is_exact: n <= TOTAL_CAP }
}


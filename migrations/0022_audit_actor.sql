-- The audit log says who made each change (actor_id; null = the app) and in which project the task was (project_id), so
-- a shared project's members read its entries. Nullable columns with no default: this transaction only changes the
-- catalogue. The old rows' values and the (project_id, id) index, built concurrently, come after it commits, under the
-- migration lock (src/db/backfill-projects.ts, finishAuditActors).
ALTER TABLE "audit_log" ADD COLUMN "actor_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "project_id" uuid;

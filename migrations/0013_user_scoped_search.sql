-- Tag and text search within one user's tasks: the user leads each GIN index (btree_gin gives uuid a GIN operator
-- class), built before the global indexes they replace are dropped, so searches never lose an index meanwhile.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_user_tags_idx" ON "tasks" USING gin ("user_id","tags");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_user_search_idx" ON "tasks" USING gin ("user_id",("title" || ' ' || "description") gin_trgm_ops);--> statement-breakpoint
DROP INDEX IF EXISTS "tasks_tags_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "tasks_search_idx";

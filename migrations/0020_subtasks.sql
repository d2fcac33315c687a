-- Subtasks: a task may name its parent. The column is added empty (no rewrite) and the foreign key NOT VALID, so this
-- transaction only changes the catalogue; the index (built concurrently) and the key's validation come after it commits,
-- under the migration lock (src/db/backfill-projects.ts, finishSubtasks).
ALTER TABLE "tasks" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_parent_id_tasks_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action NOT VALID;
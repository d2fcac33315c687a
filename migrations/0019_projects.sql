CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"color" text DEFAULT 'grey' NOT NULL,
	"is_inbox" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_name_length" CHECK (char_length("projects"."name") between 1 and 60),
	CONSTRAINT "projects_color" CHECK ("projects"."color" in ('grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'))
);
--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "projects_user_name_key" ON "projects" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "projects_user_inbox_key" ON "projects" USING btree ("user_id") WHERE "projects"."is_inbox";--> statement-breakpoint
CREATE INDEX "projects_user_position_idx" ON "projects" USING btree ("user_id","position");--> statement-breakpoint
-- Existing tasks move into each user's Inbox without downtime. This transaction only changes the catalogue and the
-- users' Inboxes: the column comes nullable (no table rewrite), every user gets an Inbox, and a trigger fills new rows.
ALTER TABLE "tasks" ADD COLUMN "project_id" uuid;--> statement-breakpoint
INSERT INTO "projects" ("id", "user_id", "name", "is_inbox", "created_at", "updated_at")
SELECT gen_random_uuid(), "id", 'Inbox', true, now(), now() FROM "users"
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- A task inserted without a project goes to its owner's Inbox, made if the account has none yet. This is what keeps an
-- app version from before projects (during a rolling deploy) working: it neither names a project nor makes Inboxes.
CREATE FUNCTION "tasks_default_project"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT "id" INTO NEW."project_id" FROM "projects" WHERE "user_id" = NEW."user_id" AND "is_inbox";
  IF NEW."project_id" IS NULL THEN
    INSERT INTO "projects" ("id", "user_id", "name", "is_inbox") VALUES (gen_random_uuid(), NEW."user_id", 'Inbox', true)
    ON CONFLICT DO NOTHING;
    -- Under READ COMMITTED (the app's level) this sees the Inbox another session's first insert made meanwhile.
    SELECT "id" INTO NEW."project_id" FROM "projects" WHERE "user_id" = NEW."user_id" AND "is_inbox";
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "tasks_default_project" BEFORE INSERT ON "tasks"
FOR EACH ROW WHEN (NEW."project_id" IS NULL) EXECUTE FUNCTION "tasks_default_project"();--> statement-breakpoint
-- The rest (moving the tasks in batches, the per-project indexes built concurrently, the foreign key validated, and
-- NOT NULL) runs after this transaction commits, still under the migration lock: src/db/backfill-projects.ts.
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action NOT VALID;
CREATE TABLE "session_flashes" (
	"session_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_flashes_session_id_kind_pk" PRIMARY KEY("session_id","kind")
);
--> statement-breakpoint
ALTER TABLE "session_flashes" ADD CONSTRAINT "session_flashes_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_flashes_expires_idx" ON "session_flashes" USING btree ("expires_at");
CREATE TABLE "import_keys" (
	"user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_key" text NOT NULL,
	"task_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_keys_user_id_source_external_key_pk" PRIMARY KEY("user_id","source","external_key")
);
--> statement-breakpoint
ALTER TABLE "import_keys" ADD CONSTRAINT "import_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
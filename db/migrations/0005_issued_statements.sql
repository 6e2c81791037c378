CREATE TABLE "issued_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"format" text NOT NULL,
	"language" text NOT NULL,
	"sha256" text NOT NULL,
	"issued_by_token_id" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issued_statements" ADD CONSTRAINT "issued_statements_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issued_statements_coop_subject_idx" ON "issued_statements" USING btree ("coop_id","subject_id","issued_at");
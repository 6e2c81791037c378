CREATE TABLE "bank_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"posted_on" date NOT NULL,
	"description" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"running_balance" numeric(14, 2),
	"bank_transaction_id" text,
	"dedupe_key" text NOT NULL,
	CONSTRAINT "bank_lines_amount_not_zero" CHECK ("bank_lines"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "bank_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"format" text NOT NULL,
	"layout" text NOT NULL,
	"file_sha256" text NOT NULL,
	"line_count" integer NOT NULL,
	"duplicates_skipped" integer NOT NULL,
	"first_date" date,
	"last_date" date,
	"opening_balance" numeric(14, 2),
	"closing_balance" numeric(14, 2),
	"imported_by_token_id" uuid NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_bank_lines" (
	"match_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"bank_line_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_entries" (
	"match_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "period_closes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"through" date NOT NULL,
	"ledger_bank_balance" numeric(14, 2) NOT NULL,
	"statement_balance" numeric(14, 2),
	"difference" numeric(14, 2),
	"forced" boolean NOT NULL,
	"reason" text,
	"closed_by_token_id" uuid NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "period_closes_forced_has_reason" CHECK (NOT "period_closes"."forced" OR "period_closes"."reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "reconciliation_matches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"method" text NOT NULL,
	"created_by_token_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_closes" ADD CONSTRAINT "period_closes_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_lines_coop_dedupe_key" ON "bank_lines" USING btree ("coop_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "bank_lines_coop_posted_on_idx" ON "bank_lines" USING btree ("coop_id","posted_on");--> statement-breakpoint
CREATE UNIQUE INDEX "match_bank_lines_line_key" ON "match_bank_lines" USING btree ("bank_line_id");--> statement-breakpoint
CREATE INDEX "match_bank_lines_match_idx" ON "match_bank_lines" USING btree ("match_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_entries_entry_key" ON "match_entries" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "match_entries_match_idx" ON "match_entries" USING btree ("match_id");--> statement-breakpoint
CREATE UNIQUE INDEX "period_closes_coop_through_key" ON "period_closes" USING btree ("coop_id","through");
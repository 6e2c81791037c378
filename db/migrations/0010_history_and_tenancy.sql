CREATE TABLE "statement_register" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"format" text NOT NULL,
	"language" text NOT NULL,
	"sha256" text NOT NULL,
	"issued_by_token_id" uuid NOT NULL,
	"first_issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"times_issued" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "statement_register_document_key" UNIQUE NULLS NOT DISTINCT("coop_id","kind","subject_id","period_from","period_to","format","language","sha256","issued_by_token_id"),
	CONSTRAINT "statement_register_kind_known" CHECK ("statement_register"."kind" IN ('holder', 'pool', 'local_authority')),
	CONSTRAINT "statement_register_format_known" CHECK ("statement_register"."format" IN ('json', 'csv', 'pdf')),
	CONSTRAINT "statement_register_language_known" CHECK ("statement_register"."language" IN ('en', 'cy')),
	CONSTRAINT "statement_register_times_positive" CHECK ("statement_register"."times_issued" >= 1),
	CONSTRAINT "statement_register_last_after_first" CHECK ("statement_register"."last_issued_at" >= "statement_register"."first_issued_at")
);
--> statement-breakpoint
INSERT INTO "statement_register" ("id", "coop_id", "kind", "subject_id", "period_from", "period_to", "format", "language", "sha256", "issued_by_token_id", "first_issued_at", "last_issued_at", "times_issued")
SELECT (array_agg("id" ORDER BY "issued_at", "id"))[1], "coop_id", "kind", "subject_id", "period_from", "period_to", "format", "language", "sha256", "issued_by_token_id", min("issued_at"), max("issued_at"), count(*)
  FROM "issued_statements"
 GROUP BY "coop_id", "kind", "subject_id", "period_from", "period_to", "format", "language", "sha256", "issued_by_token_id";--> statement-breakpoint
-- Keys that composite foreign keys (a link and its co-op) reference.
ALTER TABLE "members" ADD CONSTRAINT "members_id_coop_key" UNIQUE("id","coop_id");--> statement-breakpoint
ALTER TABLE "pools" ADD CONSTRAINT "pools_id_coop_key" UNIQUE("id","coop_id");--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_id_coop_key" UNIQUE("id","coop_id");--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_id_coop_key" UNIQUE("id","coop_id");--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_id_coop_key" UNIQUE("id","coop_id");--> statement-breakpoint
ALTER TABLE "tokens" DROP CONSTRAINT "tokens_scope_matches_role";--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_member_id_members_id_fk";
--> statement-breakpoint
DROP INDEX "purchases_provider_invoice_key";--> statement-breakpoint
ALTER TABLE "awards" DROP CONSTRAINT "awards_pkey";--> statement-breakpoint
ALTER TABLE "awards" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "awards" ALTER COLUMN "updated_at" DROP NOT NULL;--> statement-breakpoint
-- Existing awards (one per holder) become the first award of each holder's history.
ALTER TABLE "awards" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "awards" ALTER COLUMN "id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "awards" ADD PRIMARY KEY ("id");--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "coop_id" uuid;--> statement-breakpoint
UPDATE "awards" SET "coop_id" = m."coop_id" FROM "members" m WHERE m."id" = "awards"."member_id";--> statement-breakpoint
ALTER TABLE "awards" ALTER COLUMN "coop_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "replaced_by_award_id" uuid;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "created_by_token_id" uuid;--> statement-breakpoint
ALTER TABLE "awards" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
UPDATE "tokens" SET "expires_at" = greatest("created_at" + CASE "role" WHEN 'admin' THEN interval '90 days' ELSE interval '365 days' END, now() + interval '30 days');--> statement-breakpoint
ALTER TABLE "tokens" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD COLUMN "coop_id" uuid;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD COLUMN "joined_on" date;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD COLUMN "left_on" date;--> statement-breakpoint
UPDATE "pool_memberships" SET "coop_id" = p."coop_id", "joined_on" = ("joined_at" AT TIME ZONE 'Europe/London')::date, "left_on" = ("left_at" AT TIME ZONE 'Europe/London')::date FROM "pools" p WHERE p."id" = "pool_memberships"."pool_id";--> statement-breakpoint
ALTER TABLE "pool_memberships" ALTER COLUMN "coop_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "pool_memberships" ALTER COLUMN "joined_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "allocation_inputs" ADD COLUMN "coop_id" uuid;--> statement-breakpoint
ALTER TABLE "allocation_inputs" DISABLE TRIGGER "allocation_inputs_append_only";--> statement-breakpoint
UPDATE "allocation_inputs" SET "coop_id" = e."coop_id" FROM "journal_entries" e WHERE e."id" = "allocation_inputs"."entry_id";--> statement-breakpoint
ALTER TABLE "allocation_inputs" ENABLE TRIGGER "allocation_inputs_append_only";--> statement-breakpoint
ALTER TABLE "allocation_inputs" ALTER COLUMN "coop_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD COLUMN "coop_id" uuid;--> statement-breakpoint
ALTER TABLE "purchase_lines" DISABLE TRIGGER "purchase_lines_append_only";--> statement-breakpoint
UPDATE "purchase_lines" SET "coop_id" = pu."coop_id" FROM "purchases" pu WHERE pu."id" = "purchase_lines"."purchase_id";--> statement-breakpoint
ALTER TABLE "purchase_lines" ENABLE TRIGGER "purchase_lines_append_only";--> statement-breakpoint
ALTER TABLE "purchase_lines" ALTER COLUMN "coop_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "purchase_shares" ADD COLUMN "coop_id" uuid;--> statement-breakpoint
ALTER TABLE "purchase_shares" DISABLE TRIGGER "purchase_shares_append_only";--> statement-breakpoint
UPDATE "purchase_shares" SET "coop_id" = pu."coop_id" FROM "purchases" pu WHERE pu."id" = "purchase_shares"."purchase_id";--> statement-breakpoint
ALTER TABLE "purchase_shares" ENABLE TRIGGER "purchase_shares_append_only";--> statement-breakpoint
ALTER TABLE "purchase_shares" ALTER COLUMN "coop_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "statement_register" ADD CONSTRAINT "statement_register_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_register" ADD CONSTRAINT "statement_register_issued_by_token_id_tokens_id_fk" FOREIGN KEY ("issued_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_register_coop_idx" ON "statement_register" USING btree ("coop_id","id");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_replaced_by_award_id_awards_id_fk" FOREIGN KEY ("replaced_by_award_id") REFERENCES "public"."awards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_created_by_token_id_tokens_id_fk" FOREIGN KEY ("created_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_created_by_token_id_tokens_id_fk" FOREIGN KEY ("created_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_pool_coop_fk" FOREIGN KEY ("pool_id","coop_id") REFERENCES "public"."pools"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_pool_coop_fk" FOREIGN KEY ("pool_id","coop_id") REFERENCES "public"."pools"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_provider_coop_fk" FOREIGN KEY ("provider_id","coop_id") REFERENCES "public"."providers"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_created_by_token_id_tokens_id_fk" FOREIGN KEY ("created_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_reverses_coop_fk" FOREIGN KEY ("reverses_entry_id","coop_id") REFERENCES "public"."journal_entries"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_inputs" ADD CONSTRAINT "allocation_inputs_entry_coop_fk" FOREIGN KEY ("entry_id","coop_id") REFERENCES "public"."journal_entries"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_inputs" ADD CONSTRAINT "allocation_inputs_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_purchase_coop_fk" FOREIGN KEY ("purchase_id","coop_id") REFERENCES "public"."purchases"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_shares" ADD CONSTRAINT "purchase_shares_purchase_coop_fk" FOREIGN KEY ("purchase_id","coop_id") REFERENCES "public"."purchases"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_shares" ADD CONSTRAINT "purchase_shares_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_provider_coop_fk" FOREIGN KEY ("provider_id","coop_id") REFERENCES "public"."providers"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_pool_coop_fk" FOREIGN KEY ("pool_id","coop_id") REFERENCES "public"."pools"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_entry_coop_fk" FOREIGN KEY ("entry_id","coop_id") REFERENCES "public"."journal_entries"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_pool_coop_fk" FOREIGN KEY ("pool_id","coop_id") REFERENCES "public"."pools"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_provider_coop_fk" FOREIGN KEY ("provider_id","coop_id") REFERENCES "public"."providers"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_entry_coop_fk" FOREIGN KEY ("entry_id","coop_id") REFERENCES "public"."journal_entries"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "awards_member_idx" ON "awards" USING btree ("member_id","starts_on");--> statement-breakpoint
CREATE INDEX "tokens_created_by_idx" ON "tokens" USING btree ("created_by_token_id");--> statement-breakpoint
CREATE INDEX "tokens_coop_idx" ON "tokens" USING btree ("coop_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "purchases_provider_invoice_idx" ON "purchases" USING btree ("provider_id","invoice_reference");--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_frequency_known" CHECK ("awards"."frequency" IN ('weekly', 'four_weekly', 'monthly'));--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_amount_positive" CHECK ("awards"."amount" > 0);--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_ends_after_start" CHECK ("awards"."ends_on" IS NULL OR "awards"."ends_on" >= "awards"."starts_on");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_only_holders_have_la" CHECK ("members"."stakeholder_class" = 'holder' OR ("members"."local_authority_id" IS NULL AND "members"."la_reference" IS NULL));--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_stakeholder_class_known" CHECK ("members"."stakeholder_class" IN ('holder', 'worker', 'supporter', 'family_carer'));--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_preferred_language_known" CHECK ("members"."preferred_language" IN ('en', 'cy'));--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_role_known" CHECK ("tokens"."role" IN ('admin', 'treasurer', 'holder', 'la_officer'));--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_expire_after_creation" CHECK ("tokens"."expires_at" > "tokens"."created_at");--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_scope_matches_role" CHECK (("tokens"."role" = 'admin' AND "tokens"."coop_id" IS NULL AND "tokens"."member_id" IS NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'treasurer' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'holder' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NOT NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'la_officer' AND "tokens"."local_authority_id" IS NOT NULL AND "tokens"."coop_id" IS NULL AND "tokens"."member_id" IS NULL));--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_left_after_joining" CHECK ("pool_memberships"."left_on" IS NULL OR "pool_memberships"."left_on" >= "pool_memberships"."joined_on");--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_left_together" CHECK (("pool_memberships"."left_on" IS NULL) = ("pool_memberships"."left_at" IS NULL));--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_frequency_known" CHECK ("pool_memberships"."agreed_contribution_frequency" IS NULL OR "pool_memberships"."agreed_contribution_frequency" IN ('weekly', 'four_weekly', 'monthly'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_kind_known" CHECK ("accounts"."kind" IN ('bank', 'holder_funds', 'pool_share', 'provider_payable', 'la_refund_due', 'coop_own', 'suspense'));--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_reversal_links" CHECK (("journal_entries"."kind" = 'reversal') = ("journal_entries"."reverses_entry_id" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_kind_known" CHECK ("journal_entries"."kind" IN ('dp_receipt', 'pool_contribution', 'pool_withdrawal', 'reversal', 'shared_cost', 'purchase', 'provider_payment', 'bank_charge', 'bank_interest', 'suspense', 'la_recovery'));--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_category_known" CHECK ("postings"."category" IS NULL OR "postings"."category" IN ('admin', 'support_coordination', 'insurance', 'payroll_services', 'training', 'bank_charges', 'other', 'personal_assistance', 'agency_care', 'day_activities', 'respite', 'equipment'));--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_kind_known" CHECK ("providers"."kind" IN ('cooperative', 'social_enterprise', 'charity', 'user_led', 'private', 'individual_pa', 'public'));--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_category_known" CHECK ("purchase_lines"."category" IN ('admin', 'support_coordination', 'insurance', 'payroll_services', 'training', 'bank_charges', 'other', 'personal_assistance', 'agency_care', 'day_activities', 'respite', 'equipment'));--> statement-breakpoint
ALTER TABLE "rate_card_services" ADD CONSTRAINT "rate_card_services_unit_known" CHECK ("rate_card_services"."unit" IN ('hour', 'session', 'day', 'night', 'item'));--> statement-breakpoint
ALTER TABLE "rate_card_services" ADD CONSTRAINT "rate_card_services_tier_period_known" CHECK ("rate_card_services"."tier_period" IN ('week', 'month'));--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_category_known" CHECK ("shared_costs"."category" IN ('admin', 'support_coordination', 'insurance', 'payroll_services', 'training', 'bank_charges', 'other'));--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_format_known" CHECK ("bank_statements"."format" IN ('csv', 'ofx'));--> statement-breakpoint
ALTER TABLE "reconciliation_matches" ADD CONSTRAINT "reconciliation_matches_method_known" CHECK ("reconciliation_matches"."method" IN ('reference', 'amount_date', 'contra', 'manual', 'booked'));
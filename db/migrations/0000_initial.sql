CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid,
	"actor_token_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "awards" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"frequency" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coops" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_cy" text,
	"registration_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "local_authorities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_cy" text NOT NULL,
	"code" text NOT NULL,
	"surplus_threshold_weeks" integer DEFAULT 8 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "local_authorities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"name" text NOT NULL,
	"stakeholder_class" text NOT NULL,
	"local_authority_id" uuid,
	"la_reference" text,
	"preferred_language" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_holder_has_la" CHECK ("members"."stakeholder_class" <> 'holder' OR ("members"."local_authority_id" IS NOT NULL AND "members"."la_reference" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"role" text NOT NULL,
	"label" text NOT NULL,
	"coop_id" uuid,
	"member_id" uuid,
	"local_authority_id" uuid,
	"created_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "tokens_scope_matches_role" CHECK (("tokens"."role" = 'admin' AND "tokens"."coop_id" IS NULL AND "tokens"."member_id" IS NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'treasurer' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NULL)
       OR ("tokens"."role" = 'holder' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NOT NULL)
       OR ("tokens"."role" = 'la_officer' AND "tokens"."local_authority_id" IS NOT NULL AND "tokens"."coop_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "pool_memberships" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pool_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"agreed_contribution_amount" numeric(14, 2),
	"agreed_contribution_frequency" text,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pools" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_cy" text,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"member_id" uuid,
	"pool_id" uuid,
	"local_authority_id" uuid,
	"balance" numeric(14, 2) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_member_money_not_overdrawn" CHECK ("accounts"."kind" NOT IN ('holder_funds', 'pool_share') OR "accounts"."balance" <= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"coop_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_coop_id_key_pk" PRIMARY KEY("coop_id","key")
);
--> statement-breakpoint
CREATE TABLE "journal_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value_date" date NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"memo" text NOT NULL,
	"reference" text,
	"created_by_token_id" uuid NOT NULL,
	"idempotency_key" text,
	"reverses_entry_id" uuid
);
--> statement-breakpoint
CREATE TABLE "postings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "postings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"member_id" uuid,
	"amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "postings_amount_not_zero" CHECK ("postings"."amount" <> 0)
);
--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_local_authority_id_local_authorities_id_fk" FOREIGN KEY ("local_authority_id") REFERENCES "public"."local_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_local_authority_id_local_authorities_id_fk" FOREIGN KEY ("local_authority_id") REFERENCES "public"."local_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_memberships" ADD CONSTRAINT "pool_memberships_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pools" ADD CONSTRAINT "pools_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_local_authority_id_local_authorities_id_fk" FOREIGN KEY ("local_authority_id") REFERENCES "public"."local_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postings" ADD CONSTRAINT "postings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_coop_at_idx" ON "audit_log" USING btree ("coop_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "members_coop_la_reference_key" ON "members" USING btree ("coop_id","la_reference");--> statement-breakpoint
CREATE INDEX "members_local_authority_idx" ON "members" USING btree ("local_authority_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pool_memberships_current_key" ON "pool_memberships" USING btree ("pool_id","member_id") WHERE "pool_memberships"."left_at" IS NULL;--> statement-breakpoint
CREATE INDEX "pool_memberships_member_idx" ON "pool_memberships" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pools_coop_code_key" ON "pools" USING btree ("coop_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_coop_code_key" ON "accounts" USING btree ("coop_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_holder_funds_key" ON "accounts" USING btree ("member_id") WHERE "accounts"."kind" = 'holder_funds';--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_pool_share_key" ON "accounts" USING btree ("pool_id","member_id") WHERE "accounts"."kind" = 'pool_share';--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_bank_key" ON "accounts" USING btree ("coop_id") WHERE "accounts"."kind" = 'bank';--> statement-breakpoint
CREATE INDEX "journal_entries_coop_value_date_idx" ON "journal_entries" USING btree ("coop_id","value_date");--> statement-breakpoint
CREATE UNIQUE INDEX "journal_entries_reverses_key" ON "journal_entries" USING btree ("reverses_entry_id");--> statement-breakpoint
CREATE INDEX "postings_entry_idx" ON "postings" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "postings_account_idx" ON "postings" USING btree ("account_id","entry_id");--> statement-breakpoint
CREATE INDEX "postings_member_idx" ON "postings" USING btree ("member_id");
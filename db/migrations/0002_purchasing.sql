CREATE TABLE "allocation_inputs" (
	"entry_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"input" numeric(14, 2) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "allocation_inputs_entry_id_member_id_pk" PRIMARY KEY("entry_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "allocation_records" (
	"entry_id" uuid PRIMARY KEY NOT NULL,
	"method" text NOT NULL,
	"range_from" date,
	"range_to" date
);
--> statement-breakpoint
CREATE TABLE "provider_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purchase_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"paid_on" date NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_payments_entry_id_unique" UNIQUE("entry_id")
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"ciw_number" text,
	"welsh_language_service" boolean NOT NULL,
	"locality" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "purchase_lines" (
	"purchase_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"service_type" text NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"unit" text,
	"units" numeric(12, 2) NOT NULL,
	"unit_rate" numeric(12, 2) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"individual_rate" numeric(12, 2) NOT NULL,
	"individual_amount" numeric(14, 2) NOT NULL,
	"member_id" uuid,
	CONSTRAINT "purchase_lines_purchase_id_line_number_pk" PRIMARY KEY("purchase_id","line_number")
);
--> statement-breakpoint
CREATE TABLE "purchase_shares" (
	"purchase_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"individual_amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "purchase_shares_purchase_id_member_id_pk" PRIMARY KEY("purchase_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"pool_id" uuid,
	"member_id" uuid,
	"invoice_reference" text NOT NULL,
	"invoice_date" date NOT NULL,
	"service_from" date NOT NULL,
	"service_to" date NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"individual_rate_total" numeric(14, 2) NOT NULL,
	"entry_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchases_entry_id_unique" UNIQUE("entry_id"),
	CONSTRAINT "purchases_pool_or_member" CHECK (("purchases"."pool_id" IS NULL) <> ("purchases"."member_id" IS NULL)),
	CONSTRAINT "purchases_total_positive" CHECK ("purchases"."total" > 0)
);
--> statement-breakpoint
CREATE TABLE "rate_card_services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"rate_card_id" uuid NOT NULL,
	"service_type" text NOT NULL,
	"unit" text NOT NULL,
	"individual_rate" numeric(12, 2) NOT NULL,
	"tier_period" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_card_tiers" (
	"service_id" uuid NOT NULL,
	"min_units" numeric(12, 2) NOT NULL,
	"rate" numeric(12, 2) NOT NULL,
	CONSTRAINT "rate_card_tiers_service_id_min_units_pk" PRIMARY KEY("service_id","min_units")
);
--> statement-breakpoint
CREATE TABLE "rate_cards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shared_costs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"coop_id" uuid NOT NULL,
	"pool_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"cost_date" date NOT NULL,
	"provider_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shared_costs_entry_id_unique" UNIQUE("entry_id")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "provider_id" uuid;--> statement-breakpoint
ALTER TABLE "postings" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "allocation_inputs" ADD CONSTRAINT "allocation_inputs_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_inputs" ADD CONSTRAINT "allocation_inputs_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocation_records" ADD CONSTRAINT "allocation_records_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_payments" ADD CONSTRAINT "provider_payments_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_payments" ADD CONSTRAINT "provider_payments_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_lines" ADD CONSTRAINT "purchase_lines_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_shares" ADD CONSTRAINT "purchase_shares_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_shares" ADD CONSTRAINT "purchase_shares_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_card_services" ADD CONSTRAINT "rate_card_services_rate_card_id_rate_cards_id_fk" FOREIGN KEY ("rate_card_id") REFERENCES "public"."rate_cards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_card_tiers" ADD CONSTRAINT "rate_card_tiers_service_id_rate_card_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."rate_card_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_cards" ADD CONSTRAINT "rate_cards_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_costs" ADD CONSTRAINT "shared_costs_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_payments_purchase_idx" ON "provider_payments" USING btree ("purchase_id");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_coop_name_key" ON "providers" USING btree ("coop_id","name");--> statement-breakpoint
CREATE INDEX "purchase_shares_member_idx" ON "purchase_shares" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_provider_invoice_key" ON "purchases" USING btree ("provider_id","invoice_reference");--> statement-breakpoint
CREATE INDEX "purchases_coop_date_idx" ON "purchases" USING btree ("coop_id","invoice_date");--> statement-breakpoint
CREATE UNIQUE INDEX "rate_card_services_card_type_key" ON "rate_card_services" USING btree ("rate_card_id","service_type");--> statement-breakpoint
CREATE INDEX "rate_cards_provider_idx" ON "rate_cards" USING btree ("provider_id","id");--> statement-breakpoint
CREATE INDEX "shared_costs_pool_idx" ON "shared_costs" USING btree ("pool_id","cost_date");
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "invitations_secret_hash_unique" UNIQUE("secret_hash"),
	CONSTRAINT "invitations_expire_after_creation" CHECK ("invitations"."expires_at" > "invitations"."created_at")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"role" text NOT NULL,
	"coop_id" uuid,
	"member_id" uuid,
	"local_authority_id" uuid,
	"preferred_language" text NOT NULL,
	"password_hash" text,
	"totp_secret" text,
	"totp_last_step" integer,
	"invited_by_token_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"suspended_at" timestamp with time zone,
	CONSTRAINT "people_role_known" CHECK ("people"."role" IN ('admin', 'treasurer', 'holder', 'la_officer', 'supporter')),
	CONSTRAINT "people_preferred_language_known" CHECK ("people"."preferred_language" IN ('en', 'cy')),
	CONSTRAINT "people_scope_matches_role" CHECK (("people"."role" IN ('admin', 'supporter') AND "people"."coop_id" IS NULL AND "people"."member_id" IS NULL AND "people"."local_authority_id" IS NULL)
       OR ("people"."role" = 'treasurer' AND "people"."coop_id" IS NOT NULL AND "people"."member_id" IS NULL AND "people"."local_authority_id" IS NULL)
       OR ("people"."role" = 'holder' AND "people"."coop_id" IS NOT NULL AND "people"."member_id" IS NOT NULL AND "people"."local_authority_id" IS NULL)
       OR ("people"."role" = 'la_officer' AND "people"."local_authority_id" IS NOT NULL AND "people"."coop_id" IS NULL AND "people"."member_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"second_factor_pending" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supporter_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"supporter_person_id" uuid NOT NULL,
	"coop_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"access" text NOT NULL,
	"granted_by_token_id" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_by_token_id" uuid,
	"ended_at" timestamp with time zone,
	CONSTRAINT "supporter_links_access_known" CHECK ("supporter_links"."access" IN ('view', 'act'))
);
--> statement-breakpoint
ALTER TABLE "tokens" DROP CONSTRAINT "tokens_role_known";--> statement-breakpoint
ALTER TABLE "tokens" DROP CONSTRAINT "tokens_scope_matches_role";--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_created_by_token_id_tokens_id_fk" FOREIGN KEY ("created_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_local_authority_id_local_authorities_id_fk" FOREIGN KEY ("local_authority_id") REFERENCES "public"."local_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_invited_by_token_id_tokens_id_fk" FOREIGN KEY ("invited_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_token_id_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_links" ADD CONSTRAINT "supporter_links_supporter_person_id_people_id_fk" FOREIGN KEY ("supporter_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_links" ADD CONSTRAINT "supporter_links_granted_by_token_id_tokens_id_fk" FOREIGN KEY ("granted_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_links" ADD CONSTRAINT "supporter_links_ended_by_token_id_tokens_id_fk" FOREIGN KEY ("ended_by_token_id") REFERENCES "public"."tokens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_links" ADD CONSTRAINT "supporter_links_member_coop_fk" FOREIGN KEY ("member_id","coop_id") REFERENCES "public"."members"("id","coop_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_person_idx" ON "invitations" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_key" ON "people" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "people_holder_member_key" ON "people" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "people_coop_idx" ON "people" USING btree ("coop_id");--> statement-breakpoint
CREATE INDEX "people_local_authority_idx" ON "people" USING btree ("local_authority_id");--> statement-breakpoint
CREATE INDEX "sessions_person_idx" ON "sessions" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "supporter_links_live_key" ON "supporter_links" USING btree ("supporter_person_id","member_id") WHERE "supporter_links"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "supporter_links_member_idx" ON "supporter_links" USING btree ("member_id");--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_role_known" CHECK ("tokens"."role" IN ('admin', 'treasurer', 'holder', 'la_officer', 'supporter'));--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_scope_matches_role" CHECK (("tokens"."role" IN ('admin', 'supporter') AND "tokens"."coop_id" IS NULL AND "tokens"."member_id" IS NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'treasurer' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'holder' AND "tokens"."coop_id" IS NOT NULL AND "tokens"."member_id" IS NOT NULL AND "tokens"."local_authority_id" IS NULL)
       OR ("tokens"."role" = 'la_officer' AND "tokens"."local_authority_id" IS NOT NULL AND "tokens"."coop_id" IS NULL AND "tokens"."member_id" IS NULL));
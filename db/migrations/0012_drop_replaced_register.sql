DROP TABLE "issued_statements" CASCADE;--> statement-breakpoint
ALTER TABLE "awards" DROP COLUMN "updated_at";
ALTER TABLE "idempotency_keys" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "result" jsonb;--> statement-breakpoint
-- A key used to keep the HTTP answer (status and body); it now keeps what the use case came to: its result, or the
-- refusal it raised (error code, detail, extra members, and the fields named without where they were sent).
UPDATE "idempotency_keys" SET
  "outcome" = CASE WHEN "response_status" = 0 THEN 'pending' WHEN "response_status" < 400 THEN 'done' ELSE 'refused' END,
  "result" = CASE
    WHEN "response_status" = 0 THEN NULL
    WHEN "response_status" < 400 THEN "response_body"
    ELSE jsonb_build_object(
      'code', substr("response_body"->>'type', length('https://cronfa.dev/problems/') + 1),
      'detail', coalesce("response_body"->>'detail', ''),
      'extra', "response_body" - 'type' - 'title' - 'status' - 'detail' - 'errors',
      'fieldErrors', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                 'field', regexp_replace(e->>'path', '^(body|querystring|params)\.', ''),
                 'message', e->>'message'))
          FROM jsonb_array_elements(
                 CASE WHEN jsonb_typeof("response_body"->'errors') = 'array' THEN "response_body"->'errors'
                      ELSE '[]'::jsonb END) e), '[]'::jsonb))
  END;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_outcome_known" CHECK ("idempotency_keys"."outcome" IN ('pending', 'done', 'refused'));
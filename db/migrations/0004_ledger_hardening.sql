-- Postings may be added to an entry only in the transaction that created it: a committed entry is closed, so
-- a later balanced pair cannot silently change what it says (corrections are reversals).
CREATE FUNCTION cronfa_refuse_posting_to_committed_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  entry_xmin text;
BEGIN
  -- An entry inserted by the same statement (a data-modifying CTE) is not visible yet: the foreign key still
  -- checks it exists at the end of the statement. A visible entry must have been written by this transaction.
  SELECT xmin::text INTO entry_xmin FROM journal_entries WHERE id = NEW.entry_id;
  IF entry_xmin IS NOT NULL AND entry_xmin <> (pg_current_xact_id()::text::bigint % 4294967296)::text THEN
    RAISE EXCEPTION 'journal entry % is already committed: post a reversal instead of adding postings', NEW.entry_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER postings_only_with_their_entry BEFORE INSERT ON postings
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_posting_to_committed_entry();
--> statement-breakpoint

-- An account's identity (co-op, kind, owner) never changes, or past postings would move between members.
CREATE OR REPLACE FUNCTION cronfa_guard_cached_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'accounts.balance is derived from postings and cannot be set directly'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.coop_id IS DISTINCT FROM OLD.coop_id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.member_id IS DISTINCT FROM OLD.member_id OR NEW.pool_id IS DISTINCT FROM OLD.pool_id
     OR NEW.provider_id IS DISTINCT FROM OLD.provider_id OR NEW.code IS DISTINCT FROM OLD.code THEN
    RAISE EXCEPTION 'an account''s co-op, kind, owner and code never change'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

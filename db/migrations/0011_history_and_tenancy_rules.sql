-- History is never rewritten, and a link never crosses co-ops: the database's own rules, whatever the code does.

-- 1. The audit log is a record of what happened: append-only.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- 2. A token's identity, power and expiry never change; it may be used (last_used_at) and revoked, and a revocation
--    is final. Tokens are never deleted (the journal and the audit log name them).
CREATE FUNCTION cronfa_guard_token() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'tokens are never deleted; revoke them' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'a token''s revocation is final' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.token_hash IS DISTINCT FROM OLD.token_hash OR NEW.role IS DISTINCT FROM OLD.role
     OR NEW.label IS DISTINCT FROM OLD.label OR NEW.coop_id IS DISTINCT FROM OLD.coop_id
     OR NEW.member_id IS DISTINCT FROM OLD.member_id OR NEW.local_authority_id IS DISTINCT FROM OLD.local_authority_id
     OR NEW.created_by_token_id IS DISTINCT FROM OLD.created_by_token_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN
    RAISE EXCEPTION 'a token''s identity, scope and expiry never change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER tokens_guard BEFORE UPDATE OR DELETE ON tokens
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_token();
--> statement-breakpoint
CREATE TRIGGER tokens_no_truncate BEFORE TRUNCATE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- 3. A posting names the member who owns its account (or none, for an account nobody owns). Checked in the same
--    trigger that keeps postings to their own entry's transaction, so a posting costs one more index lookup.
CREATE OR REPLACE FUNCTION cronfa_refuse_posting_to_committed_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  entry_xmin text;
  account_owner uuid;
BEGIN
  -- An entry inserted by the same statement (a data-modifying CTE) is not visible yet: the foreign key still
  -- checks it exists at the end of the statement. A visible entry must have been written by this transaction.
  SELECT xmin::text INTO entry_xmin FROM journal_entries WHERE id = NEW.entry_id;
  IF entry_xmin IS NOT NULL AND entry_xmin <> (pg_current_xact_id()::text::bigint % 4294967296)::text THEN
    RAISE EXCEPTION 'journal entry % is already committed: post a reversal instead of adding postings', NEW.entry_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT member_id INTO account_owner FROM accounts WHERE id = NEW.account_id;
  IF NEW.member_id IS DISTINCT FROM account_owner THEN
    RAISE EXCEPTION 'a posting names member % but its account belongs to %', NEW.member_id, account_owner
      USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_member_owns_account';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint

-- 4. Awards are dated history: a holder's awards never overlap (a replaced award, corrected by another for the same
--    dates, stands aside), a closed period's award never changes, and an award may only be ended earlier or marked
--    replaced. Changes to one holder's awards queue on a lock taken before each write; the overlap is checked at
--    commit, after a correction has both added the new award and marked the old one replaced.
CREATE FUNCTION cronfa_check_awards_do_not_overlap() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM awards a
              WHERE a.member_id = NEW.member_id AND a.id <> NEW.id AND a.replaced_by_award_id IS NULL
                AND daterange(a.starts_on, a.ends_on, '[]') && daterange(NEW.starts_on, NEW.ends_on, '[]')
                AND EXISTS (SELECT 1 FROM awards n WHERE n.id = NEW.id AND n.replaced_by_award_id IS NULL)) THEN
    RAISE EXCEPTION 'awards of member % overlap', NEW.member_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'awards_no_overlap';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER awards_no_overlap
  AFTER INSERT ON awards DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_awards_do_not_overlap();
--> statement-breakpoint
CREATE FUNCTION cronfa_guard_award() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'awards are history: never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM pg_advisory_xact_lock(7307, hashtext(NEW.member_id::text));
  IF TG_OP = 'INSERT' THEN
    PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.starts_on);
    RETURN NEW;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.coop_id IS DISTINCT FROM OLD.coop_id OR NEW.member_id IS DISTINCT FROM OLD.member_id
     OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.frequency IS DISTINCT FROM OLD.frequency
     OR NEW.starts_on IS DISTINCT FROM OLD.starts_on OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.created_by_token_id IS DISTINCT FROM OLD.created_by_token_id
     OR (OLD.replaced_by_award_id IS NOT NULL AND NEW.replaced_by_award_id IS DISTINCT FROM OLD.replaced_by_award_id)
     OR (OLD.ends_on IS NOT NULL AND (NEW.ends_on IS NULL OR NEW.ends_on > OLD.ends_on)) THEN
    RAISE EXCEPTION 'an award may only be ended earlier or marked replaced' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Only a correction of the same holder's, from this award's start or before, replaces it.
  IF NEW.replaced_by_award_id IS DISTINCT FROM OLD.replaced_by_award_id AND NOT EXISTS (
       SELECT 1 FROM awards r
        WHERE r.id = NEW.replaced_by_award_id AND r.id <> NEW.id AND r.member_id = NEW.member_id
          AND r.starts_on <= NEW.starts_on AND r.replaced_by_award_id IS NULL) THEN
    RAISE EXCEPTION 'an award is replaced only by a later-recorded award of the same holder covering its start'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'awards_replaced_by_correction';
  END IF;
  -- The dates that change hands must be open: from the day after the new end, or the whole award when replaced.
  IF NEW.replaced_by_award_id IS DISTINCT FROM OLD.replaced_by_award_id THEN
    PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.starts_on);
  ELSIF NEW.ends_on IS DISTINCT FROM OLD.ends_on THEN
    PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.ends_on + 1);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER awards_guard BEFORE INSERT OR UPDATE OR DELETE ON awards
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_award();
--> statement-breakpoint
CREATE TRIGGER awards_no_truncate BEFORE TRUNCATE ON awards
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- 5. Pool memberships are dated history too: joining is recorded once, leaving once, neither inside a closed period.
CREATE FUNCTION cronfa_guard_pool_membership() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'pool memberships are history: never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.joined_on);
    RETURN NEW;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.coop_id IS DISTINCT FROM OLD.coop_id OR NEW.pool_id IS DISTINCT FROM OLD.pool_id
     OR NEW.member_id IS DISTINCT FROM OLD.member_id OR NEW.joined_on IS DISTINCT FROM OLD.joined_on
     OR NEW.joined_at IS DISTINCT FROM OLD.joined_at
     OR NEW.agreed_contribution_amount IS DISTINCT FROM OLD.agreed_contribution_amount
     OR NEW.agreed_contribution_frequency IS DISTINCT FROM OLD.agreed_contribution_frequency
     OR OLD.left_on IS NOT NULL THEN
    RAISE EXCEPTION 'a pool membership may only be ended, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.left_on);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pool_memberships_guard BEFORE INSERT OR UPDATE OR DELETE ON pool_memberships
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_pool_membership();
--> statement-breakpoint
CREATE TRIGGER pool_memberships_no_truncate BEFORE TRUNCATE ON pool_memberships
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- 5b. A reversal undoes an original entry: a reversal is never itself reversed (post the original again instead).
CREATE FUNCTION cronfa_check_reversal_target() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.reverses_entry_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM journal_entries o WHERE o.id = NEW.reverses_entry_id AND o.kind = 'reversal') THEN
    RAISE EXCEPTION 'entry % is a reversal: it is not reversed', NEW.reverses_entry_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entries_reversal_of_original';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_reversal_of_original BEFORE INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_reversal_target();
--> statement-breakpoint

-- 6. One live invoice per provider and reference. A reversed purchase no longer counts, so the corrected invoice can
--    be recorded under its own reference. Inserts of one reference queue on an advisory lock, and each check reads
--    what committed before it (a new snapshot per statement), so two live ones can never both commit.
CREATE FUNCTION cronfa_check_invoice_live_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7308, hashtext(NEW.provider_id::text || '/' || NEW.invoice_reference));
  IF EXISTS (SELECT 1 FROM purchases p
              WHERE p.provider_id = NEW.provider_id AND p.invoice_reference = NEW.invoice_reference AND p.id <> NEW.id
                AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_entry_id = p.entry_id)) THEN
    RAISE EXCEPTION 'invoice % from this provider is already recorded', NEW.invoice_reference
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'purchases_provider_invoice_live_key';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER purchases_invoice_live_once BEFORE INSERT ON purchases
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_invoice_live_once();
--> statement-breakpoint

-- 7. The statement register only counts forward: a row is never deleted, and a repeat download only moves its last
--    time on and adds one to its count.
CREATE FUNCTION cronfa_guard_statement_register() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the statement register is append-only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.coop_id IS DISTINCT FROM OLD.coop_id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.subject_id IS DISTINCT FROM OLD.subject_id OR NEW.period_from IS DISTINCT FROM OLD.period_from
     OR NEW.period_to IS DISTINCT FROM OLD.period_to OR NEW.format IS DISTINCT FROM OLD.format
     OR NEW.language IS DISTINCT FROM OLD.language OR NEW.sha256 IS DISTINCT FROM OLD.sha256
     OR NEW.issued_by_token_id IS DISTINCT FROM OLD.issued_by_token_id OR NEW.first_issued_at IS DISTINCT FROM OLD.first_issued_at
     OR NEW.times_issued <> OLD.times_issued + 1 OR NEW.last_issued_at < OLD.last_issued_at THEN
    RAISE EXCEPTION 'a register row only counts a repeat issue' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER statement_register_guard BEFORE UPDATE OR DELETE ON statement_register
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_statement_register();
--> statement-breakpoint
CREATE TRIGGER statement_register_no_truncate BEFORE TRUNCATE ON statement_register
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();

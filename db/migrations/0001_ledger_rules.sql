-- The ledger's rules, enforced by the database whatever the application does.

-- 1. Every journal entry balances to the penny and has at least two postings, all on accounts of the entry's co-op.
--    Checked at commit (deferred), so an entry and its postings can be inserted in any order within a transaction.
CREATE FUNCTION cronfa_assert_entry_balanced(checked_entry_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  posting_total numeric;
  posting_count integer;
  foreign_count integer;
BEGIN
  SELECT coalesce(sum(p.amount), 0), count(*), count(*) FILTER (WHERE a.coop_id <> e.coop_id)
    INTO posting_total, posting_count, foreign_count
    FROM journal_entries e
    LEFT JOIN postings p ON p.entry_id = e.id
    LEFT JOIN accounts a ON a.id = p.account_id
   WHERE e.id = checked_entry_id;
  IF posting_count < 2 OR posting_total <> 0 THEN
    RAISE EXCEPTION 'journal entry % is unbalanced: % postings summing to %', checked_entry_id, posting_count, posting_total
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced';
  END IF;
  IF foreign_count > 0 THEN
    RAISE EXCEPTION 'journal entry % posts to another co-op''s account', checked_entry_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_single_coop';
  END IF;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION cronfa_check_posting_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cronfa_assert_entry_balanced(NEW.entry_id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION cronfa_check_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cronfa_assert_entry_balanced(NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER postings_balanced
  AFTER INSERT ON postings DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_posting_entry();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER journal_entries_balanced
  AFTER INSERT ON journal_entries DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_entry();
--> statement-breakpoint

-- 2. Entries and postings are append-only: corrections are reversals.
CREATE FUNCTION cronfa_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused (post a reversal instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- 3. Cached balances follow postings and nothing else; the CHECK on accounts keeps member money at or above zero.
CREATE FUNCTION cronfa_apply_posting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER postings_update_balance AFTER INSERT ON postings
  FOR EACH ROW EXECUTE FUNCTION cronfa_apply_posting();
--> statement-breakpoint
CREATE FUNCTION cronfa_guard_cached_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only the postings trigger (nesting depth 2) may move a cached balance.
  IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'accounts.balance is derived from postings and cannot be set directly'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_guard_balance BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_cached_balance();
--> statement-breakpoint
CREATE FUNCTION cronfa_guard_account_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'accounts are never deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION cronfa_guard_account_delete();

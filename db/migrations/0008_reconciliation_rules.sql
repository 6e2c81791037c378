-- Bank imports and period closes are records of what happened: append-only. Matches may be undone, but only in an
-- open period (below).
CREATE TRIGGER bank_statements_append_only BEFORE UPDATE OR DELETE ON bank_statements
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bank_lines_append_only BEFORE UPDATE OR DELETE ON bank_lines
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER period_closes_append_only BEFORE UPDATE OR DELETE ON period_closes
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- A closed period is final. Every entry and every match change takes a shared per-co-op lock before checking the
-- close date; closing takes the same lock exclusively. So a close and an entry dated inside it can never both
-- commit, whichever starts first. SQLSTATE CR001 carries the closed date in DETAIL.
CREATE FUNCTION cronfa_assert_period_open(checked_coop_id uuid, checked_date date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  closed_through date;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7305, hashtext(checked_coop_id::text));
  SELECT max(through) INTO closed_through FROM period_closes WHERE coop_id = checked_coop_id;
  IF closed_through IS NOT NULL AND checked_date <= closed_through THEN
    RAISE EXCEPTION 'the books are closed through %', closed_through
      USING ERRCODE = 'CR001', DETAIL = closed_through::text;
  END IF;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION cronfa_check_entry_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cronfa_assert_period_open(NEW.coop_id, NEW.value_date);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journal_entries_period_open BEFORE INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_entry_period();
--> statement-breakpoint

-- A match links a co-op's own lines and entries, and changes only in an open period.
CREATE FUNCTION cronfa_check_match_line() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link record;
  line record;
BEGIN
  IF TG_OP = 'DELETE' THEN link := OLD; ELSE link := NEW; END IF;
  SELECT coop_id, posted_on INTO line FROM bank_lines WHERE id = link.bank_line_id;
  IF line.coop_id IS DISTINCT FROM link.coop_id THEN
    RAISE EXCEPTION 'a match names another co-op''s bank line' USING ERRCODE = 'check_violation';
  END IF;
  PERFORM cronfa_assert_period_open(link.coop_id, line.posted_on);
  RETURN link;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER match_bank_lines_period_open BEFORE INSERT OR DELETE ON match_bank_lines
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_match_line();
--> statement-breakpoint
CREATE FUNCTION cronfa_check_match_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  link record;
  entry record;
BEGIN
  IF TG_OP = 'DELETE' THEN link := OLD; ELSE link := NEW; END IF;
  SELECT coop_id, value_date INTO entry FROM journal_entries WHERE id = link.entry_id;
  IF entry.coop_id IS DISTINCT FROM link.coop_id THEN
    RAISE EXCEPTION 'a match names another co-op''s entry' USING ERRCODE = 'check_violation';
  END IF;
  PERFORM cronfa_assert_period_open(link.coop_id, entry.value_date);
  RETURN link;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER match_entries_period_open BEFORE INSERT OR DELETE ON match_entries
  FOR EACH ROW EXECUTE FUNCTION cronfa_check_match_entry();
--> statement-breakpoint
CREATE TRIGGER match_links_no_update_lines BEFORE UPDATE ON match_bank_lines
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER match_links_no_update_entries BEFORE UPDATE ON match_entries
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER reconciliation_matches_no_update BEFORE UPDATE ON reconciliation_matches
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint

-- The co-op's own money and its suspense account, one each per co-op (created on first use).
CREATE UNIQUE INDEX accounts_coop_own_key ON accounts (coop_id) WHERE kind = 'coop_own';
--> statement-breakpoint
CREATE UNIQUE INDEX accounts_suspense_key ON accounts (coop_id) WHERE kind = 'suspense';

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

-- References of the bulk tables, checked once per statement over the rows it wrote (see db/schema/reconciliation.ts):
-- a bank line belongs to an import of its own co-op; a match to an existing co-op. The planner cannot see how few
-- rows a transition table holds and would hash whole tables to join them; these functions join by index instead, so
-- a check costs what was written, not what the table holds.
CREATE FUNCTION cronfa_check_bank_line_refs() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_lines l LEFT JOIN bank_statements s ON s.id = l.statement_id
              WHERE s.id IS NULL OR s.coop_id <> l.coop_id) THEN
    RAISE EXCEPTION 'a bank line names an import that is not its co-op''s' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER bank_lines_refs AFTER INSERT ON bank_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_bank_line_refs();
--> statement-breakpoint
CREATE FUNCTION cronfa_check_match_refs() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_matches m LEFT JOIN coops c ON c.id = m.coop_id WHERE c.id IS NULL) THEN
    RAISE EXCEPTION 'a match names a co-op that does not exist' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reconciliation_matches_refs AFTER INSERT ON reconciliation_matches
  REFERENCING NEW TABLE AS new_matches FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_match_refs();
--> statement-breakpoint
-- Undoing a match removes its links (whose own triggers then check the period is open).
CREATE FUNCTION cronfa_unlink_deleted_matches() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  DELETE FROM match_bank_lines WHERE match_id IN (SELECT id FROM gone_matches);
  DELETE FROM match_entries WHERE match_id IN (SELECT id FROM gone_matches);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER reconciliation_matches_unlink AFTER DELETE ON reconciliation_matches
  REFERENCING OLD TABLE AS gone_matches FOR EACH STATEMENT EXECUTE FUNCTION cronfa_unlink_deleted_matches();
--> statement-breakpoint

-- A match links its co-op's own lines and entries to an existing match of that co-op, and changes only in an open
-- period. Checked once per statement over the links it changed; on delete only the period matters.
CREATE FUNCTION cronfa_check_match_lines() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT l.coop_id, min(b.posted_on) AS earliest,
           bool_or(b.id IS NULL OR b.coop_id <> l.coop_id) AS foreign_line,
           bool_or(TG_OP = 'INSERT' AND (m.id IS NULL OR m.coop_id <> l.coop_id)) AS foreign_match
      FROM changed_links l
      LEFT JOIN bank_lines b ON b.id = l.bank_line_id
      LEFT JOIN reconciliation_matches m ON m.id = l.match_id
     GROUP BY l.coop_id
  LOOP
    IF changed.foreign_line OR changed.foreign_match THEN
      RAISE EXCEPTION 'a match link names a bank line or match that is not its co-op''s' USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM cronfa_assert_period_open(changed.coop_id, changed.earliest);
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER match_bank_lines_inserted AFTER INSERT ON match_bank_lines
  REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_match_lines();
--> statement-breakpoint
CREATE TRIGGER match_bank_lines_deleted AFTER DELETE ON match_bank_lines
  REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_match_lines();
--> statement-breakpoint
CREATE FUNCTION cronfa_check_match_entries() RETURNS trigger
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  changed record;
BEGIN
  FOR changed IN
    SELECT l.coop_id, min(e.value_date) AS earliest,
           bool_or(e.id IS NULL OR e.coop_id <> l.coop_id) AS foreign_entry,
           bool_or(TG_OP = 'INSERT' AND (m.id IS NULL OR m.coop_id <> l.coop_id)) AS foreign_match
      FROM changed_links l
      LEFT JOIN journal_entries e ON e.id = l.entry_id
      LEFT JOIN reconciliation_matches m ON m.id = l.match_id
     GROUP BY l.coop_id
  LOOP
    IF changed.foreign_entry OR changed.foreign_match THEN
      RAISE EXCEPTION 'a match link names an entry or match that is not its co-op''s' USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM cronfa_assert_period_open(changed.coop_id, changed.earliest);
  END LOOP;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER match_entries_inserted AFTER INSERT ON match_entries
  REFERENCING NEW TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_match_entries();
--> statement-breakpoint
CREATE TRIGGER match_entries_deleted AFTER DELETE ON match_entries
  REFERENCING OLD TABLE AS changed_links FOR EACH STATEMENT EXECUTE FUNCTION cronfa_check_match_entries();
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

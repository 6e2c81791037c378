-- Two rules of the ledger, written once: a reversal counts as the kind of entry it reverses, and belongs to the entry
-- it reverses (its purchase, its shared cost); an entry is reversed once a reversal names it. Statements sum postings
-- through this view, so every statement applies the same rules.
CREATE VIEW "counted_entries" AS
SELECT e.*,
       coalesce(o.kind, e.kind) AS counted_kind,
       coalesce(e.reverses_entry_id, e.id) AS counted_entry_id,
       EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses_entry_id = e.id) AS reversed
  FROM journal_entries e
  LEFT JOIN journal_entries o ON o.id = e.reverses_entry_id;

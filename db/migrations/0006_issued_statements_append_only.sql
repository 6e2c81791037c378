-- The register of issued statements is a record of what was sent to whom: append-only.
CREATE TRIGGER issued_statements_append_only BEFORE UPDATE OR DELETE ON issued_statements
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();

-- Purchases, their lines and shares, shared costs, allocations and provider payments are financial records:
-- append-only like the journal. A mistake is corrected by reversing the entry they posted.
CREATE TRIGGER purchases_append_only BEFORE UPDATE OR DELETE ON purchases
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER purchase_lines_append_only BEFORE UPDATE OR DELETE ON purchase_lines
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER purchase_shares_append_only BEFORE UPDATE OR DELETE ON purchase_shares
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER provider_payments_append_only BEFORE UPDATE OR DELETE ON provider_payments
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER shared_costs_append_only BEFORE UPDATE OR DELETE ON shared_costs
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER allocation_records_append_only BEFORE UPDATE OR DELETE ON allocation_records
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE TRIGGER allocation_inputs_append_only BEFORE UPDATE OR DELETE ON allocation_inputs
  FOR EACH ROW EXECUTE FUNCTION cronfa_refuse_change();
--> statement-breakpoint
CREATE UNIQUE INDEX accounts_provider_payable_key ON accounts (provider_id) WHERE kind = 'provider_payable';

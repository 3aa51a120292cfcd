-- 0017 A benefit run writes hundreds of thousands of lines and payments naming one run and one
-- policy version. A foreign key checks (and locks) the run and the policy once per row; these
-- statement-level triggers check and lock them once per statement, with the same effect:
-- - a line or payment naming a run or policy version that does not exist is refused
--   (foreign_key_violation, as before);
-- - the rows named are locked FOR KEY SHARE until the writer commits, as a foreign key locks
--   them, so a concurrent delete waits and then finds the new rows;
-- - a run or policy version still named by a line or payment cannot be deleted.
-- The per-row foreign key to the elder stays: lines name many elders, and elders are deleted.
ALTER TABLE benefit_lines DROP CONSTRAINT benefit_lines_run_id_fkey;
ALTER TABLE benefit_lines DROP CONSTRAINT benefit_lines_policy_id_fkey;
ALTER TABLE benefit_payments DROP CONSTRAINT benefit_payments_run_id_fkey;

CREATE FUNCTION yl_benefit_refs_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  missing text;
BEGIN
  PERFORM 1 FROM benefit_runs r WHERE r.id IN (SELECT DISTINCT n.run_id FROM new_rows n) FOR KEY SHARE;
  SELECT n.run_id::text INTO missing FROM (SELECT DISTINCT run_id FROM new_rows) n
   WHERE NOT EXISTS (SELECT 1 FROM benefit_runs r WHERE r.id = n.run_id) LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE foreign_key_violation USING MESSAGE = format('%s names benefit run %s, which does not exist', TG_TABLE_NAME, missing),
      CONSTRAINT = TG_TABLE_NAME || '_run_id_fkey', TABLE = TG_TABLE_NAME;
  END IF;
  IF TG_TABLE_NAME = 'benefit_lines' THEN
    -- new_rows is benefit_lines here; the column is read by name through a query on it.
    EXECUTE 'SELECT 1 FROM benefit_policies p WHERE p.id IN (SELECT DISTINCT policy_id FROM new_rows) FOR KEY SHARE';
    EXECUTE 'SELECT n.policy_id::text FROM (SELECT DISTINCT policy_id FROM new_rows) n
              WHERE NOT EXISTS (SELECT 1 FROM benefit_policies p WHERE p.id = n.policy_id) LIMIT 1' INTO missing;
    IF missing IS NOT NULL THEN
      RAISE foreign_key_violation USING MESSAGE = format('benefit_lines names policy version %s, which does not exist', missing),
        CONSTRAINT = 'benefit_lines_policy_id_fkey', TABLE = TG_TABLE_NAME;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER benefit_lines_refs_ins AFTER INSERT ON benefit_lines REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_refs_check();
CREATE TRIGGER benefit_lines_refs_upd AFTER UPDATE ON benefit_lines REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_refs_check();
CREATE TRIGGER benefit_payments_refs_ins AFTER INSERT ON benefit_payments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_refs_check();
CREATE TRIGGER benefit_payments_refs_upd AFTER UPDATE ON benefit_payments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_refs_check();

CREATE FUNCTION yl_benefit_parent_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_TABLE_NAME = 'benefit_runs' THEN
    IF EXISTS (SELECT 1 FROM benefit_lines WHERE run_id = OLD.id) OR EXISTS (SELECT 1 FROM benefit_payments WHERE run_id = OLD.id) THEN
      RAISE foreign_key_violation USING MESSAGE = format('benefit run %s still has lines or payments', OLD.id),
        CONSTRAINT = 'benefit_lines_run_id_fkey', TABLE = 'benefit_lines';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM benefit_lines WHERE policy_id = OLD.id) THEN
    RAISE foreign_key_violation USING MESSAGE = format('policy version %s is named by benefit lines', OLD.id),
      CONSTRAINT = 'benefit_lines_policy_id_fkey', TABLE = 'benefit_lines';
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER benefit_runs_referenced BEFORE DELETE ON benefit_runs FOR EACH ROW EXECUTE FUNCTION yl_benefit_parent_delete();
CREATE TRIGGER benefit_policies_referenced BEFORE DELETE ON benefit_policies FOR EACH ROW EXECUTE FUNCTION yl_benefit_parent_delete();

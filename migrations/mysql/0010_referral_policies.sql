-- Referrals made from the policy catalogue (workflows/policies.json) name the
-- policies asked for (comma-separated codes; empty for a plain department
-- referral), and departments read their referrals by unit, status and due
-- time (the department handler's referral inbox).
-- Keep in lockstep with migrations/sqlite/0010_referral_policies.sql.
ALTER TABLE referrals ADD COLUMN policies VARCHAR(1024) NOT NULL DEFAULT '';
CREATE INDEX referrals_department ON referrals (department_unit_id, status, due_at, id);

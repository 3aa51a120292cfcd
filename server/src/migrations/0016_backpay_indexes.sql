-- 0016 Back-pay finds the elders whose facts were written after an earlier month's run
-- (modules/benefits/runs.ts `backpay`) by these indexes instead of reading every elder, category
-- and assessment of the county (1,000,000 elders: seconds per month looked back on).
CREATE INDEX elders_created ON elders (created_at);
CREATE INDEX elder_categories_created ON elder_categories (created_at);
CREATE INDEX assessments_created ON assessments (created_at);
CREATE INDEX benefit_applications_decided ON benefit_applications (decided_at) WHERE decided_at IS NOT NULL;

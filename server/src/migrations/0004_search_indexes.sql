-- Indexes measured by bench/elder-search.bench.ts: the roster's default order (region, pinyin)
-- served straight from an index, and category filters found from the category side.
CREATE INDEX elders_region_pinyin ON elders(region_code, name_pinyin, id);
CREATE INDEX elder_categories_cat_elder ON elder_categories(category, elder_id);

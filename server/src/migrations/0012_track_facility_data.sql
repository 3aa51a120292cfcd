-- 0012 The facilities tables the plan metrics read invalidate cached indicator values (0011) of
-- the townships their writes touch.
SELECT yl_track_indicator_data('facilities');
SELECT yl_track_indicator_data('beds');
SELECT yl_track_indicator_data('facility_residents');
SELECT yl_track_indicator_data('residential_compounds');

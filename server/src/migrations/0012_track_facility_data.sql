-- 0012 The facilities tables the plan metrics read invalidate cached indicator values (0011) of
-- the townships their writes touch.
SELECT yl_track_indicator_data('facilities');
SELECT yl_track_indicator_data('beds');
SELECT yl_track_indicator_data('facility_residents');
SELECT yl_track_indicator_data('residential_compounds');

-- Family members' orders ask whether their parent lives in care (the service entitlement).
CREATE POLICY family_read ON facility_residents FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));

-- Township lists sorted by age walk this index instead of sorting every elder of the township.
CREATE INDEX elders_birth_id ON elders(birth_date, id);

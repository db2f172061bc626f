-- A personal code is printed on a sheet that others read, so the code alone must not open what a
-- person answered. A personal draft's answers are readable only on the device that keeps them
-- (the SHA-256 of that device's draft cookie), and a teacher's finished diagnostic only with the
-- result key given once at submit (its SHA-256). Both are NULL for anonymous drafts, whose token
-- is itself the device's secret.
ALTER TABLE drafts ADD COLUMN device_hash TEXT;
ALTER TABLE drafts ADD COLUMN result_key_hash TEXT;

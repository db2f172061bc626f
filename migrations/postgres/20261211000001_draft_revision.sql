-- A draft's revision, raised by every write: a server that kept a draft in memory writes over it
-- only while nobody else has written it since (another instance on PostgreSQL), otherwise it
-- reads the draft again.
ALTER TABLE drafts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- What opening an access code reads (the code, its school, campaign and expected counts) is kept
-- in each instance's memory; a change to any of it tells every instance to forget what it keeps
-- (`respond::cache`), at the commit of the change and from whatever wrote it.
CREATE FUNCTION orientir_codes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('orientir_codes', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER access_codes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_codes
    FOR EACH STATEMENT EXECUTE FUNCTION orientir_codes_changed();
CREATE TRIGGER schools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION orientir_codes_changed();
CREATE TRIGGER campaigns_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaigns
    FOR EACH STATEMENT EXECUTE FUNCTION orientir_codes_changed();
CREATE TRIGGER campaign_schools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON campaign_schools
    FOR EACH STATEMENT EXECUTE FUNCTION orientir_codes_changed();

-- Who agrees a school's anti-risk programme is set per region: its curator, its municipal
-- coordinator, or both in turn (the curator first). A programme remembers that its curator has
-- agreed while it waits for the municipality.
ALTER TABLE regions ADD COLUMN agreement TEXT NOT NULL DEFAULT 'curator'
    CHECK (agreement IN ('curator', 'municipal', 'both'));
ALTER TABLE programmes ADD COLUMN curator_agreed BOOLEAN NOT NULL DEFAULT FALSE;

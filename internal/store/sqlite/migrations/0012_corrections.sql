-- Corrections: when someone other than a document's source changes it — the person
-- correcting a bill an organization deposited — the document keeps its source, and the
-- source's value is kept beside the new one, so that the person sees both and the source's
-- next deposit replaces its own value, never the person's. All NULL: never corrected.
ALTER TABLE docs ADD COLUMN original TEXT;         -- the source's latest value
ALTER TABLE docs ADD COLUMN corrected_at INTEGER;  -- when it was last corrected
ALTER TABLE docs ADD COLUMN corrected_kind TEXT;   -- who corrected it: owner, token or service
ALTER TABLE docs ADD COLUMN corrected_id TEXT;     -- the token's or the service's id
ALTER TABLE docs ADD COLUMN corrected_name TEXT;

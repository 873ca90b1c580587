-- The value of each document's period field (an operation's date, an event's start), kept
-- in its own column so that "who holds what, over which period" reads one index instead of
-- parsing every document.
ALTER TABLE docs ADD COLUMN period TEXT COLLATE "C";
CREATE INDEX docs_holdings ON docs (instance, src_kind, src_id, doctype, period, created, updated);

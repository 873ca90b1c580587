-- Identical accesses committed together are one entry of the access log: the reads of one
-- principal, of one doctype, of as many records each, that the gate's group commit writes in
-- one transaction. times says how many accesses the entry stands for; the hash covers it
-- when it is more than one (sqlstore/accesslog.go), so every earlier entry keeps its hash.
ALTER TABLE access_log ADD COLUMN times INTEGER NOT NULL DEFAULT 1;

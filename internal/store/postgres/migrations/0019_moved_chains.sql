-- An instance moved from another server (selfdata instance import) brings its access log
-- with its hashes verbatim, and those hashes cover the instance id of the server it came
-- from. The head keeps the id the chain is hashed under, so that the imported entries still
-- verify and later appends continue the same chain (see sqlstore/accesslog.go). Every
-- instance made here hashes under its own id.
ALTER TABLE access_log_heads ADD COLUMN chain_id TEXT NOT NULL DEFAULT '';
UPDATE access_log_heads SET chain_id = instance;

-- Transparency for services: what a service tried and was refused, alerts on what the person
-- should know about a service's reads, and where to send them.

-- A refused attempt (a service asking for a doctype or a verb outside its grant) is logged
-- like an access, with count 0. The chain hash covers the flag only when it is set, so the
-- hashes of every entry written before this migration stay valid.
ALTER TABLE access_log ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
-- What one actor did in one instance over a period: alerts and the consents page ask it.
CREATE INDEX access_log_actor ON access_log (instance, actor_id, at);

-- Alerts about services, per instance. dedup names the event an alert is about (a service's
-- first access, its volume on one day), so that each is raised once however many reads race.
CREATE TABLE alerts (
	id           TEXT PRIMARY KEY,
	instance     TEXT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
	created      INTEGER NOT NULL,
	kind         TEXT NOT NULL,      -- first_access, unusual_volume
	service      TEXT NOT NULL,      -- services.id; no foreign key: the alert outlives the catalog entry
	service_name TEXT NOT NULL,
	params       TEXT NOT NULL,      -- JSON object of the message's parameters
	dedup        TEXT NOT NULL,
	seen         INTEGER NOT NULL DEFAULT 0,
	UNIQUE (instance, dedup)
);
CREATE INDEX alerts_instance ON alerts (instance, created);

-- The address the person wants alerts sent to; '' for none.
ALTER TABLE instances ADD COLUMN email TEXT NOT NULL DEFAULT '';

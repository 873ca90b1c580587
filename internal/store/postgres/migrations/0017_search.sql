-- Full-text search. docs_search holds the words of each document (made in Go, the same for
-- both backends: see package fulltext), written in the transaction that writes the document
-- and deleted with it. The words are taken as lexemes as they are (array_to_tsvector: no
-- parser, no dictionary, so that PostgreSQL finds what SQLite finds), indexed by GIN. The
-- documents already there are indexed by the migration's Go step (sqlstore.indexAll).
CREATE TABLE docs_search (
	instance TEXT NOT NULL,
	doctype  TEXT NOT NULL,
	id       TEXT COLLATE "C" NOT NULL,
	body     TEXT NOT NULL,
	updated  BIGINT NOT NULL, -- the document's, so that a page is sorted and cut here
	words    tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(body, ' '))) STORED,
	PRIMARY KEY (instance, doctype, id),
	FOREIGN KEY (instance, doctype, id) REFERENCES docs (instance, doctype, id) ON DELETE CASCADE
);
CREATE INDEX docs_search_words ON docs_search USING GIN (words);

-- Full-text search. docs_search holds the words of each document (made in Go, the same for
-- both backends: see package fulltext), written in the transaction that writes the document
-- and deleted with it; docs_fts indexes them (FTS5, over docs_search as external content,
-- kept in step by the triggers). n, an INTEGER PRIMARY KEY, keeps each row's rowid stable
-- across VACUUM, which the index refers to. The documents already there are indexed by the
-- migration's Go step (sqlstore.indexAll).
CREATE TABLE docs_search (
	n        INTEGER PRIMARY KEY,
	instance TEXT NOT NULL,
	doctype  TEXT NOT NULL,
	id       TEXT NOT NULL,
	body     TEXT NOT NULL,
	updated  INTEGER NOT NULL, -- the document's, so that a page is sorted and cut here
	UNIQUE (instance, doctype, id),
	FOREIGN KEY (instance, doctype, id) REFERENCES docs (instance, doctype, id) ON DELETE CASCADE
);
CREATE VIRTUAL TABLE docs_fts USING fts5(body, content = 'docs_search', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER docs_search_insert AFTER INSERT ON docs_search BEGIN
	INSERT INTO docs_fts (rowid, body) VALUES (new.n, new.body);
END;
CREATE TRIGGER docs_search_delete AFTER DELETE ON docs_search BEGIN
	INSERT INTO docs_fts (docs_fts, rowid, body) VALUES ('delete', old.n, old.body);
END;
CREATE TRIGGER docs_search_update AFTER UPDATE OF body ON docs_search BEGIN
	INSERT INTO docs_fts (docs_fts, rowid, body) VALUES ('delete', old.n, old.body);
	INSERT INTO docs_fts (rowid, body) VALUES (new.n, new.body);
END;

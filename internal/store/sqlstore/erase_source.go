package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"selfdata/internal/store"
)

// EraseSource deletes, in the writer's transaction, every document and every series whose
// source is (kind, id): each document as DeleteDoc does (a tombstone in the change feed, out
// of the search index), each series with its readings' chunks (ON DELETE CASCADE), then the
// content of each file document erased that no remaining document names. It counts what
// went by doctype, a series counting one.
func (w *writer) EraseSource(ctx context.Context, kind, id string) (map[string]int, error) {
	type doc struct {
		doctype, id string
		rev         int64
		data        []byte
	}
	rows, err := w.tx.QueryContext(ctx, w.db.q(`SELECT doctype, id, rev, data FROM docs WHERE instance = ? AND src_kind = ? AND src_id = ? ORDER BY doctype, id`), w.instance, kind, id)
	if err != nil {
		return nil, fmt.Errorf("erase what %s %q deposited: %w", kind, id, err)
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.doctype, &d.id, &d.rev, &d.data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("erase what %s %q deposited: %w", kind, id, err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("erase what %s %q deposited: %w", kind, id, err)
	}
	out := map[string]int{}
	var shas []string
	for _, d := range docs {
		if err := w.DeleteDoc(ctx, d.doctype, d.id, strconv.FormatInt(d.rev, 10)); err != nil {
			return nil, err
		}
		out[d.doctype]++
		if d.doctype == "file" {
			var meta struct {
				SHA256 string `json:"sha256"`
			}
			if json.Unmarshal(d.data, &meta) == nil && meta.SHA256 != "" {
				shas = append(shas, meta.SHA256)
			}
		}
	}
	series, err := w.tx.QueryContext(ctx, w.db.q(`SELECT doctype FROM series WHERE instance = ? AND src_kind = ? AND src_id = ?`), w.instance, kind, id)
	if err != nil {
		return nil, fmt.Errorf("erase the series %s %q deposited: %w", kind, id, err)
	}
	for series.Next() {
		var dt string
		if err := series.Scan(&dt); err != nil {
			series.Close()
			return nil, fmt.Errorf("erase the series %s %q deposited: %w", kind, id, err)
		}
		out[dt]++
	}
	series.Close()
	if err := series.Err(); err != nil {
		return nil, fmt.Errorf("erase the series %s %q deposited: %w", kind, id, err)
	}
	if _, err := w.exec(ctx, `DELETE FROM series WHERE instance = ? AND src_kind = ? AND src_id = ?`, w.instance, kind, id); err != nil {
		return nil, fmt.Errorf("erase the series %s %q deposited: %w", kind, id, err)
	}
	for _, sha := range shas {
		if _, err := w.DropUnusedBlob(ctx, sha); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DropUnusedBlob removes a content of the instance that no file document names any more:
// its row in the transaction, and what the backend keeps elsewhere once the transaction
// has committed (Blobs.Delete).
func (w *writer) DropUnusedBlob(ctx context.Context, sha string) (bool, error) {
	var used int64
	expr := w.db.d.FieldExpr(store.Field{Path: "sha256", Type: store.String})
	err := w.tx.QueryRowContext(ctx, w.db.q(`SELECT COUNT(*) FROM docs WHERE instance = ? AND doctype = 'file' AND `+expr+` = ?`), w.instance, sha).Scan(&used)
	if err != nil {
		return false, fmt.Errorf("find the documents naming file content %s: %w", sha, err)
	}
	if used > 0 {
		return false, nil
	}
	res, err := w.exec(ctx, `DELETE FROM blobs WHERE instance = ? AND sha256 = ?`, w.instance, sha)
	if err != nil {
		return false, fmt.Errorf("delete file content %s: %w", sha, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	done, err := w.db.blobs.Delete(ctx, w.tx, w.instance, sha)
	if err != nil {
		return false, fmt.Errorf("delete file content %s: %w", sha, err)
	}
	if done != nil {
		w.settled = append(w.settled, done)
	}
	return true, nil
}

// settle runs, once the transaction is over, what waited on its outcome (a file to remove
// for good, or to put back).
func (w *writer) settle(committed bool) {
	for _, f := range w.settled {
		f(committed)
	}
	w.settled = nil
}

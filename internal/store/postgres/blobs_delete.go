package postgres

import (
	"context"
	"database/sql"
	"fmt"
)

// Delete removes the content's chunks in the transaction: they go, or stay, with its row.
func (chunkedBlobs) Delete(ctx context.Context, tx *sql.Tx, instance, sha string) (func(bool), error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_chunks WHERE instance = $1 AND sha256 = $2`, instance, sha); err != nil {
		return nil, fmt.Errorf("delete the chunks of %s: %w", sha, err)
	}
	return nil, nil
}

package gate

import (
	"context"
	"fmt"

	"selfdata/internal/store"
)

// Export is the verb of the log entry an export writes: the person took everything away.
const Export Verb = "export"

// Everything opens the whole store of p's instance for an export (internal/rights/export):
// every document, series, file and the access log itself. Only the person may take it — in
// a session, or by a token of theirs that reads every doctype — and the export is logged
// first, durably, so that nothing leaves without a trace and the archive carries the entry
// of its own making. The reads that follow are not logged one by one: that one entry is
// their record.
func (g *Gate) Everything(ctx context.Context, p Principal) (store.Reader, error) {
	if p.Kind != KindOwner && (p.Kind != KindToken || !p.visible().All) {
		return nil, fmt.Errorf("%w: only the person exports their whole store", ErrForbidden)
	}
	e := g.entry(p, summary, Export, 0)
	if err := g.trail.append(p.Instance, e); err != nil {
		return nil, fmt.Errorf("log the export: %w", err)
	}
	return g.data, nil
}

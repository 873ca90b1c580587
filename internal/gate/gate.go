// Package gate is the only door to personal data. Every read and write — the owner's pages,
// personal access tokens, and later services, organizations and built-in services — goes
// through a Gate, which checks that the principal may use the doctype with the verb and
// appends what happened to the person's access log. The store is handed to the gate alone,
// so no handler can reach data around it.
package gate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// ErrForbidden is returned when the principal may not do what it asks.
var ErrForbidden = errors.New("forbidden")

// Gate checks permissions and logs access around a store.
type Gate struct {
	data store.Data
	reg  *doctype.Registry
	now  func() time.Time
}

// New returns the gate over data; reg declares the doctypes it accepts.
func New(data store.Data, reg *doctype.Registry) *Gate {
	return &Gate{data: data, reg: reg, now: time.Now}
}

// Registry is the doctype registry the gate validates against.
func (g *Gate) Registry() *doctype.Registry { return g.reg }

// check verifies that doctype is declared with the given kind and that p may use it with v.
func (g *Gate) check(p Principal, dt string, kind string, v Verb) (*doctype.Doctype, error) {
	d, ok := g.reg.Get(dt)
	if !ok || d.Kind != kind {
		return nil, fmt.Errorf("%w: %q", doctype.ErrUnknown, dt)
	}
	if !p.Allows(dt, v) {
		return nil, fmt.Errorf("%w: this %s may not %s %s", ErrForbidden, p.Kind, v, dt)
	}
	return d, nil
}

func (g *Gate) entry(p Principal, dt string, v Verb, n int) store.LogEntry {
	return store.LogEntry{At: g.now(), Principal: p.Kind, ActorID: p.ActorID, ActorName: p.ActorName, Doctype: dt, Verb: string(v), Count: n, Purpose: p.Purpose}
}

// logRead records a read after it happened; if the record cannot be written the data is not
// returned, so nothing is read without a trace.
func (g *Gate) logRead(ctx context.Context, p Principal, dt string, n int) error {
	return g.data.Update(ctx, p.Instance, func(w store.Writer) error {
		return w.AppendLog(ctx, g.entry(p, dt, Read, n))
	})
}

// Get reads one document.
func (g *Gate) Get(ctx context.Context, p Principal, dt, id string) (store.Doc, error) {
	if _, err := g.check(p, dt, doctype.KindDocument, Read); err != nil {
		return store.Doc{}, err
	}
	d, err := g.data.Doc(ctx, p.Instance, dt, id)
	if err != nil {
		return d, err
	}
	return d, g.logRead(ctx, p, dt, 1)
}

// Query reads a page of documents of one doctype.
func (g *Gate) Query(ctx context.Context, p Principal, q store.Query) (store.Page, error) {
	if _, err := g.check(p, q.Doctype, doctype.KindDocument, Read); err != nil {
		return store.Page{}, err
	}
	page, err := g.data.Query(ctx, p.Instance, q)
	if err != nil {
		return page, err
	}
	return page, g.logRead(ctx, p, q.Doctype, len(page.Items))
}

// Count counts documents; a count reveals no content, but it is still a read (of no record).
func (g *Gate) Count(ctx context.Context, p Principal, q store.Query) (int64, error) {
	if _, err := g.check(p, q.Doctype, doctype.KindDocument, Read); err != nil {
		return 0, err
	}
	n, err := g.data.CountDocs(ctx, p.Instance, q)
	if err != nil {
		return 0, err
	}
	return n, g.logRead(ctx, p, q.Doctype, 0)
}

// summary is the doctype logged for reads that span doctypes (holdings, change feed).
const summary = "*"

// Changes lists the changes of the doctypes the principal may read.
func (g *Gate) Changes(ctx context.Context, p Principal, since int64, limit int) ([]store.Change, error) {
	all, err := g.data.Changes(ctx, p.Instance, since, limit)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if p.Allows(c.Doctype, Read) {
			out = append(out, c)
		}
	}
	return out, g.logRead(ctx, p, summary, len(out))
}

// Holdings summarises who holds what, limited to the doctypes the principal may read.
func (g *Gate) Holdings(ctx context.Context, p Principal) ([]store.Holding, error) {
	all, err := g.data.Holdings(ctx, p.Instance)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, h := range all {
		if p.Allows(h.Doctype, Read) {
			out = append(out, h)
		}
	}
	return out, g.logRead(ctx, p, summary, len(out))
}

// AccessLog is the person's own view of who accessed what; only the owner reads it.
func (g *Gate) AccessLog(ctx context.Context, p Principal, q store.LogQuery) ([]store.LogEntry, error) {
	if p.Kind != "owner" {
		return nil, fmt.Errorf("%w: only the person reads their access log", ErrForbidden)
	}
	return g.data.AccessLog(ctx, p.Instance, q)
}

// Search finds documents containing text among the doctypes the principal may read.
func (g *Gate) Search(ctx context.Context, p Principal, text string, limit int) ([]store.Doc, error) {
	var readable []string
	for _, d := range g.reg.All() {
		if d.Kind == doctype.KindDocument && p.Allows(d.Name, Read) {
			readable = append(readable, d.Name)
		}
	}
	docs, err := g.data.Search(ctx, p.Instance, text, readable, limit)
	if err != nil {
		return nil, err
	}
	return docs, g.logRead(ctx, p, summary, len(docs))
}

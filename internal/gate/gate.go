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
	"log/slog"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// ErrForbidden is returned when the principal may not do what it asks.
var ErrForbidden = errors.New("forbidden")

// Gate checks permissions and logs access around a store.
type Gate struct {
	data  store.Data
	reg   *doctype.Registry
	now   func() time.Time
	trail *logWriter // the group commit of reads' log entries

	// OnServiceRead, when set, is called after a service's read is logged and committed,
	// with that entry; main sets it to raise alerts (internal/alert). It runs after the
	// data is read and its trace written, so it cannot fail the read: it reports its own
	// failures. Set it before the gate is used.
	OnServiceRead func(ctx context.Context, instanceID string, e store.LogEntry)
	// OnRefused, when set, is called after a service's refused attempt (a doctype or a verb
	// outside its grant) is logged, with that entry; main sets it to raise the alert. Like
	// OnServiceRead it cannot change the answer, which is the refusal either way.
	OnRefused func(ctx context.Context, instanceID string, e store.LogEntry)
	// OnReadings, when set, is called after a write that added readings (a deposit, an
	// import, a pull) has committed; main sets it to run the Home energy checks on them.
	// It runs outside the write's transaction and returns nothing: it cannot fail the
	// write, and it must not hold it (it hands its work to the background). Set it before
	// the gate is used.
	OnReadings func(ctx context.Context, instanceID string)
	// Log receives what the gate cannot tell its caller: a refused attempt whose log entry
	// could not be written (the caller gets the refusal either way).
	Log *slog.Logger
}

// New returns the gate over data; reg declares the doctypes it accepts.
func New(data store.Data, reg *doctype.Registry) *Gate {
	return &Gate{data: data, reg: reg, now: time.Now, trail: &logWriter{data: data}, Log: slog.Default()}
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

// allow is check for a read: a service's refusal is logged before it is returned.
func (g *Gate) allow(ctx context.Context, p Principal, dt string, kind string, v Verb) (*doctype.Doctype, error) {
	d, err := g.check(p, dt, kind, v)
	if err != nil {
		g.logRefusal(ctx, p, g.refusal(p, dt, v, err))
	}
	return d, err
}

func (g *Gate) entry(p Principal, dt string, v Verb, n int) store.LogEntry {
	return store.LogEntry{At: g.now(), Principal: string(p.Kind), ActorID: p.ActorID, ActorName: p.ActorName, Doctype: dt, Verb: string(v), Count: n, Purpose: p.Purpose, Times: 1}
}

// logRead records a read after it happened; if the record cannot be written the data is not
// returned, so nothing is read without a trace. The entry is committed with those of the
// other requests reading at the same time (logWriter). A service's read is then handed to
// OnServiceRead, outside the transaction.
func (g *Gate) logRead(ctx context.Context, p Principal, dt string, n int) error {
	e := g.entry(p, dt, Read, n)
	if err := g.trail.append(p.Instance, e); err != nil {
		return err
	}
	if p.Kind == KindService && g.OnServiceRead != nil {
		g.OnServiceRead(ctx, p.Instance, e)
	}
	return nil
}

// refusal is the log entry of a refused attempt worth showing the person, or nil: only a
// service's attempts outside its grant are logged. The person's own tokens and sessions
// refused are their own doing, and would only be noise.
func (g *Gate) refusal(p Principal, dt string, v Verb, err error) *store.LogEntry {
	if (p.Kind != KindService && p.Kind != KindBuiltin) || !errors.Is(err, ErrForbidden) {
		return nil
	}
	e := g.entry(p, dt, v, 0)
	e.Refused = true
	return &e
}

// logRefusal appends a refused attempt to the log, with the reads being logged: the attempt
// wrote nothing, so nothing else is to be kept with it. If the entry cannot be written, the
// caller still gets its refusal and the failure is logged. A service's logged attempt is
// then handed to OnRefused.
func (g *Gate) logRefusal(ctx context.Context, p Principal, e *store.LogEntry) {
	if e == nil {
		return
	}
	if err := g.trail.append(p.Instance, *e); err != nil {
		g.Log.Error("a refused access could not be logged", "instance", p.Instance, "actor", p.ActorID, "doctype", e.Doctype, "verb", e.Verb, "err", err)
		return
	}
	if p.Kind == KindService && g.OnRefused != nil {
		g.OnRefused(ctx, p.Instance, *e)
	}
}

// Get reads one document.
func (g *Gate) Get(ctx context.Context, p Principal, dt, id string) (store.Doc, error) {
	if _, err := g.allow(ctx, p, dt, doctype.KindDocument, Read); err != nil {
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
	if _, err := g.allow(ctx, p, q.Doctype, doctype.KindDocument, Read); err != nil {
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
	if _, err := g.allow(ctx, p, q.Doctype, doctype.KindDocument, Read); err != nil {
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

// Changes lists the changes of the doctypes the principal may read; the page's Last moves
// past the changes it may not see, so that following it always progresses.
func (g *Gate) Changes(ctx context.Context, p Principal, since int64, limit int) (store.ChangePage, error) {
	page, err := g.data.Changes(ctx, p.Instance, since, limit, p.visible())
	if err != nil {
		return page, err
	}
	return page, g.logRead(ctx, p, summary, len(page.Items))
}

// Holdings summarises who holds what, limited to the doctypes the principal may read.
func (g *Gate) Holdings(ctx context.Context, p Principal) ([]store.Holding, error) {
	hs, err := g.data.Holdings(ctx, p.Instance, p.visible())
	if err != nil {
		return nil, err
	}
	return hs, g.logRead(ctx, p, summary, len(hs))
}

// AccessLog is the person's own view of who accessed what; only the owner reads it.
func (g *Gate) AccessLog(ctx context.Context, p Principal, q store.LogQuery) ([]store.LogEntry, error) {
	if p.Kind != KindOwner {
		return nil, fmt.Errorf("%w: only the person reads their access log", ErrForbidden)
	}
	return g.data.AccessLog(ctx, p.Instance, q)
}

// AccessSummary sums up, per doctype, the part of the access log q selects: what one
// service read, wrote and tried. Like the log itself, only the owner reads it.
func (g *Gate) AccessSummary(ctx context.Context, p Principal, q store.LogQuery) ([]store.AccessSummary, error) {
	if p.Kind != KindOwner {
		return nil, fmt.Errorf("%w: only the person reads their access log", ErrForbidden)
	}
	return g.data.AccessSummary(ctx, p.Instance, q)
}

// Search finds the documents holding every word of q.Text (its Text, Limit and Cursor are
// used) among those the principal may read: the store applies that before it counts and
// cuts the page, so that neither the page nor its total tells of anything else. A word
// naming a kind of data, in French or English ("facture", "bill"), is answered by the
// documents of that kind.
func (g *Gate) Search(ctx context.Context, p Principal, q store.SearchQuery) (store.SearchPage, error) {
	q.Visible, q.Names = p.visible(), g.docNames()
	page, err := g.data.Search(ctx, p.Instance, q)
	if err != nil {
		return page, err
	}
	return page, g.logRead(ctx, p, summary, len(page.Items))
}

// docNames are the labels of the document doctypes, in both languages, by doctype.
func (g *Gate) docNames() map[string][]string {
	names := map[string][]string{}
	for _, d := range g.reg.All() {
		if d.Kind == doctype.KindDocument {
			names[d.Name] = []string{d.Label.EN, d.Label.FR}
		}
	}
	return names
}

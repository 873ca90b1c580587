package restore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// Original is the file a Result was read from, kept as a file document. Its content is
// read once, as the file is stored, so that it need not be in memory.
type Original struct {
	Name      string
	MediaType string
	SHA256    string    // hex of the content: the file document's id derives from it
	Content   io.Reader // the content, from its start
}

// Report tells the person what an import or a deposit did.
type Report struct {
	Format           string         `json:"format,omitempty"`
	File             string         `json:"file,omitempty"` // id of the original file's document
	Batch            string         `json:"batch"`
	Created          int            `json:"created"`
	Updated          int            `json:"updated"`
	Unchanged        int            `json:"unchanged"`
	ByDoctype        map[string]int `json:"by_doctype"` // records received per doctype
	Series           int            `json:"series"`
	ReadingsReceived int            `json:"readings_received"`
	ReadingsAdded    int            `json:"readings_added"`
	Skipped          int            `json:"skipped"`
	Notes            []string       `json:"notes,omitempty"`
	// LeftOut lists the records of the file left out whole, each with where it is and why;
	// nothing of them is written.
	LeftOut []importer.LeftOut `json:"left_out,omitempty"`
	// LeftOutMore counts the records left out past the first importer.MaxLeftOut, not listed.
	LeftOutMore int `json:"left_out_more,omitempty"`
	// Columns are the columns the person saved for a bank CSV's layout, when the file was
	// read with them (choose.go).
	Columns *SavedColumns `json:"columns,omitempty"`
}

// Store writes a Result for principal p in one transaction. src is the provenance every
// record gets (its Batch is set here: the original file's id, or batch when there is none).
// It consumes res.Records: their maps are let go as they become JSON (see prepare). It is
// the write path of a streaming import (writer) given the whole Result at once.
func Store(ctx context.Context, g *gate.Gate, p gate.Principal, src store.Source, batch string, res *importer.Result, orig *Original) (*Report, error) {
	var rep *Report
	err := g.Write(ctx, p, func(b *gate.Batch) error {
		var err error
		rep, err = newWriter(ctx, b, g.Registry(), src, batch, orig).finish(res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// prepare validates every record (so the report names each bad one by its key, across
// doctypes), translates keys into ids and groups the records by doctype. A reference is
// translated even when its target is not in the same batch: a bill deposited today may
// name a contract deposited last year, and both ids derive from the same source.
//
// Text a store cannot hold is refused here, with the record and the field, before
// json.Marshal would silently turn bytes that are not UTF-8 into U+FFFD; the source's name
// (a file name) is checked as well, since it is stored as provenance.
//
// It consumes recs: each record's map is dropped once it is JSON, so that an import of many
// records does not hold both at once (a map of an OFX transaction's fields is 1.7 KB). base
// is the index of recs[0] in the file: a refused record is named by its place in the file,
// whichever batch it came in. The source is checked by the caller (sourceError).
func prepare(reg *doctype.Registry, src store.Source, recs []importer.Record, base int) (map[string][]gate.Doc, []string, []gate.RecordError) {
	groups := map[string][]gate.Doc{}
	var bad []gate.RecordError
	for j, r := range recs {
		i := base + j
		if r.Key == "" {
			bad = append(bad, gate.RecordError{Index: i, Doctype: r.Doctype, Problems: []doctype.Problem{{Path: "/id", Message: "every record needs its id at the source"}}})
			continue
		}
		// The importers write the keys of the records they point to; the store holds ids.
		// Which fields point where is the doctype's declaration.
		for field, targets := range references(reg, r.Doctype) {
			if k, ok := r.Data[field].(string); ok && k != "" {
				r.Data[field] = ID(src, targets[0], k)
			}
		}
		if p := doctype.ValueProblem(r.Data); p != nil {
			bad = append(bad, gate.RecordError{Index: i, ID: input.Cut(r.Key), Doctype: r.Doctype, Problems: []doctype.Problem{*p}})
			continue
		}
		data, err := json.Marshal(r.Data)
		recs[j].Data = nil // the JSON is the record now: the map can go, not stay beside it
		var v doctype.Valid
		if err == nil {
			v, err = reg.Check(r.Doctype, data)
		}
		if err != nil {
			bad = append(bad, problem(i, r, err))
			continue
		}
		groups[r.Doctype] = append(groups[r.Doctype], gate.Doc{ID: ID(src, r.Doctype, r.Key), Valid: v})
	}
	if bad != nil {
		return nil, nil, bad
	}
	order := make([]string, 0, len(groups))
	for dt := range groups {
		order = append(order, dt)
	}
	sort.Strings(order)
	return groups, order, nil
}

func problem(i int, r importer.Record, err error) gate.RecordError {
	re := gate.RecordError{Index: i, ID: input.Cut(r.Key), Doctype: r.Doctype}
	var ve *doctype.ValidationError
	if errors.As(err, &ve) {
		re.Problems = ve.Problems
	} else {
		re.Problems = []doctype.Problem{{Message: err.Error()}}
	}
	return re
}

// sourceError refuses provenance a store cannot hold: the names come from file names and
// organizations' declarations.
func sourceError(src store.Source) error {
	for _, f := range []struct{ what, v string }{{"name", src.Name}, {"id", src.ID}} {
		if msg := input.TextProblem(f.v); msg != "" {
			return fmt.Errorf("%w: the source's %s %s %s", store.ErrInvalid, f.what, input.Excerpt(f.v), msg)
		}
	}
	return nil
}

// seriesProblem refuses, naming the series by its key and its index i among the file's
// series, a series whose texts a store cannot hold: they are stored as they are, in text
// columns (keys are not: ids are derived from them).
func seriesProblem(i int, s importer.Series) *gate.RecordError {
	fields := []struct{ path, v string }{{"/name", s.Name}, {"/quantity", s.Quantity}, {"/unit", s.Unit}}
	for _, f := range fields {
		if msg := input.TextProblem(f.v); msg != "" {
			return &gate.RecordError{Index: i, ID: input.Cut(s.Key), Doctype: input.Cut(s.Doctype), Problems: []doctype.Problem{{Path: f.path, Message: msg}}}
		}
	}
	return nil
}

// readingsBatch is how many readings of a series are handed to the store at a time, in the
// one transaction: the store sorts and splits what it is given by day in copies of its own,
// so a series of millions of readings at once doubled an import's memory. Batches that cut
// a day in two are merged by the store like readings added on two days.
const readingsBatch = 50_000

// references are the fields of a doctype that hold the key of another record, with that
// record's doctypes (an importer's key is of the first), as the doctype declares them; none
// for an undeclared doctype, which the check below refuses anyway.
func references(reg *doctype.Registry, name string) map[string]doctype.Targets {
	if d, ok := reg.Get(name); ok {
		return d.References
	}
	return nil
}

package restore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
	// Columns are the columns the person saved for a bank CSV's layout, when the file was
	// read with them (choose.go).
	Columns *SavedColumns `json:"columns,omitempty"`
}

// Store writes a Result for principal p in one transaction. src is the provenance every
// record gets (its Batch is set here: the original file's id, or batch when there is none).
// It consumes res.Records: their maps are let go as they become JSON (see prepare).
func Store(ctx context.Context, g *gate.Gate, p gate.Principal, src store.Source, batch string, res *importer.Result, orig *Original) (*Report, error) {
	rep := &Report{Format: res.Format, Skipped: res.Skipped, Notes: res.Notes, LeftOut: res.LeftOut, ByDoctype: map[string]int{}}
	if orig != nil {
		rep.File = ID(src, "file", orig.SHA256)
		batch = rep.File
	}
	src.Batch, rep.Batch = batch, batch
	groups, order, err := prepare(g.Registry(), src, res.Records)
	if err != nil {
		return nil, err
	}
	err = g.Write(ctx, p, func(b *gate.Batch) error {
		if orig != nil {
			// The same content imported again keeps its first document (and name).
			has, err := b.HasFile(rep.File)
			if err != nil {
				return err
			}
			if !has {
				if _, err := b.PutFile(rep.File, orig.Name, orig.MediaType, orig.Content, nil, src); err != nil {
					return err
				}
			}
		}
		for _, dt := range order {
			up, err := b.Upsert(dt, groups[dt], src)
			if err != nil {
				return err
			}
			rep.Created, rep.Updated, rep.Unchanged = rep.Created+up.Created, rep.Updated+up.Updated, rep.Unchanged+up.Unchanged
			rep.ByDoctype[dt] += len(groups[dt])
		}
		return storeSeries(ctx, b, src, res.Series, rep)
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
// records does not hold both at once (a map of an OFX transaction's fields is 1.7 KB).
func prepare(reg *doctype.Registry, src store.Source, recs []importer.Record) (map[string][]gate.Doc, []string, error) {
	if err := sourceError(src); err != nil {
		return nil, nil, err
	}
	groups := map[string][]gate.Doc{}
	var bad []gate.RecordError
	for i, r := range recs {
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
		recs[i].Data = nil // the JSON is the record now: the map can go, not stay beside it
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
		return nil, nil, &gate.BatchError{Records: bad}
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

// seriesError refuses, naming each series by its key, the series whose texts a store cannot
// hold: they are stored as they are, in text columns (keys are not: ids are derived from
// them).
func seriesError(list []importer.Series) error {
	var bad []gate.RecordError
	for i, s := range list {
		fields := []struct{ path, v string }{{"/name", s.Name}, {"/quantity", s.Quantity}, {"/unit", s.Unit}}
		for _, f := range fields {
			if msg := input.TextProblem(f.v); msg != "" {
				bad = append(bad, gate.RecordError{Index: i, ID: input.Cut(s.Key), Doctype: input.Cut(s.Doctype), Problems: []doctype.Problem{{Path: f.path, Message: msg}}})
				break
			}
		}
	}
	if bad != nil {
		return &gate.BatchError{Records: bad}
	}
	return nil
}

// storeSeries creates the series that do not exist yet and adds the readings.
func storeSeries(ctx context.Context, b *gate.Batch, src store.Source, list []importer.Series, rep *Report) error {
	if err := seriesError(list); err != nil {
		return err
	}
	for _, s := range list {
		id := ID(src, "series", s.Key)
		meter := ""
		if s.MeterKey != "" {
			meter = ID(src, "meter", s.MeterKey)
		}
		if _, err := b.EnsureSeries(store.Series{ID: id, Doctype: s.Doctype, Name: s.Name, Quantity: s.Quantity, Unit: s.Unit, Meter: meter, Source: src}); err != nil {
			return fmt.Errorf("series %s: %w", input.Excerpt(s.Key), err)
		}
		for rs := range slices.Chunk(s.Readings, readingsBatch) {
			n, err := b.AddReadings(id, rs)
			if err != nil {
				return fmt.Errorf("series %s: %w", input.Excerpt(s.Key), err)
			}
			rep.ReadingsAdded += n
		}
		rep.Series++
		rep.ReadingsReceived += len(s.Readings)
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

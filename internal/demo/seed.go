package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Seed writes a dataset into an instance through the gate, one transaction per source, each
// organization acting as itself with a write-only grant on what it restores — so the demo's
// access log shows who deposited what, as real deposits will.
func Seed(ctx context.Context, g *gate.Gate, instanceID string, ds *Dataset) error {
	type work struct {
		src    store.Source
		docs   []Batch
		series []SeriesData
		files  []FileData
	}
	bySource := map[string]*work{}
	get := func(s store.Source) *work {
		k := s.Kind + "/" + s.ID
		if bySource[k] == nil {
			bySource[k] = &work{src: s}
		}
		return bySource[k]
	}
	for _, b := range ds.Docs {
		w := get(b.Source)
		w.docs = append(w.docs, b)
	}
	for _, s := range ds.Series {
		w := get(s.Series.Source)
		w.series = append(w.series, s)
	}
	for _, f := range ds.Files {
		w := get(f.Source)
		w.files = append(w.files, f)
	}
	keys := make([]string, 0, len(bySource))
	for k := range bySource {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w := bySource[k]
		p := principal(instanceID, w.src, w.docs, w.series, len(w.files) > 0)
		err := g.Write(ctx, p, func(b *gate.Batch) error {
			for _, d := range w.docs {
				in := make([]gate.Input, len(d.Docs))
				for i, doc := range d.Docs {
					data, err := json.Marshal(doc.Data)
					if err != nil {
						return err
					}
					in[i] = gate.Input{ID: doc.ID, Data: data}
				}
				docs, err := g.Check(d.Doctype, in)
				if err == nil {
					_, err = b.Create(d.Doctype, docs, d.Source)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", d.Doctype, err)
				}
			}
			for _, s := range w.series {
				if _, err := b.CreateSeries(s.Series); err != nil {
					return err
				}
				if _, err := b.AddReadings(s.Series.ID, s.Readings); err != nil {
					return err
				}
			}
			for _, f := range w.files {
				refs := make([]gate.FileRef, len(f.Documents))
				for i, r := range f.Documents {
					refs[i] = gate.FileRef{Doctype: r.Doctype, ID: r.ID}
				}
				if _, err := b.PutFile(f.ID, f.Name, f.MediaType, bytes.NewReader(f.Content), refs, f.Source); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed data of %s: %w", w.src.Name, err)
		}
	}
	return nil
}

// principal is who writes a source's data: the owner for their own, else the organization
// with write access to exactly the doctypes it restores.
func principal(instanceID string, src store.Source, docs []Batch, series []SeriesData, files bool) gate.Principal {
	if src.Kind != "organization" {
		return gate.Owner(instanceID)
	}
	var writes []string
	for _, d := range docs {
		writes = append(writes, d.Doctype)
	}
	for _, s := range series {
		writes = append(writes, s.Series.Doctype)
	}
	if files {
		writes = append(writes, "file")
	}
	return gate.Organization(instanceID, src.ID, src.Name, declaredPurposes(src.ID), writes)
}

// declaredPurposes is what an organization's deposits are logged under, as restore logs a
// real deposit: its declared purposes in English, which the access log shows in the page's
// language from the declaration (every source of the demo is one of Organizations).
func declaredPurposes(orgID string) string {
	for _, o := range Organizations() {
		if o.ID == orgID {
			return strings.Join(o.Declaration.Purposes, "; ")
		}
	}
	return ""
}

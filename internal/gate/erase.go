package gate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"selfdata/internal/store"
)

// ErasedSource is what erasing one source's deposits removed: how many documents and series
// of each doctype, in the doctypes' order.
type ErasedSource []ErasedDoctype

// ErasedDoctype counts what went of one doctype.
type ErasedDoctype struct {
	Doctype string
	Count   int
}

// Total is how many documents and series went in all.
func (e ErasedSource) Total() int {
	n := 0
	for _, d := range e {
		n += d.Count
	}
	return n
}

// EraseSource erases everything the source (kind, id) put in the person's store — its
// documents, its series with their readings, its files' contents no other document names —
// in one transaction, which appends to the access log one write entry per doctype erased.
// Only the person does it: it may erase what they may not see through a token, and a
// token's scopes are not a reason to erase on their behalf.
func (g *Gate) EraseSource(ctx context.Context, p Principal, kind, id string) (ErasedSource, error) {
	if p.Kind != KindOwner {
		return nil, fmt.Errorf("%w: only the person erases what a source deposited", ErrForbidden)
	}
	var out ErasedSource
	err := g.Write(ctx, p, func(b *Batch) error {
		n, err := b.w.EraseSource(ctx, kind, id)
		if err != nil {
			return err
		}
		out = out[:0]
		for dt, k := range n {
			b.written[dt] += k
			out = append(out, ErasedDoctype{Doctype: dt, Count: k})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Doctype < out[j].Doctype })
	return out, err
}

// dropFileContent is, after a file document is deleted, the removal of its content when no
// other document names it: deleting the record deletes the file.
func (b *Batch) dropFileContent(d store.Doc) error {
	var meta struct {
		SHA256 string `json:"sha256"`
	}
	if json.Unmarshal(d.Data, &meta) != nil || meta.SHA256 == "" {
		return nil
	}
	_, err := b.w.DropUnusedBlob(b.ctx, meta.SHA256)
	return err
}

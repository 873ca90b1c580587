package gate

import (
	"context"

	"selfdata/internal/doctype"
)

// WritesAny tells whether the principal may write at least one doctype. Handlers ask it before
// reading an upload that only a writer could store, so that a read-only token or a service
// granted reading costs the server nothing: no body read, no parse. It decides nothing else:
// which doctypes may be written stays the gate's check, at write time.
func (p Principal) WritesAny() bool {
	for _, s := range p.Scopes {
		if s.Write {
			return true
		}
	}
	return false
}

// MayWrite is the gate's check of a write of documents of doctype dt, asked ahead of the
// write: before an upload that the write would store (a file, an import's original file) is
// read. It answers what the write would — the same error, and a service's refused attempt
// logged — so that refusing early changes nothing but what the refusal costs.
func (g *Gate) MayWrite(ctx context.Context, p Principal, dt string) error {
	_, err := g.allow(ctx, p, dt, doctype.KindDocument, Write)
	return err
}

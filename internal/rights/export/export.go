// Package export writes a person's whole store as one zip archive (GDPR Art. 20, the right
// to data portability): documents as JSON Lines per doctype with their provenance, series
// as CSV at their own precision, files as deposited, the doctypes' schemas, consent records
// and receipts, and the access log with its hash chain, described by a README in French and
// English and summed up by a manifest.
//
// The archive is streamed: documents and readings are read page by page, files are copied
// from their blobs, and the zip is written to an io.Writer as it goes, so that memory does
// not grow with the store. Everything needed to rebuild the store is in it: the layout is
// what a later import reads back.
//
// Reads go through the gate (gate.Everything), which lets only the person export and logs
// the export first: the archive holds the entry of its own making.
package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/klauspost/compress/flate"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Format and Version name the layout in the manifest, so that a reader knows what it holds.
const (
	Format  = "selfdata-export"
	Version = 1
)

// Grants is what an export reads of the person's consents (consent.Grants): the grants as
// they stand now (an expired one says so), each grant's record, its signed Kantara receipt,
// and the public keys the receipts verify with.
type Grants interface {
	List(ctx context.Context, instanceID string) ([]store.Grant, error)
	History(ctx context.Context, instanceID, grantID string) ([]store.ConsentEvent, error)
	Receipt(ctx context.Context, instanceID, grantID string) (string, error)
	JWKS(ctx context.Context, instanceID string) (jose.JSONWebKeySet, error)
}

// Instances finds the person's store: its name and creation go in the manifest.
type Instances interface {
	InstanceByID(ctx context.Context, id string) (store.Instance, error)
}

// Exporter writes archives. Now defaults to time.Now.
type Exporter struct {
	Gate      *gate.Gate
	Grants    Grants
	Instances Instances
	Now       func() time.Time
}

// Progress is told how far an export is: done of total items (documents, readings and
// files), as it goes.
type Progress func(done, total int64)

// Manifest is manifest.json: what the archive holds, to be checked against it.
type Manifest struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	Instance  store.Instance `json:"instance"`
	Exported  time.Time      `json:"exported"`
	Counts    Counts         `json:"counts"`
	AccessLog LogHead        `json:"access_log"`
}

// Counts are the numbers of each part written.
type Counts struct {
	Documents     int64            `json:"documents"`
	ByDoctype     map[string]int64 `json:"documents_by_doctype"`
	Series        int64            `json:"series"`
	Readings      int64            `json:"readings"`
	Files         int64            `json:"files"`
	FileBytes     int64            `json:"file_bytes"`
	Doctypes      int64            `json:"doctypes"`
	Grants        int64            `json:"grants"`
	ConsentEvents int64            `json:"consent_events"`
	Receipts      int64            `json:"receipts"`
	LogEntries    int64            `json:"log_entries"`
	// Standards counts standards/: the same data in the standard formats.
	Standards StandardCounts `json:"standards"`
}

// LogHead is the head of the exported access log: the position and hash of its last entry,
// which the chain of access-log.jsonl must end on.
type LogHead struct {
	// Chain is the id the chain is hashed under (store.ChainHash's instance): the instance's
	// id, unless it was moved from another server with its log.
	Chain   string `json:"chain_id"`
	Entries int64  `json:"entries"`
	Seq     int64  `json:"head_seq"`
	Hash    string `json:"head_hash"`
}

// run is one export in progress.
type run struct {
	ctx      context.Context
	x        *Exporter
	in       store.Instance
	r        store.Reader
	reg      *doctype.Registry
	zw       *zip.Writer
	m        Manifest
	present  []string // doctypes with data, for doctypes/
	progress Progress
	done     int64
	total    int64
}

// Write writes the whole store of p (the person) to w as a zip archive and returns its
// manifest. On an error the archive is incomplete and must be thrown away: the caller says
// so (an HTTP answer already started is cut short, so the download fails visibly).
func (x *Exporter) Write(ctx context.Context, p gate.Principal, w io.Writer, progress Progress) (Manifest, error) {
	r, err := x.Gate.Everything(ctx, p)
	if err != nil {
		return Manifest{}, err
	}
	in, err := x.Instances.InstanceByID(ctx, p.Instance)
	if err != nil {
		return Manifest{}, err
	}
	now := time.Now
	if x.Now != nil {
		now = x.Now
	}
	aw := newAsyncWriter(w) // zip's own buffer is 4 KiB: a system call each, and a wait
	e := &run{ctx: ctx, x: x, in: in, r: r, reg: x.Gate.Registry(), zw: newZip(aw), progress: progress,
		m: Manifest{Format: Format, Version: Version, Instance: in, Exported: now().UTC(), Counts: Counts{ByDoctype: map[string]int64{}}}}
	err = e.all()
	if cerr := aw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Manifest{}, err
	}
	return e.m, nil
}

// newZip is a zip writer whose Deflate is klauspost/compress's fastest level rather than the
// standard library's: the readings' CSV is most of an export's CPU, and on it that level runs
// about twice as fast as compress/flate's BestSpeed and still writes a few per cent less
// (1 M readings of a water meter: 27.9 MB of CSV to 7.0 MB, against 7.4 MB). Its output is
// plain Deflate, which every unzip reads.
func newZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, 1)
	})
	return zw
}

// all writes the parts in order, the manifest last since it counts them.
func (e *run) all() error {
	steps := []struct {
		what string
		fn   func() error
	}{
		{"README", e.readme},
		{"totals", e.totals},
		{"documents", e.documents},
		{"series", e.series},
		{"files", e.files},
		{"standards", e.standards},
		{"doctypes", e.doctypes},
		{"consents", e.consents},
		{"access log", e.accessLog},
		{"manifest", e.manifest},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("export %s: %s: %w", e.in.Name, s.what, err)
		}
	}
	return e.zw.Close()
}

// advance counts n items done and tells the progress.
func (e *run) advance(n int64) {
	e.done += n
	if e.progress != nil {
		e.progress(e.done, max(e.total, e.done))
	}
}

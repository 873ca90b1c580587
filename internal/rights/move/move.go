// Package move brings a person's store from another server (GDPR Art. 20, the right to
// data portability, the other way): it reads an archive written by internal/rights/export
// and restores it into a new instance on this server, as it was there — documents with
// their ids, revisions, times, provenance, corrections and change-feed numbers, series at
// their precision with every reading, files, grants with their consent records, the public
// keys that signed the receipts, and the access log with its hashes verbatim, so that the
// chain verifies here as it did there and goes on from where it stopped.
//
// The archive is read from an io.ReaderAt and streamed: entries are read line by line and
// written in batches, never held whole. It is checked before anything is written (format,
// version, the access log's chain against the manifest's head) and as it is read (every
// count against the manifest, every file against its sha256, every document against its
// doctype); an error names the entry and the line. The restore is all or nothing: when
// anything fails, the instance it created is erased.
//
// What is derived from the data (standards/: ESPI, iCalendar, vCard, FHIR) is not read:
// the documents and series are the source of it. What belongs to the server the person
// left — sessions, tokens, OAuth tokens, connections to organizations and their secrets,
// alerts — is not in an archive and does not move (docs/moving.md).
package move

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/rights/export"
	"selfdata/internal/store"
)

// Store is what a move needs of the store: the restore itself, the catalog (a grant's
// service), and erasing what it made when it fails.
type Store interface {
	store.Moves
	Instance(ctx context.Context, name string) (store.Instance, error)
	SetEmail(ctx context.Context, instanceID, email string) error
	SetPassphraseHash(ctx context.Context, instanceID, hash string) error
	Service(ctx context.Context, id string) (store.Service, error)
	EraseInstance(ctx context.Context, name string) (store.Erased, error)
}

// Importer restores archives. Now defaults to time.Now.
type Importer struct {
	Store    Store
	Registry *doctype.Registry
	Now      func() time.Time
}

// Options are the choices of one import.
type Options struct {
	// Name is the new instance's name; "" for the archive's.
	Name string
	// PassphraseHash is the new instance's passphrase, hashed (auth.HashPassphrase). It is
	// set once everything is restored: no one logs into a half-restored store.
	PassphraseHash string
	// Progress is told how far the import is: done of total items (documents, readings,
	// files), as it goes; nil for nothing.
	Progress Progress
}

// Progress is told done of total items restored.
type Progress func(done, total int64)

// Report says what was restored.
type Report struct {
	Instance      store.Instance
	Documents     int64
	Series        int64
	Readings      int64
	Files         int64
	FileBytes     int64
	Grants        int64
	ConsentEvents int64
	Keys          int64 // public keys kept, with which the archive's receipts verify
	LogEntries    int64 // entries of the log brought, the import's own entry aside
	// Ended are the grants whose service is not in this server's catalog: kept, with
	// their record, ended (store.GrantEnded) as a removal of the service ends them.
	Ended []store.Grant
	// Renamed maps the id of a grant already taken on this server (the person moved back
	// to a server that still holds their old store) to the new id it was given.
	Renamed map[string]string
}

// Verb is the verb of the access-log entry that records the import.
const Verb = "move"

// ActorName names the operator's tool in that entry.
const ActorName = "selfdata instance import"

// Import reads the archive in ra (size bytes) and restores it into a new instance. On an
// error nothing of the new instance remains. An instance of that name already here is
// store.ErrExists, before anything is read but the manifest.
func (im *Importer) Import(ctx context.Context, ra io.ReaderAt, size int64, opt Options) (Report, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return Report{}, fmt.Errorf("the archive is not a readable zip file (cut short?): %w", err)
	}
	a, err := openArchive(zr)
	if err != nil {
		return Report{}, err
	}
	name := opt.Name
	if name == "" {
		name = a.m.Instance.Name
	}
	if name == "" {
		return Report{}, errors.New("manifest.json: the instance has no name; give one (--as)")
	}
	if _, err := im.Store.Instance(ctx, name); err == nil {
		return Report{}, fmt.Errorf("instance %q: %w on this server; choose another name (--as)", name, store.ErrExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Report{}, err
	}
	if err := a.verifyChain(); err != nil {
		return Report{}, err
	}
	in, err := im.Store.CreateMovedInstance(ctx, name, a.m.Instance.Created, "", a.chainID())
	if err != nil {
		return Report{}, err
	}
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	r := &run{ctx: ctx, im: im, a: a, in: in, now: now().UTC().Truncate(time.Microsecond), progress: opt.Progress,
		rep: Report{Instance: in, Renamed: map[string]string{}}}
	r.total = a.m.Counts.Documents + a.m.Counts.Readings + a.m.Counts.Files
	if err := r.all(opt.PassphraseHash); err != nil {
		if _, eerr := im.Store.EraseInstance(context.WithoutCancel(ctx), name); eerr != nil {
			return Report{}, fmt.Errorf("%w (and the instance %q it began could not be erased: %v)", err, name, eerr)
		}
		return Report{}, err
	}
	return r.rep, nil
}

// run is one import in progress.
type run struct {
	ctx         context.Context
	im          *Importer
	a           *archive
	in          store.Instance
	now         time.Time
	rep         Report
	progress    Progress
	done, total int64
	fileDocs    map[string]string // file document id → the sha256 its data names
}

// all restores the parts in order, then records the import and sets the passphrase.
func (r *run) all(passHash string) error {
	steps := []struct {
		what string
		fn   func() error
	}{
		{"documents", r.documents},
		{"series", r.series},
		{"files", r.files},
		{"consents", r.consents},
		{"access log", r.accessLog},
		{"counts", r.counts},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("import into %s: %s: %w", r.in.Name, s.what, err)
		}
	}
	err := r.im.Store.Restore(r.ctx, r.in.ID, func(w store.Restorer) error {
		return w.AppendLog(r.ctx, store.LogEntry{At: r.now, Principal: "operator", ActorName: ActorName, Doctype: "*", Verb: Verb,
			Count: int(r.rep.Documents), Times: 1})
	})
	if err != nil {
		return fmt.Errorf("import into %s: log the import: %w", r.in.Name, err)
	}
	if e := r.a.m.Instance.Email; e != "" {
		if err := r.im.Store.SetEmail(r.ctx, r.in.ID, e); err != nil {
			return fmt.Errorf("import into %s: email: %w", r.in.Name, err)
		}
		r.rep.Instance.Email = e
	}
	if err := r.im.Store.SetPassphraseHash(r.ctx, r.in.ID, passHash); err != nil {
		return fmt.Errorf("import into %s: passphrase: %w", r.in.Name, err)
	}
	return nil
}

// advance counts n items done and tells the progress.
func (r *run) advance(n int64) {
	r.done += n
	if r.progress != nil {
		r.progress(r.done, max(r.total, r.done))
	}
}

// counts checks what was restored against the manifest.
func (r *run) counts() error {
	c := r.a.m.Counts
	for _, x := range []struct {
		what       string
		got, wants int64
	}{
		{"documents", r.rep.Documents, c.Documents},
		{"series", r.rep.Series, c.Series},
		{"readings", r.rep.Readings, c.Readings},
		{"files", r.rep.Files, c.Files},
		{"file bytes", r.rep.FileBytes, c.FileBytes},
		{"grants", r.rep.Grants, c.Grants},
		{"consent events", r.rep.ConsentEvents, c.ConsentEvents},
		{"access log entries", r.rep.LogEntries, c.LogEntries},
	} {
		if x.got != x.wants {
			return fmt.Errorf("the archive holds %d %s, its manifest says %d", x.got, x.what, x.wants)
		}
	}
	return nil
}

// The manifest's format this package reads.
const (
	Format  = export.Format
	Version = export.Version
)

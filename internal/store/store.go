// Package store defines the storage contract of selfdata: the one interface that both backends
// (sqlite and postgres) implement and that the shared suite in storetest exercises.
//
// Every call takes a context and, for personal data, the instance it concerns first, so that no
// query can forget which person's store it touches. Writes of personal data happen inside Update,
// one transaction, so that a document, its readings, its file and the access-log entry that
// records the write land together or not at all.
//
// Only the gate (internal/gate) holds a Store; handlers never see one.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"
)

// Errors every backend returns (wrapped) so that callers can map them to HTTP statuses.
var (
	// ErrNotFound: no such instance, document, series, file, session or token in this instance.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the revision given is not the current one (optimistic concurrency).
	ErrConflict = errors.New("revision conflict")
	// ErrExists: a record with this unique name or id already exists.
	ErrExists = errors.New("already exists")
	// ErrUnknownSchema: the database was written by a newer selfdata; refuse to touch it.
	ErrUnknownSchema = errors.New("unknown database schema")
	// ErrInvalid: a malformed request the store cannot run (bad cursor, bad revision, bad range).
	ErrInvalid = errors.New("invalid request")
)

// Store is the whole contract. It is split into small interfaces by concern so that each
// consumer can ask for only what it needs (auth needs Credentials, the gate needs Data).
type Store interface {
	Instances
	Credentials
	Organizations
	Pulls
	Services
	Consents
	OAuth
	Alerts
	Data
	Audit
	Relatives
	Moves
	// EnsureIndexes makes queries on these declared index fields fast — an index per
	// doctype and field, holding that doctype's documents only, so that a write updates the
	// indexes of its own doctype — and drops the indexes of fields no longer declared. It
	// is idempotent and called at start-up with the registry's indexes.
	EnsureIndexes(ctx context.Context, indexes []Index) error
	Close() error
}

// Data is personal data: what only the gate may touch.
type Data interface {
	Reader
	// Update runs fn in one write transaction on the given instance. If fn returns an error,
	// nothing fn wrote is kept.
	Update(ctx context.Context, instance string, fn func(Writer) error) error
	// AppendLogs appends the entries of reads of several instances in one transaction (the
	// gate commits concurrent requests' entries together); all or none are written.
	AppendLogs(ctx context.Context, logs []InstanceLog) error
}

// Instance is one person's store.
type Instance struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	// Email is where the person wants alerts about services sent ("" for nowhere); they set
	// it themselves.
	Email string `json:"email,omitempty"`
}

// Instances is the operator's view: creating, listing and deleting stores.
type Instances interface {
	// CreateInstance fails with ErrExists when the name is taken.
	CreateInstance(ctx context.Context, name, passphraseHash string) (Instance, error)
	Instance(ctx context.Context, name string) (Instance, error)
	InstanceByID(ctx context.Context, id string) (Instance, error)
	ListInstances(ctx context.Context) ([]Instance, error)
	// SetEmail sets the address alerts are sent to ("" for none); the caller validates it.
	SetEmail(ctx context.Context, instanceID, email string) error
	// DeleteInstance removes the instance and everything of that person: documents, series,
	// files (blobs included), tokens, sessions and access log. It is EraseInstance without
	// the counts.
	DeleteInstance(ctx context.Context, name string) error
	// EraseInstance removes everything of the person, in one transaction, and then makes
	// what was removed unreadable in the data directory (SQLite: secure_delete, the
	// full-text index rewritten, the WAL checkpointed and truncated), and says what went.
	EraseInstance(ctx context.Context, name string) (Erased, error)
}

// Erased counts what EraseInstance removed, for the person or the operator to see.
type Erased struct {
	Documents, Series, Files, Tokens, Sessions, Connections, Grants, Alerts, LogEntries int64
}

// Session is a logged-in browser. The cookie holds the secret; the store keeps its hash.
type Session struct {
	Hash     string    // sha256 of the cookie secret, hex
	Instance string    // instance ID
	Created  time.Time //
	Expires  time.Time //
}

// Token is a personal access token. The store keeps its hash, never the token.
type Token struct {
	ID       string     `json:"id"`
	Instance string     `json:"instance"`
	Hash     string     `json:"-"`
	Label    string     `json:"label,omitempty"`
	Scopes   string     `json:"scopes"` // "DOCTYPE:VERBS[,DOCTYPE:VERBS...]", as given at creation
	Created  time.Time  `json:"created"`
	Revoked  *time.Time `json:"revoked,omitempty"`
}

// Credentials is what authentication needs: passphrase hashes, sessions and tokens.
type Credentials interface {
	PassphraseHash(ctx context.Context, instanceID string) (string, error)
	SetPassphraseHash(ctx context.Context, instanceID, hash string) error

	CreateSession(ctx context.Context, s Session) error
	Session(ctx context.Context, hash string) (Session, error)
	DeleteSession(ctx context.Context, hash string) error
	// DeleteSessions ends every session of an instance (e.g. after a passphrase change).
	DeleteSessions(ctx context.Context, instanceID string) error
	// DeleteExpiredSessions forgets the sessions that expired before t, of every instance.
	DeleteExpiredSessions(ctx context.Context, t time.Time) error

	CreateToken(ctx context.Context, t Token) error
	// TokenByHash returns revoked tokens too; the caller checks Revoked.
	TokenByHash(ctx context.Context, hash string) (Token, error)
	ListTokens(ctx context.Context, instanceID string) ([]Token, error)
	RevokeToken(ctx context.Context, instanceID, tokenID string, at time.Time) error

	// Failed logins are counted per key in fixed windows that start at a key's first
	// failure, in the database so that every server counts the same. AddLoginFailure counts
	// one at now (starting a new window when the key's is over) and returns the window;
	// LoginFailures returns the key's live window (zero when none); ResetLoginFailures
	// forgets the key.
	AddLoginFailure(ctx context.Context, key string, now time.Time, window time.Duration) (LoginWindow, error)
	LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (LoginWindow, error)
	ResetLoginFailures(ctx context.Context, key string) error
}

// LoginWindow is a key's count of failed logins since Start.
type LoginWindow struct {
	Start time.Time
	Count int
}

// Source is the provenance of a record: who put it there, in which batch, when.
type Source struct {
	// Kind is "organization", "service" (a re-user the person allowed to write), "upload" (a
	// file the person imported), "owner" (typed or sent by the person), "token" (a script of
	// the person's) or "demo".
	Kind  string    `json:"kind"`
	ID    string    `json:"id,omitempty"`    // organization, service or token id
	Name  string    `json:"name,omitempty"`  // human name of the organization, service, file or token
	Batch string    `json:"batch,omitempty"` // deposit or import id
	At    time.Time `json:"at"`
}

// Doc is a stored JSON document.
type Doc struct {
	ID      string          `json:"id"`
	Rev     string          `json:"rev"`
	Doctype string          `json:"doctype"`
	Created time.Time       `json:"created"`
	Updated time.Time       `json:"updated"`
	Source  Source          `json:"source"`
	Data    json.RawMessage `json:"data"`
	Seq     int64           `json:"seq"`
	// Corrected is set when someone other than the source changed the document: Data is
	// then their value, and the source's is kept in Corrected.Original.
	Corrected *Correction `json:"corrected,omitempty"`
}

// Correction tells that a document was changed by someone other than its source — most
// often the person correcting what an organization deposited — and keeps the source's value.
// Source stays the document's provenance; Original is the source's latest value (sent at
// Source.At: when the source sends the document again, its new value becomes the original
// and the correction stays).
type Correction struct {
	At       time.Time       `json:"at"` // the latest correction
	By       Corrector       `json:"by"`
	Original json.RawMessage `json:"original"`
}

// Corrector is who corrected a document: the person ("owner", or "token" for a script of
// theirs) or a service.
type Corrector struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// NewDoc is a document to create. ID may be empty: the store then assigns one.
type NewDoc struct {
	ID     string
	Data   json.RawMessage
	Source Source
	// Period is the value of the doctype's period field in Data (see doctype.Period), kept
	// apart so that the period a source's data covers is read from an index.
	Period string
}

// Upserted counts what an upsert did.
type Upserted struct {
	Created, Updated, Unchanged int
}

// FieldType tells the store how to compare an index field.
type FieldType string

const (
	String FieldType = "string" // compared bytewise; dates and instants are ISO 8601 strings
	Number FieldType = "number"
)

// Op is a comparison in a filter.
type Op string

const (
	Eq  Op = "eq"
	Gt  Op = "gt"
	Gte Op = "gte"
	Lt  Op = "lt"
	Lte Op = "lte"
)

// Field names a declared index field: a top-level or dotted path into the data ("date",
// "period.start"), with its type.
type Field struct {
	Path string
	Type FieldType
}

// Index is a declared index field of one doctype.
type Index struct {
	Doctype string
	Field   Field
}

// Filter compares an index field with a value (a string or a float64, per the field type).
type Filter struct {
	Field Field
	Op    Op
	Value any
}

// Query selects documents of one doctype. Sort is by one index field (then id); an empty
// Sort.Path sorts by id. Cursor is an opaque value from a previous Page.Next.
type Query struct {
	Doctype string
	Filters []Filter
	Sort    Field
	Desc    bool
	Limit   int
	Cursor  string
}

// Page is one page of a query; Next is empty on the last page.
type Page struct {
	Items []Doc
	Next  string
}

// Visible is what a principal may read: every doctype, or those named (none when empty).
// Reads spanning doctypes take one so that the store filters before it counts and cuts a
// page: a principal's page is never a page of everything with holes in it.
type Visible struct {
	All      bool
	Doctypes []string
}

// Shows tells whether v shows doctype.
func (v Visible) Shows(doctype string) bool {
	return v.All || slices.Contains(v.Doctypes, doctype)
}

// SearchQuery is a search by words (see package fulltext for what a word is).
type SearchQuery struct {
	Text string
	// Visible is what the searcher may read: the store filters by it before it counts and
	// cuts a page.
	Visible Visible
	// Names are the words naming each doctype — its labels in every language — so that a
	// word of the query that names a doctype ("facture", "bill") is answered by every
	// document of that doctype as well as by the documents holding the word.
	Names map[string][]string
	// Limit is the size of a page (at most 500; 50 when 0).
	Limit int
	// Cursor is the Next of the page before; empty for the first page.
	Cursor string
}

// SearchPage is one page of a search: Total counts every document found (all pages), Next
// is empty on the last page.
type SearchPage struct {
	Items []Doc
	Total int64
	Next  string
}

// ChangePage is a page of the change feed. Last is the sequence number the page reaches,
// whether or not a change of it was shown: the next page starts after it, so that a reader
// of a few doctypes moves on past the changes it may not see.
type ChangePage struct {
	Items []Change `json:"items"`
	Last  int64    `json:"last"`
}

// Change is one entry of an instance's change feed.
type Change struct {
	Seq     int64  `json:"seq"`
	Doctype string `json:"doctype"`
	ID      string `json:"id"`
	Deleted bool   `json:"deleted,omitempty"`
}

// Holding summarises what one source holds in one doctype: the "who has what on me" row.
type Holding struct {
	Doctype    string    `json:"doctype"`
	SourceKind string    `json:"source_kind"`
	SourceID   string    `json:"source_id,omitempty"`
	SourceName string    `json:"source_name,omitempty"`
	Count      int64     `json:"count"`
	First      time.Time `json:"first"` // earliest creation (for series: first reading)
	Last       time.Time `json:"last"`  // latest update (for series: last reading)
	// From and To are the period the data covers: the range of the documents' Period
	// values; empty when the doctype declares no period field.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Series is a time series of readings, e.g. a meter's consumption.
type Series struct {
	ID       string    `json:"id"`
	Doctype  string    `json:"doctype"`         // a declared series doctype, e.g. "reading.electricity"
	Name     string    `json:"name"`            //
	Quantity string    `json:"quantity"`        // energy, power, volume, temperature, index...
	Unit     string    `json:"unit"`            // Wh, W, m3, L, degC, kWh...
	Meter    string    `json:"meter,omitempty"` // id of the meter document, if any
	Source   Source    `json:"source"`
	Created  time.Time `json:"created"`
	// Decimals is the series' precision: the most decimals of the readings written to it (3
	// for 138.803 m³, 0 for whole Wh), 7 when one is finer than six decimals (chunk.Decimals).
	// Learning it from the readings needs nothing from the sources, and a precision declared
	// on creation (a file that says "three decimals") is kept as the least: readings only
	// raise it, since rounding a reading away would lose what the source gave. Aggregates are
	// rounded to it.
	Decimals int `json:"decimals"`
	// Filled by reads: how many readings and the instants of the first and last.
	Count int64      `json:"count"`
	First *time.Time `json:"first,omitempty"`
	Last  *time.Time `json:"last,omitempty"`
}

// Reading is one timestamped value.
type Reading struct {
	At    time.Time `json:"at"`
	Value float64   `json:"value"`
}

// Step is an aggregation bucket size.
type Step string

const (
	Hour  Step = "hour"
	Day   Step = "day"
	Week  Step = "week" // ISO weeks, starting Monday
	Month Step = "month"
	Year  Step = "year"
)

// AggFn is an aggregation function.
type AggFn string

const (
	Sum   AggFn = "sum"
	Avg   AggFn = "avg"
	Min   AggFn = "min"
	Max   AggFn = "max"
	Count AggFn = "count"
)

// Aggregation asks for readings in [From, To) grouped into Step buckets in Location.
// Zero From/To mean from the first / after the last reading.
type Aggregation struct {
	From, To time.Time
	Step     Step
	Fn       AggFn
	Location *time.Location
}

// Bucket is one aggregated bucket; buckets without readings are not returned.
type Bucket struct {
	Start time.Time `json:"start"`
	Value float64   `json:"value"`
	Count int64     `json:"count"`
}

// File is the metadata of a stored blob; it is also stored as a document of doctype "file".
type File struct {
	Doc       Doc    `json:"-"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

// LogEntry is one line of a person's access log.
type LogEntry struct {
	// Seq is the entry's number in this person's log (from 1; entries from before the log
	// was chained have 0 or less). It counts this person's entries only.
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Principal string    `json:"principal"` // "owner", "token", "service", "organization"
	ActorID   string    `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	Doctype   string    `json:"doctype"`
	Verb      string    `json:"verb"` // "read", "write"
	Count     int       `json:"count"`
	Purpose   string    `json:"purpose,omitempty"`
	// Refused marks an attempt the gate refused (a service asking for a doctype or a verb
	// outside its grant); Count is then 0. It is how the person learns what a service tried.
	Refused bool `json:"refused,omitempty"`
	// Times is how many identical accesses the entry stands for (1 when 0 is given): the
	// reads of one principal, doctype and count committed together are one entry, with
	// the time of the first.
	Times int `json:"times"`
}

// Occurrences is how many accesses the entry stands for: Times, or 1 when unset.
func (e LogEntry) Occurrences() int { return max(e.Times, 1) }

// LogQuery filters the access log; zero fields do not filter. Newest first.
type LogQuery struct {
	Principal string // "owner", "token", "service", "organization"
	// ExceptPrincipal leaves out the entries of that kind of principal: "owner" for what
	// others did, without the person's own page views.
	ExceptPrincipal string
	ActorID         string
	Doctype         string
	From, To        time.Time
	Limit           int
	Before          int64 // Seq: entries strictly older than this one
}

// InstanceLog is entries to append to one instance's access log, in order.
type InstanceLog struct {
	Instance string
	Entries  []LogEntry
}

// Audit checks that the access log is what the gate wrote. Each entry chains the hash of the
// one before it in its instance's log, so that an entry changed, inserted or removed directly
// in the database shows. It is the operator's tool (selfdata audit verify): it reads no
// personal data, only the log.
type Audit interface {
	// VerifyLog walks the instance's whole log in order and reports every break of its chain.
	VerifyLog(ctx context.Context, instance string) (LogVerification, error)
}

// LogVerification is the result of VerifyLog; the chain is intact when Problems is empty.
type LogVerification struct {
	Entries   int64  // entries read, unchained ones included
	Head      string // hash of the last entry (hex); noted elsewhere, it proves later rewrites
	Unchained int64  // entries written before the chain began (migration 0005), not covered
	Problems  []LogProblem
	Omitted   int64 // problems found beyond the first 1000, not listed
}

// LogProblem is one break of the chain: what is wrong, and at which entry.
type LogProblem struct {
	Kind LogProblemKind
	// ID is the database row of the entry where the break shows (the operator's handle on
	// it; two rows may claim one position): the altered or inserted entry, or the first
	// entry after the removed ones (0 when they were the last, or for the head).
	ID int64
	// Pos is the position in the instance's chain (from 1) the problem concerns: that of the
	// entry, or for removed entries the first missing position.
	Pos    int64
	Detail string // says what is wrong in a sentence
}

// LogProblemKind names the kinds of breaks.
type LogProblemKind string

const (
	// LogAltered: the entry's content no longer matches its hash.
	LogAltered LogProblemKind = "altered"
	// LogInserted: the entry does not follow the one before it (its previous hash differs),
	// takes a position another entry holds, or lies beyond the last entry appended.
	LogInserted LogProblemKind = "inserted"
	// LogRemoved: positions are missing, between two entries or at the end.
	LogRemoved LogProblemKind = "removed"
	// LogUnchained: an entry without a hash where none should be.
	LogUnchained LogProblemKind = "not chained"
	// LogHead: the head of the log (its last position and hash) is missing, or its MAC,
	// made with a key kept outside the database, does not match: the log was appended to,
	// cut, emptied or rewritten by someone without that key.
	LogHead LogProblemKind = "head"
)

// Reader reads personal data of one instance. It does not log: the gate does.
type Reader interface {
	Doc(ctx context.Context, instance, doctype, id string) (Doc, error)
	Query(ctx context.Context, instance string, q Query) (Page, error)
	// CountDocs counts what q selects, ignoring Sort, Limit and Cursor.
	CountDocs(ctx context.Context, instance string, q Query) (int64, error)
	// Changes lists at most limit changes after since of the doctypes v shows, in order.
	Changes(ctx context.Context, instance string, since int64, limit int, v Visible) (ChangePage, error)
	// Holdings groups what the instance holds of the doctypes v shows by doctype and
	// source, with the range of the documents' periods.
	Holdings(ctx context.Context, instance string, v Visible) ([]Holding, error)
	// Search finds the documents of the doctypes q.Visible shows that hold every word of
	// q.Text (accents and case aside), newest first, a page at a time, with how many there
	// are in all.
	Search(ctx context.Context, instance string, q SearchQuery) (SearchPage, error)

	// ListSeries lists the series of the doctypes v shows.
	ListSeries(ctx context.Context, instance string, v Visible) ([]Series, error)
	Series(ctx context.Context, instance, id string) (Series, error)
	// SeriesDoctype is the doctype of a series, without its counts: what a permission
	// check needs before its readings are read.
	SeriesDoctype(ctx context.Context, instance, id string) (string, error)
	// Readings returns at most limit readings in [from, to), oldest first.
	Readings(ctx context.Context, instance, seriesID string, from, to time.Time, limit int) ([]Reading, error)
	Aggregate(ctx context.Context, instance, seriesID string, a Aggregation) ([]Bucket, error)

	// OpenBlob returns the content of a blob of this instance by its sha256 (hex).
	OpenBlob(ctx context.Context, instance, sha256 string) (io.ReadCloser, error)

	AccessLog(ctx context.Context, instance string, q LogQuery) ([]LogEntry, error)
	// AccessSummary sums up, per doctype, the entries of the access log q selects (its Limit
	// and Before are ignored), ordered by doctype.
	AccessSummary(ctx context.Context, instance string, q LogQuery) ([]AccessSummary, error)
	LogChains
}

// Writer writes personal data inside one transaction of one instance (see Data.Update).
type Writer interface {
	// Doc reads a document inside the transaction.
	Doc(ctx context.Context, doctype, id string) (Doc, error)
	CreateDocs(ctx context.Context, doctype string, docs []NewDoc) ([]Doc, error)
	// UpdateDoc replaces the data of a document whose current revision is rev (ErrConflict
	// otherwise). The source is kept: provenance tells where the document came from. It
	// knows nothing of who writes and leaves a correction as it is: the gate writes for a
	// principal with UpdateDocAs.
	UpdateDoc(ctx context.Context, doctype, id, rev string, data json.RawMessage, period string) (Doc, error)
	// UpdateDocAs is UpdateDoc on behalf of by, the one writing. When by is not the
	// document's source — the person (the owner and their tokens are one party) changing
	// what an organization, a service, an import or the demo put there, or a service
	// changing what someone else did — the source stays the provenance, its value is kept
	// as Corrected.Original (the first time; later corrections keep it), and the document
	// is marked corrected by by, now. When by is the source, a corrected document keeps
	// its corrected data and takes data as its original. Data equal to the original lifts
	// the correction.
	UpdateDocAs(ctx context.Context, doctype, id, rev string, data json.RawMessage, period string, by Source) (Doc, error)
	DeleteDoc(ctx context.Context, doctype, id, rev string) error
	// UpsertDocs creates the documents whose id is new and replaces the data and provenance
	// of those whose data changed; identical ones are left as they are. This is what makes a
	// deposit or an import sent twice change nothing. Of a corrected document, the source's
	// value is its original: a new one replaces the original, and the correction stays.
	UpsertDocs(ctx context.Context, doctype string, docs []NewDoc) (Upserted, error)

	CreateSeries(ctx context.Context, s Series) (Series, error)
	// EnsureSeries creates the series unless one with its id exists, and returns the stored
	// one (Count, First and Last unset) and whether it was created. Two first deposits at
	// once both succeed: the second finds the series the first created. A series of another
	// doctype under the id is ErrExists.
	EnsureSeries(ctx context.Context, s Series) (Series, bool, error)
	// Series reads a series' metadata inside the transaction (Count, First and Last unset),
	// so that a batch can check a series it has just created, and locks the series until
	// the transaction ends, as AddReadings would.
	Series(ctx context.Context, id string) (Series, error)
	// AddReadings upserts readings by instant (the same instant twice keeps the last value)
	// and returns how many instants were new. Concurrent calls on one series are serialized
	// (the series is locked until the transaction ends), so that none overwrites the day
	// chunk another merged into.
	AddReadings(ctx context.Context, seriesID string, rs []Reading) (int, error)

	// PutBlob stores content and returns its sha256 (hex) and size. Storing the same content
	// twice keeps one copy.
	PutBlob(ctx context.Context, r io.Reader) (sha256 string, size int64, err error)

	// AppendLog appends entries to the instance's access log, in order, in the transaction.
	AppendLog(ctx context.Context, es ...LogEntry) error

	// Erasure of what one source deposited, and of files no one names (sqlstore/erase_source.go).

	// EraseSource deletes every document and series whose source is (kind, id) — the
	// series with their readings, and the content of the files erased that no remaining
	// document names — and counts what went by doctype (a series counts one).
	EraseSource(ctx context.Context, kind, id string) (map[string]int, error)
	// DropUnusedBlob removes the content sha256 (hex) unless a file document of the
	// instance still names it, and tells whether it did.
	DropUnusedBlob(ctx context.Context, sha256 string) (bool, error)
}

// Moves restores an instance brought from another server (internal/rights/move, selfdata
// instance import): what the person's store held there, written with the values it had
// there — ids, revisions, times, change-feed numbers, the access log's hashes — rather than
// made anew, so that the moved store is the same store.
type Moves interface {
	// CreateMovedInstance creates an empty instance (a new id) named name, created at
	// created, whose access log is a chain hashed under chainID (the id it was chained
	// under where it comes from; see LogChains.LogChainID). ErrExists when the name is taken.
	CreateMovedInstance(ctx context.Context, name string, created time.Time, passphraseHash, chainID string) (Instance, error)
	// Restore runs fn in one write transaction of the instance, as Update does.
	Restore(ctx context.Context, instance string, fn func(Restorer) error) error
}

// Restorer is a Writer that also writes records as they were on another server.
type Restorer interface {
	Writer
	// InsertDocs stores documents of one doctype as they are: id, revision, creation and
	// update times, source, correction and change-feed number (Seq); the instance's feed
	// counter is raised past the largest, so that later changes come after them. An id
	// already used is ErrExists.
	InsertDocs(ctx context.Context, doctype string, docs []RestoredDoc) error
	// InsertSeries creates a series with its creation time and decimals as given.
	InsertSeries(ctx context.Context, s Series) error
	// InsertGrant stores a grant as it is (its state included) with its whole consent
	// record, each event with its Seq and time; g.Service need not be in the catalog.
	InsertGrant(ctx context.Context, g Grant, record []ConsentEvent) error
	// GrantIDFree tells whether no grant of any instance has that id (grant ids are unique
	// across the server).
	GrantIDFree(ctx context.Context, id string) (bool, error)
	// InsertRetiredKey keeps the public half of a key that signed receipts elsewhere: it
	// is listed with the instance's keys, never used to sign.
	InsertRetiredKey(ctx context.Context, k SigningKey) error
	// InsertLog appends entries to the access log verbatim — position, times, previous hash
	// and hash — after the head: entries from before the chain (position 0 or less, no hash)
	// first, then chained ones, each at the next position, linked to the one before and
	// hashed as ChainHash says under the instance's chain id; anything else is ErrInvalid
	// naming the position. The head moves to the last.
	InsertLog(ctx context.Context, es []ChainedEntry) error
}

// RestoredDoc is a document to restore, with the value of its doctype's period field (see
// NewDoc.Period).
type RestoredDoc struct {
	Doc    Doc
	Period string
}

package alert

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"reflect"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
	"selfdata/internal/store/sqlite/sqlitetest"
)

var ctx = context.Background()

// noon is "now" in these tests; days start at midnight UTC.
var noon = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

type fixture struct {
	a     *Alerts
	db    store.Store
	alice store.Instance
	bob   store.Instance
	logs  *bytes.Buffer // what the alerts logged
}

func newFixture(t *testing.T, mail *Mailer) *fixture {
	t.Helper()
	db, reg := sqlitetest.Open(t)
	f := &fixture{db: db, logs: &bytes.Buffer{}}
	var err error
	if f.alice, err = db.CreateInstance(ctx, "alice", "h"); err != nil {
		t.Fatal(err)
	}
	if f.bob, err = db.CreateInstance(ctx, "bob", "h"); err != nil {
		t.Fatal(err)
	}
	f.a = New(db, reg, mail, slog.New(slog.NewTextHandler(f.logs, nil)))
	f.a.now, f.a.loc = func() time.Time { return noon }, time.UTC
	return f
}

// read is a read by the service volta (or another) of n records at t.
func read(service string, t time.Time, dt string, n int) store.LogEntry {
	return store.LogEntry{At: t, Principal: "service", ActorID: service, ActorName: strings.ToUpper(service[:1]) + service[1:], Doctype: dt, Verb: "read", Count: n}
}

// appendLog writes entries to the instance's log as the gate would.
func appendLog(t *testing.T, db store.Store, inst string, es ...store.LogEntry) {
	t.Helper()
	err := db.Update(ctx, inst, func(w store.Writer) error {
		for _, e := range es {
			if err := w.AppendLog(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// daily is volta reading n records at 10:00 on each of the days before noon's, from
// `from` days back to `to` days back.
func daily(from, to, n int) []store.LogEntry {
	var out []store.LogEntry
	for d := from; d >= to; d-- {
		out = append(out, read("volta", noon.AddDate(0, 0, -d).Add(-2*time.Hour), "reading.electricity", n))
	}
	return out
}

// TestServiceRead plays histories of the access log, then one read by volta, and checks the
// alerts that read raises in alice's store (params; id and time aside).
func TestServiceRead(t *testing.T) {
	refused := read("volta", noon.AddDate(0, 0, -3), "bank.operation", 0)
	refused.Refused = true
	first := func(dt, n string) store.Alert {
		return store.Alert{Kind: store.AlertFirstAccess, Service: "volta", ServiceName: "Volta", Params: map[string]string{"doctype": dt, "count": n}}
	}
	volume := func(count, usual string) store.Alert {
		return store.Alert{Kind: store.AlertUnusualVolume, Service: "volta", ServiceName: "Volta", Params: map[string]string{"count": count, "usual": usual, "day": "2025-06-15"}}
	}
	tests := []struct {
		name    string
		history []store.LogEntry // in alice's log before
		reads   []store.LogEntry // today's reads, each handed to ServiceRead in turn
		want    []store.Alert    // newest first
	}{
		{"a first read", nil, []store.LogEntry{read("volta", noon, "meter", 1)}, []store.Alert{first("meter", "1")}},
		{"a read after another one", []store.LogEntry{read("volta", noon.AddDate(0, 0, -40), "meter", 1)}, []store.LogEntry{read("volta", noon, "meter", 1)}, nil},
		{"first read after a refused attempt", []store.LogEntry{refused}, []store.LogEntry{read("volta", noon, "meter", 2)}, []store.Alert{first("meter", "2")}},
		{"other services' reads do not count", []store.LogEntry{read("watt", noon.AddDate(0, 0, -1), "meter", 1)}, []store.LogEntry{read("volta", noon, "*", 3)},
			[]store.Alert{first("*", "3")}},
		{"two reads racing for the first access raise one alert", nil, []store.LogEntry{read("volta", noon, "meter", 1), read("volta", noon, "meter", 1)},
			[]store.Alert{first("meter", "1")}},
		{"ten times the usual and over the floor", daily(30, 1, 10), []store.LogEntry{read("volta", noon, "reading.electricity", 150)},
			[]store.Alert{volume("150", "10")}},
		{"reached by several reads, raised once", daily(30, 1, 10), []store.LogEntry{
			read("volta", noon.Add(-time.Hour), "reading.electricity", 60), read("volta", noon, "reading.electricity", 60), read("volta", noon.Add(time.Minute), "reading.electricity", 300)},
			[]store.Alert{volume("120", "10")}},
		{"over the floor but within ten times the usual", daily(30, 1, 20), []store.LogEntry{read("volta", noon, "reading.electricity", 150)}, nil},
		{"far above the usual but under the floor", daily(30, 1, 1), []store.LogEntry{read("volta", noon, "reading.electricity", 100)}, nil},
		{"no reads in the last 30 days: anything over the floor is unusual", daily(45, 31, 50), []store.LogEntry{read("volta", noon, "reading.electricity", 101)},
			[]store.Alert{volume("101", "0")}},
		{"a first day of many reads raises the first access only", nil, []store.LogEntry{read("volta", noon, "reading.electricity", 5000)},
			[]store.Alert{first("reading.electricity", "5000")}},
		{"yesterday's reads are not today's", append(daily(30, 2, 1), read("volta", noon.AddDate(0, 0, -1), "reading.electricity", 500)),
			[]store.LogEntry{read("volta", noon, "reading.electricity", 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if len(tt.history) > 0 {
				appendLog(t, f.db, f.alice.ID, tt.history...)
			}
			for _, e := range tt.reads {
				appendLog(t, f.db, f.alice.ID, e)
				f.a.ServiceRead(ctx, f.alice.ID, e)
			}
			got, err := f.a.List(ctx, f.alice.ID, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if got[i].ID == "" || !got[i].Created.Equal(noon) || got[i].Read {
					t.Fatalf("alert %+v: want an id, created at %s, unread", got[i], noon)
				}
				got[i].ID, got[i].Created = "", time.Time{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("alerts = %+v;\nwant %+v", got, tt.want)
			}
			if bob, _ := f.a.List(ctx, f.bob.ID, false, 0); len(bob) != 0 {
				t.Fatalf("bob got alerts about alice's store: %+v", bob)
			}
			if f.logs.Len() != 0 {
				t.Fatalf("logged %q", f.logs)
			}
		})
	}
}

// TestVolumeOncePerDay: the next day's unusual volume is a new alert.
func TestVolumeOncePerDay(t *testing.T) {
	f := newFixture(t, nil)
	appendLog(t, f.db, f.alice.ID, daily(30, 1, 1)...)
	for _, at := range []time.Time{noon, noon.Add(time.Hour), noon.Add(24 * time.Hour)} {
		e := read("volta", at, "reading.electricity", 400)
		f.a.now = func() time.Time { return at }
		appendLog(t, f.db, f.alice.ID, e)
		f.a.ServiceRead(ctx, f.alice.ID, e)
	}
	got, err := f.a.List(ctx, f.alice.ID, false, 0)
	if err != nil || len(got) != 2 || got[0].Params["day"] != "2025-06-16" || got[1].Params["day"] != "2025-06-15" || got[1].Params["count"] != "400" {
		t.Fatalf("alerts = %+v, %v; want one on the 15th (raised at 400 records, not again at 800) and one on the 16th", got, err)
	}
}

// TestReadAndUnread: listing, counting and marking read what was shown.
func TestReadAndUnread(t *testing.T) {
	f := newFixture(t, nil)
	for _, svc := range []string{"volta", "watt"} {
		e := read(svc, noon, "meter", 1)
		appendLog(t, f.db, f.alice.ID, e)
		f.a.ServiceRead(ctx, f.alice.ID, e)
	}
	shown, err := f.a.List(ctx, f.alice.ID, true, 1)
	if err != nil || len(shown) != 1 {
		t.Fatalf("List = %+v, %v", shown, err)
	}
	if err := f.a.MarkRead(ctx, f.alice.ID, shown); err != nil {
		t.Fatal(err)
	}
	if n, err := f.a.Unread(ctx, f.alice.ID); err != nil || n != 1 {
		t.Fatalf("Unread = %d, %v; want the alert not shown", n, err)
	}
}

// TestServiceReadFailure: a check that cannot reach the store is logged and goes no further.
func TestServiceReadFailure(t *testing.T) {
	f := newFixture(t, nil)
	f.db.Close()
	f.a.ServiceRead(ctx, f.alice.ID, read("volta", noon, "meter", 1))
	if !strings.Contains(f.logs.String(), "checking a service's read failed") || !strings.Contains(f.logs.String(), "service=volta") {
		t.Fatalf("logged %q", f.logs)
	}
}

func TestSetEmail(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		in, want string
		err      error
	}{
		{"alice@example.org", "alice@example.org", nil},
		{"  alice@example.org\n", "alice@example.org", nil},
		{"", "", nil},
		{"Alice <alice@example.org>", "", store.ErrInvalid},
		{"alice@example.org, bob@example.org", "", store.ErrInvalid},
		{"not an address", "", store.ErrInvalid},
		{"alice@example.org\r\nBcc: eve@example.org", "", store.ErrInvalid},
		{strings.Repeat("a", 250) + "@example.org", "", store.ErrInvalid},
	}
	for _, tt := range tests {
		if err := f.a.SetEmail(ctx, f.alice.ID, "kept@example.org"); err != nil {
			t.Fatal(err)
		}
		err := f.a.SetEmail(ctx, f.alice.ID, tt.in)
		got, gerr := f.a.Email(ctx, f.alice.ID)
		switch {
		case tt.err != nil && (!errors.Is(err, tt.err) || got != "kept@example.org"):
			t.Errorf("SetEmail(%q) = %v, address %q; want %v and the address unchanged", tt.in, err, got, tt.err)
		case tt.err == nil && (err != nil || gerr != nil || got != tt.want):
			t.Errorf("SetEmail(%q) = %v; address %q, %v; want %q", tt.in, err, got, gerr, tt.want)
		}
	}
}

func TestNewMailer(t *testing.T) {
	tests := []struct {
		name string
		cfg  SMTP
		err  string
	}{
		{"relay without port", SMTP{Addr: "smtp.example.org", From: "s@example.org"}, "host:port"},
		{"sender with a name", SMTP{Addr: "smtp.example.org:587", From: "Selfdata <s@example.org>"}, "bare address"},
		{"user without password", SMTP{Addr: "smtp.example.org:587", From: "s@example.org", User: "u"}, "both a user and a password"},
		{"no authentication", SMTP{Addr: "smtp.example.org:25", From: "s@example.org"}, ""},
		{"authentication", SMTP{Addr: "smtp.example.org:587", From: "s@example.org", User: "u", Password: "p"}, ""},
	}
	for _, tt := range tests {
		_, err := NewMailer(tt.cfg)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: NewMailer = %v, want %q", tt.name, err, tt.err)
		}
	}
}

// TestEmail: with a relay and an address, each alert is emailed once, authenticated, in
// both languages; without an address nothing is sent; a relay refusing the credentials is
// logged without the password.
func TestEmail(t *testing.T) {
	const password = "s3cret-relay-password"
	tests := []struct {
		name     string
		email    string
		pass     string // the password the relay accepts
		mails    int
		contains []string // in the decoded email
		logged   string   // in the log
	}{
		{"sent", "alice@example.org", password, 1, []string{
			"From: selfdata@example.org", "To: alice@example.org", "Volta a accédé à vos données / Volta accessed your data",
			"Volta a lu vos données pour la première fois (Compteur).", "Volta read your data for the first time (Meter).", "Consents"}, ""},
		{"no address", "", password, 0, nil, ""},
		{"credentials refused", "alice@example.org", "another password", 0, nil, "authentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			relay := newSMTPServer(t, "selfdata", tt.pass)
			m, err := NewMailer(SMTP{Addr: relay.addr, From: "selfdata@example.org", User: "selfdata", Password: password})
			if err != nil {
				t.Fatal(err)
			}
			f := newFixture(t, m)
			if err := f.a.SetEmail(ctx, f.alice.ID, tt.email); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second read raises nothing, and sends nothing
				e := read("volta", noon, "meter", 1)
				appendLog(t, f.db, f.alice.ID, e)
				f.a.ServiceRead(ctx, f.alice.ID, e)
			}
			f.a.Wait()
			mails, _ := relay.sent()
			if len(mails) != tt.mails {
				t.Fatalf("%d emails sent, want %d (log: %s)", len(mails), tt.mails, f.logs)
			}
			if tt.mails > 0 {
				m := mails[0]
				if m.auth != "selfdata:"+password || m.from != "selfdata@example.org" || m.to != "alice@example.org" {
					t.Fatalf("email %+v", m)
				}
				text := decode(t, m.data)
				for _, s := range tt.contains {
					if !strings.Contains(text, s) {
						t.Errorf("the email lacks %q:\n%s", s, text)
					}
				}
			}
			if tt.logged != "" && !strings.Contains(f.logs.String(), tt.logged) || tt.logged == "" && f.logs.Len() != 0 {
				t.Fatalf("logged %q, want %q", f.logs, tt.logged)
			}
			if strings.Contains(f.logs.String(), password) {
				t.Fatalf("the SMTP password is in the log: %q", f.logs)
			}
		})
	}
}

// decode turns an email as sent into its headers (subject decoded) and its text.
func decode(t *testing.T, data string) string {
	t.Helper()
	head, body, ok := strings.Cut(data, "\r\n\r\n")
	if !ok {
		t.Fatalf("no header/body separator in %q", data)
	}
	var dec mime.WordDecoder
	h, err := dec.DecodeHeader(head)
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	return h + "\n\n" + string(text)
}

// TestRefused: a service's refused attempt raises one alert a day per service, kept for
// the person only, and emailed in both languages.
func TestRefused(t *testing.T) {
	relay := newSMTPServer(t, "selfdata", "pw")
	m, err := NewMailer(SMTP{Addr: relay.addr, From: "selfdata@example.org", User: "selfdata", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, m)
	if err := f.a.SetEmail(ctx, f.alice.ID, "alice@example.org"); err != nil {
		t.Fatal(err)
	}
	refused := func(service string, at time.Time, dt string) store.LogEntry {
		e := read(service, at, dt, 0)
		e.Refused = true
		return e
	}
	for _, e := range []store.LogEntry{
		refused("volta", noon, "contract"),
		refused("volta", noon.Add(time.Hour), "bank.operation"), // the same day: no second alert
		refused("watt", noon.Add(2*time.Hour), "contract"),      // another service: its own
		refused("volta", noon.Add(24*time.Hour), "contract"),    // the next day: a new one
	} {
		appendLog(t, f.db, f.alice.ID, e)
		f.a.now = func() time.Time { return e.At }
		f.a.Refused(ctx, f.alice.ID, e)
	}
	// Another process (a restart) knows nothing of what this one raised: the store keeps
	// the day's alert from being raised twice.
	again := New(f.db, f.a.reg, nil, f.a.log)
	again.loc = time.UTC
	again.Refused(ctx, f.alice.ID, refused("volta", noon.Add(3*time.Hour), "contract"))
	got, err := f.a.List(ctx, f.alice.ID, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, al := range got {
		kinds = append(kinds, al.Kind+" "+al.Service+" "+al.Params["day"]+" "+al.Params["doctype"])
	}
	want := []string{"refused_attempt volta 2025-06-16 contract", "refused_attempt watt 2025-06-15 contract", "refused_attempt volta 2025-06-15 contract"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("alerts = %q, want %q", kinds, want)
	}
	if bobs, _ := f.a.List(ctx, f.bob.ID, false, 0); len(bobs) != 0 {
		t.Fatalf("bob has alice's alerts: %+v", bobs)
	}
	f.a.Wait()
	mails, _ := relay.sent()
	if len(mails) != 3 {
		t.Fatalf("%d emails, want 3 (log: %s)", len(mails), f.logs)
	}
	// The emails are sent as the alerts are raised, each on its own: under load they may
	// reach the relay in any order, so the first of Volta's is looked for among them.
	var text string
	for _, m := range mails {
		if d := decode(t, m.data); strings.Contains(d, "Subject: selfdata : Volta") && text == "" {
			text = d
		}
	}
	for _, s := range []string{"Volta a demandé des données non permises / Volta asked for data you did not allow",
		"Volta a demandé des données que vous n'avez pas permises (Contrat)", "Volta asked for data you did not allow (Contract): selfdata refused, and nothing was read."} {
		if !strings.Contains(text, s) {
			t.Errorf("the email lacks %q:\n%s", s, text)
		}
	}
}

package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"selfdata/internal/store"
)

// testAccessChainRefused: a refused attempt is chained like any entry; its flag is covered by
// the hash, so flipping it either way shows as an altered entry, and an untouched log with
// refused entries among others verifies.
func testAccessChainRefused(t *testing.T, s store.Store) {
	raw, ok := s.(Raw)
	if !ok {
		t.Skip("the store gives no raw access to its database (storetest.Raw)")
	}
	a := newInstance(t, s, "alice")
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	read := store.LogEntry{At: t0, Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: "meter", Verb: "read", Count: 2, Purpose: "dpv:ServiceProvision"}
	refused := read
	refused.At, refused.Doctype, refused.Count, refused.Refused = t0.Add(time.Minute), "bank.operation", 0, true
	later := read
	later.At = t0.Add(2 * time.Minute)
	appendLog(t, s, a.ID, read, refused)
	appendLog(t, s, a.ID, later)
	if v := verify(t, s, a.ID); v.Entries != 3 || len(v.Problems) != 0 {
		t.Fatalf("VerifyLog of a log with a refused entry = %+v, want 3 entries, intact", v)
	}
	log, err := s.AccessLog(ctx, a.ID, store.LogQuery{})
	if err != nil || len(log) != 3 || !log[1].Refused || log[0].Refused || log[2].Refused || log[1].Count != 0 {
		t.Fatalf("AccessLog = %+v, %v; want the middle entry refused", log, err)
	}
	ids := logIDs(t, s, a.ID)
	set := func(id int64, v bool) {
		t.Helper()
		if err := raw.ExecRaw(ctx, `UPDATE access_log SET refused = ? WHERE id = ?`, v, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name string
		pos  int
		to   bool
	}{
		{"a refused attempt passed off as allowed", 2, false},
		{"an allowed read passed off as refused", 1, true},
	} {
		set(ids[tt.pos-1], tt.to)
		v := verify(t, s, a.ID)
		if len(v.Problems) != 1 || v.Problems[0].Kind != store.LogAltered || v.Problems[0].ID != ids[tt.pos-1] || v.Problems[0].Pos != int64(tt.pos) {
			t.Fatalf("%s: problems %+v, want entry %d (position %d) altered", tt.name, v.Problems, ids[tt.pos-1], tt.pos)
		}
		set(ids[tt.pos-1], !tt.to)
		if v := verify(t, s, a.ID); len(v.Problems) != 0 {
			t.Fatalf("%s, then set back: problems %+v", tt.name, v.Problems)
		}
	}
}

// serviceLog appends, for alice, reads and attempts by the service volta, by a token that
// happens to share its id, and by the owner, at t0 + the given hours.
func serviceLog(t *testing.T, s store.Store, inst string, t0 time.Time) {
	t.Helper()
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	svc := func(h int, dt, verb string, n int, refused bool) store.LogEntry {
		return store.LogEntry{At: at(h), Principal: "service", ActorID: "volta", ActorName: "Volta", Doctype: dt, Verb: verb, Count: n, Refused: refused}
	}
	appendLog(t, s, inst,
		svc(0, "meter", "read", 1, false),
		svc(1, "reading.electricity", "read", 48, false),
		svc(2, "reading.electricity", "read", 52, false),
		svc(3, "bank.operation", "read", 0, true),
		svc(4, "reading.electricity", "write", 3, false),
		svc(5, "bank.operation", "read", 0, true),
		svc(26, "reading.electricity", "read", 100, false),
		store.LogEntry{At: at(6), Principal: "token", ActorID: "volta", ActorName: "a script", Doctype: "meter", Verb: "read", Count: 7},
		store.LogEntry{At: at(7), Principal: "owner", Doctype: "meter", Verb: "read", Count: 9, Times: 3}, // three reads of 9 records
	)
}

func testAccessSummary(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	serviceLog(t, s, a.ID, t0)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	volta := store.LogQuery{Principal: "service", ActorID: "volta"}
	tests := []struct {
		name string
		inst string
		q    store.LogQuery
		want []store.AccessSummary
	}{
		{"everything volta did", a.ID, volta, []store.AccessSummary{
			{Doctype: "bank.operation", Refused: 2, First: at(3), Last: at(5)},
			{Doctype: "meter", Reads: 1, Records: 1, First: at(0), Last: at(0)},
			{Doctype: "reading.electricity", Reads: 3, Records: 200, Writes: 1, Written: 3, First: at(1), Last: at(26)},
		}},
		{"the first day", a.ID, store.LogQuery{Principal: "service", ActorID: "volta", From: t0, To: at(24)}, []store.AccessSummary{
			{Doctype: "bank.operation", Refused: 2, First: at(3), Last: at(5)},
			{Doctype: "meter", Reads: 1, Records: 1, First: at(0), Last: at(0)},
			{Doctype: "reading.electricity", Reads: 2, Records: 100, Writes: 1, Written: 3, First: at(1), Last: at(4)},
		}},
		{"one doctype, every principal", a.ID, store.LogQuery{Doctype: "meter"}, []store.AccessSummary{
			{Doctype: "meter", Reads: 5, Records: 35, First: at(0), Last: at(7)},
		}},
		{"the owner", a.ID, store.LogQuery{Principal: "owner"}, []store.AccessSummary{
			{Doctype: "meter", Reads: 3, Records: 27, First: at(7), Last: at(7)},
		}},
		{"bob's log holds none of it", b.ID, volta, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.AccessSummary(ctx, tt.inst, tt.q)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("AccessSummary = %+v, %v;\nwant %+v", got, err, tt.want)
			}
		})
	}
	if got, err := s.AccessLog(ctx, a.ID, volta); err != nil || len(got) != 7 {
		t.Fatalf("AccessLog filtered on principal and actor = %d entries, %v; want 7", len(got), err)
	}
}

func testServiceReads(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	serviceLog(t, s, a.ID, t0)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	for _, tt := range []struct {
		inst, service string
		t             time.Time
		want          bool
	}{
		{a.ID, "volta", t0, false},
		{a.ID, "volta", at(0).Add(time.Microsecond), true},
		{a.ID, "other", at(30), false},
		{b.ID, "volta", at(30), false},
	} {
		if got, err := s.ServiceReadBefore(ctx, tt.inst, tt.service, tt.t); err != nil || got != tt.want {
			t.Errorf("ServiceReadBefore(%s, %s, %s) = %v, %v; want %v", tt.inst, tt.service, tt.t, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		from, to time.Time
		want     store.ServiceReads
	}{
		// Refusals, the write, the token sharing the id and the owner are not volta's reads.
		{t0, at(24), store.ServiceReads{Reads: 3, Records: 101}},
		{at(24), at(48), store.ServiceReads{Reads: 1, Records: 100}},
		{at(48), at(72), store.ServiceReads{}},
	} {
		if got, err := s.ServiceReads(ctx, a.ID, "volta", tt.from, tt.to); err != nil || got != tt.want {
			t.Errorf("ServiceReads(%s, %s) = %+v, %v; want %+v", tt.from, tt.to, got, err, tt.want)
		}
	}
	if got, err := s.ServiceReads(ctx, b.ID, "volta", t0, at(72)); err != nil || got != (store.ServiceReads{}) {
		t.Fatalf("bob's ServiceReads = %+v, %v", got, err)
	}
}

func testAlerts(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	t0 := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	alert := func(i int, kind, dedup string) store.Alert {
		return store.Alert{ID: fmt.Sprintf("al-%d", i), Created: t0.Add(time.Duration(i) * time.Minute), Kind: kind, Service: "volta", ServiceName: "Volta",
			Params: map[string]string{"doctype": "meter", "n": fmt.Sprint(i)}, Dedup: dedup}
	}
	first := alert(1, store.AlertFirstAccess, "first:volta")
	volume := alert(2, store.AlertUnusualVolume, "volume:volta:2025-06-01")
	for _, al := range []store.Alert{first, volume} {
		if err := s.CreateAlert(ctx, a.ID, al); err != nil {
			t.Fatal(err)
		}
	}
	again := alert(3, store.AlertFirstAccess, "first:volta")
	mustErr(t, s.CreateAlert(ctx, a.ID, again), store.ErrExists, "a second alert for the same event")
	if err := s.CreateAlert(ctx, b.ID, again); err != nil {
		t.Fatalf("the same event in bob's store: %v", err)
	}
	for _, tt := range []struct {
		inst, dedup string
		want        bool
	}{{a.ID, "first:volta", true}, {a.ID, "volume:volta:2025-06-02", false}, {b.ID, "volume:volta:2025-06-01", false}} {
		if got, err := s.HasAlert(ctx, tt.inst, tt.dedup); err != nil || got != tt.want {
			t.Errorf("HasAlert(%s, %s) = %v, %v; want %v", tt.inst, tt.dedup, got, err, tt.want)
		}
	}
	list, err := s.ListAlerts(ctx, a.ID, false, 0)
	first.Dedup, volume.Dedup = "", ""
	if err != nil || !reflect.DeepEqual(list, []store.Alert{volume, first}) {
		t.Fatalf("ListAlerts = %+v, %v;\nwant %+v", list, err, []store.Alert{volume, first})
	}
	if list, err := s.ListAlerts(ctx, a.ID, false, 1); err != nil || len(list) != 1 || list[0].ID != volume.ID {
		t.Fatalf("ListAlerts limited to 1 = %+v, %v", list, err)
	}
	// Marking alice's first alert and bob's (under alice's name) leaves bob's unread.
	if err := s.MarkAlertsRead(ctx, a.ID, []string{first.ID, again.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAlertsRead(ctx, a.ID, nil); err != nil {
		t.Fatalf("marking no alert: %v", err)
	}
	for _, tt := range []struct {
		inst string
		want []string
	}{{a.ID, []string{volume.ID}}, {b.ID, []string{again.ID}}} {
		unread, err := s.ListAlerts(ctx, tt.inst, true, 0)
		n, cerr := s.CountUnreadAlerts(ctx, tt.inst)
		if err != nil || cerr != nil || len(unread) != len(tt.want) || n != len(tt.want) || unread[0].ID != tt.want[0] || unread[0].Read {
			t.Fatalf("unread alerts of %s = %+v (count %d), %v, %v; want %v", tt.inst, unread, n, err, cerr, tt.want)
		}
	}
	if list, _ := s.ListAlerts(ctx, a.ID, false, 0); len(list) != 2 || !list[1].Read {
		t.Fatalf("after marking: %+v; want the first alert read", list)
	}
	if err := s.DeleteInstance(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if list, err := s.ListAlerts(ctx, a.ID, false, 0); err != nil || len(list) != 0 {
		t.Fatalf("alerts of a deleted instance = %+v, %v", list, err)
	}
}

func testInstanceEmail(t *testing.T, s store.Store) {
	a, b := newInstance(t, s, "alice"), newInstance(t, s, "bob")
	if a.Email != "" {
		t.Fatalf("a new instance has email %q", a.Email)
	}
	if err := s.SetEmail(ctx, a.ID, "alice@example.org"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, s.SetEmail(ctx, "no-such-instance", "x@example.org"), store.ErrNotFound, "SetEmail of an unknown instance")
	byName, err := s.Instance(ctx, "alice")
	if err != nil || byName.Email != "alice@example.org" {
		t.Fatalf("Instance(alice) = %+v, %v", byName, err)
	}
	list, err := s.ListInstances(ctx)
	if err != nil || len(list) != 2 || list[0].Email != "alice@example.org" || list[1].Email != "" {
		t.Fatalf("ListInstances = %+v, %v", list, err)
	}
	if err := s.SetEmail(ctx, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if in, err := s.InstanceByID(ctx, a.ID); err != nil || in.Email != "" {
		t.Fatalf("after clearing: %+v, %v", in, err)
	}
	if in, err := s.InstanceByID(ctx, b.ID); err != nil || in.Email != "" {
		t.Fatalf("bob's: %+v, %v", in, err)
	}
}

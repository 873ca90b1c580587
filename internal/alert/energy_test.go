package alert

import (
	"strings"
	"testing"

	"selfdata/internal/store"
)

// TestRaiseEnergy: an energy check's alert is kept once per event, emailed once in both
// languages with its evidence, and refused without a Dedup.
func TestRaiseEnergy(t *testing.T) {
	relay := newSMTPServer(t, "selfdata", "pw")
	m, err := NewMailer(SMTP{Addr: relay.addr, From: "selfdata@example.org", User: "selfdata", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, m)
	if err := f.a.SetEmail(ctx, f.alice.ID, "alice@example.org"); err != nil {
		t.Fatal(err)
	}
	leak := store.Alert{Kind: KindLeak, Service: "selfdata-energy", ServiceName: "Home energy",
		Params: map[string]string{"nights": "5", "since": "2026-11-28", "flow": "2.0"}, Dedup: "leak:eau:2026-11-28"}
	for i, want := range []bool{true, false} {
		raised, err := f.a.Raise(ctx, f.alice.ID, leak)
		if err != nil || raised != want {
			t.Fatalf("raise %d: %v, %v; want %v", i, raised, err, want)
		}
	}
	if _, err := f.a.Raise(ctx, f.alice.ID, store.Alert{Kind: KindFreeze}); err == nil {
		t.Error("an alert without Dedup was raised")
	}
	f.a.Wait()
	mails, _ := relay.sent()
	if len(mails) != 1 {
		t.Fatalf("%d emails, want 1", len(mails))
	}
	text := decode(t, mails[0].data)
	for _, s := range []string{"fuite d'eau probable / probable water leak", "pendant 5 nuits de suite, depuis la nuit du 28/11/2026", "au moins 2,0 litres par heure",
		"for 5 nights in a row, since the night of 28 Nov 2026", "at least 2.0 litres an hour", "Home energy"} {
		if !strings.Contains(text, s) {
			t.Errorf("the email lacks %q:\n%s", s, text)
		}
	}
	list, err := f.a.List(ctx, f.alice.ID, false, 0)
	if err != nil || len(list) != 1 || list[0].Kind != KindLeak || list[0].Params["nights"] != "5" {
		t.Errorf("kept %+v, %v", list, err)
	}
	// Each kind is worded; another person's store holds nothing.
	for _, al := range []store.Alert{
		{Kind: KindExcess, Params: map[string]string{"supply": "gas", "from": "2026-11-26", "to": "2026-12-02", "last": "412", "unit": "kWh", "ratio": "1.8", "usual": "229", "weeks": "7"}},
		{Kind: KindFreeze, Params: map[string]string{"day": "2026-12-02", "min": "0.4"}},
	} {
		subject, fr, en, ok := energyEmail(al)
		if !ok || subject == "" || !strings.Contains(fr, "02/12/2026") || !strings.Contains(en, "2 Dec 2026") {
			t.Errorf("%s: %q / %q / %q", al.Kind, subject, fr, en)
		}
	}
	if n, _ := f.a.Unread(ctx, f.bob.ID); n != 0 {
		t.Errorf("bob has %d alerts", n)
	}
}

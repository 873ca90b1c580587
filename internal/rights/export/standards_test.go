package export

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/fhir"
	"selfdata/internal/importer/greenbutton"
	"selfdata/internal/importer/ical"
	"selfdata/internal/importer/vcard"
	"selfdata/internal/store"
)

// TestExportStandards exports the demo person and reads each file of standards/ back with
// the matching importer: what it yields is what the store holds.
func TestExportStandards(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			st, reg := be.open(t)
			x, a := seed(t, st, reg)
			var buf bytes.Buffer
			var last, total int64
			m, err := x.Write(ctx, gate.Owner(a.ID), &buf, func(done, tot int64) { last, total = done, tot })
			if err != nil {
				t.Fatal(err)
			}
			if last != total {
				t.Errorf("the progress ends at %d of %d", last, total)
			}
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			ar := archive{t: t, zr: zr}
			ar.checkGreenButton(st, a.ID, m)
			ar.checkCalendar(st, a.ID, m)
			ar.checkContacts(st, a.ID, m)
			ar.checkHealth(st, a.ID, m)
			var got Manifest
			if err := json.Unmarshal(ar.read("manifest.json"), &got); err != nil || got.Counts.Standards != m.Counts.Standards {
				t.Errorf("manifest.json standards %+v, want %+v (%v)", got.Counts.Standards, m.Counts.Standards, err)
			}
			readme := string(ar.read("README.md"))
			en, fr, _ := strings.Cut(readme, "## Français")
			for _, w := range []string{"standards/calendar.ics", "standards/contacts.vcf", "standards/health.json", "NAESB ESPI", "RFC 5545", "RFC 6350", "FHIR R4"} {
				if !strings.Contains(en, w) || !strings.Contains(fr, w) {
					t.Errorf("README.md does not say %q in both languages", w)
				}
			}
			if !strings.Contains(en, "standards/greenbutton/<series id>.xml") || !strings.Contains(fr, "standards/greenbutton/<id de la série>.xml") {
				t.Error("README.md does not describe standards/greenbutton/ in both languages")
			}
		})
	}
}

// docs lists every document of dt in the store.
func docs(t *testing.T, st store.Store, inst, dt string) []store.Doc {
	t.Helper()
	var out []store.Doc
	q := store.Query{Doctype: dt, Limit: 500}
	for {
		p, err := st.Query(ctx, inst, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
}

func dataOf(t *testing.T, d store.Doc) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(d.Data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameFields compares the fields of a stored document and of an imported record as JSON,
// so that []string and []any compare; def are the values a field stands for when absent.
func sameFields(t *testing.T, what string, stored, imported map[string]any, fields []string, def map[string]any) {
	t.Helper()
	for _, f := range fields {
		s, ok := stored[f]
		if !ok {
			s = def[f]
		}
		i, ok := imported[f]
		if !ok {
			i = def[f]
		}
		sj, _ := json.Marshal(s)
		ij, _ := json.Marshal(i)
		if !bytes.Equal(sj, ij) {
			t.Errorf("%s: %s stored %s, read back %s", what, f, sj, ij)
		}
	}
}

// espiExpected is the value a Green Button importer must give for v of a series at dec
// decimals written in a unit 10^shift times the ESPI one: the decimal the CSV writes,
// times 10^shift, to the nearest float64.
func espiExpected(v float64, dec, shift int) float64 {
	r, _ := new(big.Rat).SetString(string(AppendValue(nil, v, dec)))
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil)))
	f, _ := r.Float64()
	return f
}

func (ar archive) checkGreenButton(st store.Store, inst string, m Manifest) {
	t := ar.t
	all, err := st.ListSeries(ctx, inst, store.Visible{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var series, readings int64
	kinds := map[string]bool{}
	for _, s := range all {
		name := "standards/greenbutton/" + s.ID + ".xml"
		if !espiWritable(s) {
			if _, err := ar.zr.Open(name); err == nil {
				t.Errorf("%s is written, but series %s (%s in %s) is not a meter's in an ESPI unit", name, s.ID, s.Doctype, s.Unit)
			}
			continue
		}
		raw := ar.read(name)
		if !greenbutton.Detect(raw[:min(len(raw), 4096)], name) {
			t.Errorf("%s is not claimed by the Green Button importer", name)
		}
		feed, err := greenbutton.Parse(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := greenbutton.Adapt(feed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Series) != 1 || len(res.Records) != 1 {
			t.Fatalf("%s: %d series, %d records, want 1 and 1 (notes %v)", name, len(res.Series), len(res.Records), res.Notes)
		}
		got, meter := res.Series[0], res.Records[0]
		kind := strings.TrimPrefix(s.Doctype, "reading.")
		kinds[kind] = true
		u := espiUnits[s.Unit]
		wantUnit := map[int]string{72: "Wh", 38: "W", 42: "m3", 134: "L", 23: "degC"}[u.uom]
		if got.Doctype != s.Doctype || got.Name != s.Name || got.Unit != wantUnit || got.Quantity != s.Quantity || meter.Data["kind"] != kind || meter.Data["provider"] != s.Source.Name || got.MeterKey != meter.Key {
			t.Errorf("%s read back as %s %q %s %s, meter %v; stored %s %q %s %s from %s", name, got.Doctype, got.Name, got.Quantity, got.Unit, meter.Data, s.Doctype, s.Name, s.Quantity, s.Unit, s.Source.Name)
		}
		want, err := st.Readings(ctx, inst, s.ID, time.Time{}, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Readings) != len(want) || len(want) == 0 {
			t.Fatalf("%s: %d readings read back, %d stored", name, len(got.Readings), len(want))
		}
		regular := int64(-1)
		for i, r := range want {
			g := got.Readings[i]
			if !g.At.Equal(r.At) || g.Value != espiExpected(r.Value, s.Decimals, u.shift) {
				t.Fatalf("%s reading %d: read back %v %v, stored %v %v (%d decimals)", name, i, g.At, g.Value, r.At, r.Value, s.Decimals)
			}
			if i > 0 {
				gap := int64(r.At.Sub(want[i-1].At) / time.Second)
				switch {
				case regular == -1:
					regular = gap
				case regular != gap:
					regular = 0
				}
			}
		}
		var rt *greenbutton.ReadingType
		for _, e := range feed.Entries {
			if e.ReadingType != nil {
				rt = e.ReadingType
			}
		}
		if rt == nil || rt.IntervalLength != max(regular, 0) || rt.PowerOfTenMultiplier != int64(u.shift-s.Decimals) {
			t.Errorf("%s: ReadingType %+v, want intervalLength %d (0: irregular) and power of ten %d", name, rt, max(regular, 0), u.shift-s.Decimals)
		}
		series++
		readings += int64(len(want))
	}
	sc := m.Counts.Standards
	if series == 0 || sc.GreenButtonSeries != series || sc.GreenButtonReadings != readings || !kinds["electricity"] || !kinds["gas"] || !kinds["water"] {
		t.Errorf("Green Button: %d series (%v), %d readings; manifest %+v", series, kinds, readings, sc)
	}
}

func (ar archive) checkCalendar(st store.Store, inst string, m Manifest) {
	t := ar.t
	res, err := ical.ParseResult(bytes.NewReader(ar.read("standards/calendar.ics")))
	if err != nil {
		t.Fatalf("standards/calendar.ics: %v", err)
	}
	byKey := records(t, "calendar.ics", res)
	stored := docs(t, st, inst, "calendar.event")
	if len(stored) == 0 || len(byKey) != len(stored) || m.Counts.Standards.CalendarEvents != int64(len(stored)) {
		t.Fatalf("calendar.ics: %d events read back, %d stored, manifest %d", len(byKey), len(stored), m.Counts.Standards.CalendarEvents)
	}
	for _, d := range stored {
		rec, ok := byKey[d.ID]
		if !ok {
			t.Errorf("event %s is not read back by its id", d.ID)
			continue
		}
		sameFields(t, "event "+d.ID, dataOf(t, d), rec.Data, []string{"summary", "start", "end", "allDay", "location", "description", "organizer", "recurrence", "status", "exdates", "rdates"}, map[string]any{"allDay": false})
	}
}

func (ar archive) checkContacts(st store.Store, inst string, m Manifest) {
	t := ar.t
	res, err := vcard.ParseResult(bytes.NewReader(ar.read("standards/contacts.vcf")))
	if err != nil {
		t.Fatalf("standards/contacts.vcf: %v", err)
	}
	byKey := records(t, "contacts.vcf", res)
	stored := docs(t, st, inst, "contact")
	if len(stored) == 0 || len(byKey) != len(stored) || m.Counts.Standards.Contacts != int64(len(stored)) {
		t.Fatalf("contacts.vcf: %d cards read back, %d stored, manifest %d", len(byKey), len(stored), m.Counts.Standards.Contacts)
	}
	for _, d := range stored {
		rec, ok := byKey[d.ID]
		if !ok {
			t.Errorf("contact %s is not read back by its id", d.ID)
			continue
		}
		sameFields(t, "contact "+d.ID, dataOf(t, d), rec.Data, []string{"fullName", "givenName", "familyName", "emails", "phones", "organization", "address", "birthday", "birthdayNoYear"}, nil)
	}
}

func (ar archive) checkHealth(st store.Store, inst string, m Manifest) {
	t := ar.t
	raw := ar.read("standards/health.json")
	var bundle struct{ ResourceType, Type string }
	if err := json.Unmarshal(raw, &bundle); err != nil || bundle.ResourceType != "Bundle" || bundle.Type != "collection" {
		t.Errorf("health.json: %+v, %v; want a Bundle of type collection", bundle, err)
	}
	f, err := fhir.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("standards/health.json: %v", err)
	}
	res, err := fhir.Adapt(f)
	if err != nil {
		t.Fatalf("standards/health.json: %v", err)
	}
	byKey := records(t, "health.json", res)
	claims := docs(t, st, inst, "health.claim")
	paid := docs(t, st, inst, "health.reimbursement")
	if len(claims) == 0 || len(paid) == 0 || m.Counts.Standards.HealthClaims != int64(len(claims)) || m.Counts.Standards.HealthReimbursements != int64(len(paid)) || len(byKey) != len(claims)+len(paid) {
		t.Fatalf("health.json: %d records read back; %d claims and %d reimbursements stored, manifest %+v", len(byKey), len(claims), len(paid), m.Counts.Standards)
	}
	for _, d := range claims {
		rec, ok := byKey["ExplanationOfBenefit/"+d.ID]
		if !ok || rec.Doctype != "health.claim" {
			t.Errorf("claim %s is not read back by its id", d.ID)
			continue
		}
		sameFields(t, "claim "+d.ID, dataOf(t, d), rec.Data, []string{"date", "amount", "currency", "provider", "care", "reference"}, nil)
	}
	payments := map[string]bool{}
	for _, d := range paid {
		data := dataOf(t, d)
		claim, _ := data["claim"].(string)
		key := "ExplanationOfBenefit/" + d.ID + "/payment"
		if claim != "" && !payments[claim] {
			key, payments[claim] = "ExplanationOfBenefit/"+claim+"/payment", true
		}
		rec, ok := byKey[key]
		if !ok || rec.Doctype != "health.reimbursement" {
			t.Errorf("reimbursement %s is not read back as %s", d.ID, key)
			continue
		}
		sameFields(t, "reimbursement "+d.ID, data, rec.Data, []string{"date", "amount", "currency", "payer", "reference"}, nil)
		if got, _ := rec.Data["claim"].(string); claim != "" && strings.HasSuffix(key, claim+"/payment") && got != "ExplanationOfBenefit/"+claim {
			t.Errorf("reimbursement %s read back paying %q, stored paying %q", d.ID, got, claim)
		}
	}
	if len(payments) == 0 {
		t.Error("no reimbursement is the payment of a claim")
	}
}

// records indexes what an importer read by key, failing on a key read twice.
func records(t *testing.T, name string, res *importer.Result) map[string]importer.Record {
	t.Helper()
	out := map[string]importer.Record{}
	for _, r := range res.Records {
		if _, dup := out[r.Key]; dup {
			t.Errorf("%s: %s read twice", name, r.Key)
		}
		out[r.Key] = r
	}
	if len(res.LeftOut) > 0 && !slices.ContainsFunc(res.LeftOut, func(l importer.LeftOut) bool { return l.Kind == "health.claim" }) {
		t.Errorf("%s: left out %+v", name, res.LeftOut)
	}
	return out
}

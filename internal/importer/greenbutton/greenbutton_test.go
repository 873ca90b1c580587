package greenbutton

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/importer/samples"
)

func TestSamples(t *testing.T) {
	tests := []struct {
		file                string
		meterKey, label, tz string
		seriesKey, name     string
		count               int
		first, last         time.Time
		firstValue, lastVal float64
		sum                 float64
		notes               int
	}{
		{
			file:       "greenbutton/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml",
			meterKey:   "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/5/UsagePoint/1",
			label:      "Coastal Multi-Family",
			tz:         "-08:00",
			seriesKey:  "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/5/UsagePoint/1/MeterReading/01",
			name:       "Hourly Electricity Consumption",
			count:      8760,
			first:      time.Date(2011, 1, 1, 8, 0, 0, 0, time.UTC), // midnight PST
			last:       time.Date(2012, 1, 1, 7, 0, 0, 0, time.UTC), // 23:00 PST on Dec 31
			firstValue: 450, lastVal: 482, sum: 4425305, notes: 1,
		},
		{
			file:       "greenbutton/TestGBDataHourlyNineDaysBinnedDaily.xml",
			meterKey:   "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/2/UsagePoint/2",
			label:      "Green Button Sample Data File",
			tz:         "-05:00",
			seriesKey:  "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/2/UsagePoint/2/MeterReading/01",
			name:       "Monthly Electricity Consumption",
			count:      216,
			first:      time.Date(2014, 1, 1, 5, 0, 0, 0, time.UTC),
			last:       time.Date(2014, 1, 10, 4, 0, 0, 0, time.UTC),
			firstValue: 273, lastVal: 273, sum: 199563, notes: 1,
		},
		{
			file:       "greenbutton/TestGBDataOneYearDailyBinnedMonthly.xml",
			meterKey:   "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/1/UsagePoint/1",
			label:      "Green Button Sample Data File",
			tz:         "-05:00",
			seriesKey:  "https://services.greenbuttondata.org/DataCustodian/espi/1_1/resource/RetailCustomer/1/UsagePoint/1/MeterReading/01",
			name:       "Monthly Electricity Consumption",
			count:      444,
			first:      time.Date(2013, 1, 1, 5, 0, 0, 0, time.UTC),
			last:       time.Date(2014, 3, 20, 4, 0, 0, 0, time.UTC),
			firstValue: 21021, lastVal: 21021, sum: 9917817, notes: 1,
		},
		{
			file:       "greenbutton/test_usage_data.xml",
			meterKey:   "/espi/1_1/resource/RetailCustomer/9B6C7066/UsagePoint/5446AF3F",
			label:      "Front Electric Meter",
			tz:         "-05:00",
			seriesKey:  "/espi/1_1/resource/RetailCustomer/9B6C7066/UsagePoint/5446AF3F/MeterReading/01",
			name:       "Fifteen Minute Electricity Consumption",
			count:      1340,
			first:      time.Date(2012, 3, 1, 5, 0, 0, 0, time.UTC),
			last:       time.Date(2012, 3, 15, 3, 45, 0, 0, time.UTC),
			firstValue: 282, lastVal: 940, sum: 1391666, notes: 2, // usage and quality summaries
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data := samples.Read(t, tt.file)
			if !Detect(head(data), tt.file) {
				t.Fatal("Detect = false")
			}
			res, err := Format().Parse(strings.NewReader(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Records) != 1 || len(res.Series) != 1 {
				t.Fatalf("got %d records, %d series; want 1, 1", len(res.Records), len(res.Series))
			}
			m := res.Records[0]
			want := map[string]any{"kind": "electricity", "identifier": tt.meterKey, "provider": "Green Button",
				"label": tt.label, "tzOffset": tt.tz, "dstOffset": "+01:00", "dstStartRule": "360E2000", "dstEndRule": "B40E2000"}
			if m.Doctype != "meter" || m.Key != tt.meterKey {
				t.Errorf("meter = %s %q", m.Doctype, m.Key)
			}
			for k, v := range want {
				if m.Data[k] != v {
					t.Errorf("meter %s = %v, want %v", k, m.Data[k], v)
				}
			}
			s := res.Series[0]
			if s.Key != tt.seriesKey || s.Doctype != "reading.electricity" || s.Name != tt.name ||
				s.Quantity != "energy" || s.Unit != "Wh" || s.MeterKey != tt.meterKey {
				t.Errorf("series = %+v", s)
			}
			rs := s.Readings
			if len(rs) != tt.count {
				t.Fatalf("%d readings, want %d", len(rs), tt.count)
			}
			if !rs[0].At.Equal(tt.first) || rs[0].Value != tt.firstValue {
				t.Errorf("first = %v %v", rs[0].At, rs[0].Value)
			}
			if l := rs[len(rs)-1]; !l.At.Equal(tt.last) || l.Value != tt.lastVal {
				t.Errorf("last = %v %v", l.At, l.Value)
			}
			sum := 0.0
			for _, r := range rs {
				sum += r.Value
			}
			if sum != tt.sum {
				t.Errorf("sum = %v, want %v", sum, tt.sum)
			}
			if len(res.Notes) != tt.notes || res.Skipped != 0 {
				t.Errorf("notes = %q, skipped %d", res.Notes, res.Skipped)
			}
		})
	}
}

// head is what Detect sees: the first 8 KiB.
func head(b []byte) []byte {
	return b[:min(len(b), 8<<10)]
}

func TestDetectAllSamples(t *testing.T) {
	dir := samples.Dir(t)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) == ".md" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want := strings.HasPrefix(filepath.ToSlash(rel), "greenbutton/")
		if got := Detect(head(b), filepath.Base(p)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", rel, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("only %d sample files seen", n)
	}
}

// feed builds a small feed: a gas UsagePoint, a MeterReading, a ReadingType with the given
// body, and one IntervalBlock with the given readings.
func feed(readingType, readings string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<author><name>Example Gas Co</name></author>
<entry><id>urn:uuid:up</id>
<link rel="self" href="/UsagePoint/1"/>
<link rel="related" href="/UsagePoint/1/MeterReading"/>
<content><UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>1</kind></ServiceCategory></UsagePoint></content>
</entry>
<entry><id>urn:uuid:mr</id>
<link rel="self" href="/UsagePoint/1/MeterReading/1"/>
<link rel="up" href="/UsagePoint/1/MeterReading"/>
<link rel="related" href="/ReadingType/9"/>
<content><MeterReading xmlns="http://naesb.org/espi"/></content>
</entry>
<entry><id>urn:uuid:rt</id>
<link rel="self" href="/ReadingType/9"/>
<content><ReadingType xmlns="http://naesb.org/espi">` + readingType + `</ReadingType></content>
</entry>
<entry><id>urn:uuid:ib</id>
<link rel="self" href="/UsagePoint/1/MeterReading/1/IntervalBlock/1"/>
<content><IntervalBlock xmlns="http://naesb.org/espi">
<interval><duration>172800</duration><start>1700000000</start></interval>
` + readings + `
</IntervalBlock></content>
</entry>
</feed>`
}

func TestUnitsAndTimes(t *testing.T) {
	// Therms with a milli multiplier; the second reading has no timePeriod and follows the
	// first by the interval length.
	src := feed(`<uom>169</uom><powerOfTenMultiplier>-3</powerOfTenMultiplier><intervalLength>86400</intervalLength><commodity>7</commodity>`,
		`<IntervalReading><timePeriod><duration>86400</duration><start>1700000000</start></timePeriod><value>1500</value></IntervalReading>
<IntervalReading><value>2000</value></IntervalReading>`)
	res, err := Format().Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if res.Records[0].Data["kind"] != "gas" || res.Records[0].Data["provider"] != "Example Gas Co" {
		t.Errorf("meter = %v", res.Records[0].Data)
	}
	s := res.Series[0]
	if s.Doctype != "reading.gas" || s.Unit != "Wh" || s.Quantity != "energy" || s.MeterKey != "/UsagePoint/1" {
		t.Errorf("series = %+v", s)
	}
	// 1.5 therm = 1.5 × 105 480 400 J = 43 950.1666… Wh.
	if got, want := s.Readings[0].Value, 1.5*105_480_400.0/3600; got != want {
		t.Errorf("value = %v, want %v", got, want)
	}
	if got := s.Readings[1].At; !got.Equal(time.Unix(1700000000+86400, 0)) {
		t.Errorf("second reading at %v", got)
	}
	if len(res.Notes) != 1 {
		t.Errorf("notes = %q", res.Notes)
	}
}

func TestUnknownUnitSkipped(t *testing.T) {
	src := feed(`<uom>63</uom>`, `<IntervalReading><timePeriod><duration>900</duration><start>1700000000</start></timePeriod><value>5</value></IntervalReading>`)
	res, err := Format().Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 0 || res.Skipped != 1 || len(res.Records) != 1 {
		t.Errorf("series %d, skipped %d, records %d", len(res.Series), res.Skipped, len(res.Records))
	}
}

// TestLeftOutEntries: a MeterReading in a unit no doctype has, one of which nothing says
// what it measures, and an IntervalBlock of no MeterReading are each listed as left out by
// their line and link, their readings counted in Skipped, while the good one imports.
func TestLeftOutEntries(t *testing.T) {
	entry := func(self, related, content string) string {
		return "<entry><id>urn:uuid:" + self + "</id>\n<link rel=\"self\" href=\"" + self + "\"/>\n" + related +
			"<content>" + content + "</content>\n</entry>\n"
	}
	rel := func(href string) string { return "<link rel=\"related\" href=\"" + href + "\"/>\n" }
	reading := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "<IntervalReading><timePeriod><duration>900</duration><start>%d</start></timePeriod><value>5</value></IntervalReading>", 1700000000+900*i)
		}
		return `<IntervalBlock xmlns="http://naesb.org/espi">` + b.String() + "</IntervalBlock>"
	}
	src := `<?xml version="1.0" encoding="UTF-8"?>` + "\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n" +
		entry("/UsagePoint/1", rel("/UsagePoint/1/MeterReading"), `<UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>0</kind></ServiceCategory></UsagePoint>`) +
		entry("/UsagePoint/1/MeterReading/1", rel("/ReadingType/1"), `<MeterReading xmlns="http://naesb.org/espi"/>`) +
		entry("/UsagePoint/1/MeterReading/2", rel("/ReadingType/2"), `<MeterReading xmlns="http://naesb.org/espi"/>`) +
		entry("/UsagePoint/2", rel("/UsagePoint/2/MeterReading"), `<UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>5</kind></ServiceCategory></UsagePoint>`) +
		entry("/UsagePoint/2/MeterReading/1", rel("/ReadingType/1"), `<MeterReading xmlns="http://naesb.org/espi"/>`) +
		entry("/ReadingType/1", "", `<ReadingType xmlns="http://naesb.org/espi"><uom>72</uom></ReadingType>`) +
		entry("/ReadingType/2", "", `<ReadingType xmlns="http://naesb.org/espi"><uom>63</uom></ReadingType>`) +
		entry("/UsagePoint/1/MeterReading/1/IntervalBlock/1", "", reading(1)) +
		entry("/UsagePoint/1/MeterReading/2/IntervalBlock/1", "", reading(2)) +
		entry("/UsagePoint/2/MeterReading/1/IntervalBlock/1", "", reading(3)) +
		entry("/Elsewhere/IntervalBlock/1", "", reading(4)) +
		"</feed>"
	lineOf := func(sub string) int { return strings.Count(src[:strings.Index(src, sub)], "\n") + 1 }
	res, err := Format().Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || len(res.Series[0].Readings) != 1 || res.Skipped != 2+3+4 {
		t.Fatalf("%d series, skipped %d; want the good one, 9 readings skipped", len(res.Series), res.Skipped)
	}
	want := []string{
		fmt.Sprintf("%d|/UsagePoint/1/MeterReading/2|MeterReading|unit|uom 63", lineOf("<entry><id>urn:uuid:/UsagePoint/1/MeterReading/2<")),
		fmt.Sprintf("%d|/UsagePoint/2/MeterReading/1|MeterReading|no-measure|", lineOf("<entry><id>urn:uuid:/UsagePoint/2/MeterReading/1<")),
		fmt.Sprintf("%d|/Elsewhere/IntervalBlock/1|IntervalBlock|no-measure|", lineOf("<entry><id>urn:uuid:/Elsewhere")),
	}
	var got []string
	for _, l := range res.LeftOut {
		got = append(got, fmt.Sprintf("%d|%s|%s|%s|%s", l.Line, l.Element, l.Kind, l.Reason, strings.Join(l.Params, ",")))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("left out\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "left out") {
			t.Errorf("note %q says again what is listed", n)
		}
	}
}

// TestNotesSayWhatWasLeftOut: each resource left out is named for what it is; a time-of-use
// code table is not a "summary".
func TestNotesSayWhatWasLeftOut(t *testing.T) {
	good := feed(`<uom>72</uom>`, `<IntervalReading><timePeriod><duration>900</duration><start>1700000000</start></timePeriod><value>5</value></IntervalReading>`)
	extra := func(resource, body string) string {
		return "<entry><id>urn:uuid:" + resource + "</id><content><" + resource + ` xmlns="http://naesb.org/espi">` + body + "</" + resource + "></content></entry>\n"
	}
	src := strings.Replace(good, "</feed>", extra("ProgramIdMappings", "<programIdMapping><tOUorCPPorConsumptionTier>tou</tOUorCPPorConsumptionTier><code>1</code><name>Peak</name></programIdMapping>")+
		extra("UsageSummary", "<billingPeriod><duration>2592000</duration><start>1700000000</start></billingPeriod>")+
		extra("WeatherReport", "")+"</feed>", 1)
	res, err := Format().Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 ProgramIdMappings entr(ies) not imported: time-of-use code tables (ProgramIdMappings): not data about your consumption",
		"1 UsageSummary entr(ies) not imported: usage summaries (UsageSummary): they restate the interval readings",
		"1 WeatherReport entr(ies) not imported: a section this importer does not read",
	}
	if strings.Join(res.Notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes\n%s\nwant\n%s", strings.Join(res.Notes, "\n"), strings.Join(want, "\n"))
	}
}

func TestMalformed(t *testing.T) {
	good := feed(`<uom>72</uom>`, `<IntervalReading><timePeriod><duration>900</duration><start>1700000000</start></timePeriod><value>5</value></IntervalReading>`)
	lineOf := func(s, sub string) int { return strings.Count(s[:strings.Index(s, sub)], "\n") + 1 }
	tests := []struct {
		name, src, element string
		line               int
	}{
		{"truncated", good[:len(good)-40], "content/IntervalBlock", lineOf(good, "</IntervalBlock>")},
		{"bad value", strings.Replace(good, "<value>5</value>", "<value>5.x</value>", 1), "content/IntervalBlock/IntervalReading/value", lineOf(good, "<value>5")},
		{"bad start", strings.Replace(good, "<start>1700000000</start></timePeriod>", "<start>2023-11-14</start></timePeriod>", 1), "content/IntervalBlock/IntervalReading/timePeriod/start", lineOf(good, "<IntervalReading>")},
		{"bad uom", strings.Replace(good, "<uom>72</uom>", "<uom>Wh</uom>", 1), "content/ReadingType/uom", lineOf(good, "<uom>")},
		{"bad power", strings.Replace(good, "<uom>72</uom>", "<uom>72</uom><powerOfTenMultiplier>-400</powerOfTenMultiplier>", 1), "content/ReadingType/powerOfTenMultiplier", lineOf(good, "<uom>")},
		{"doctype", strings.Replace(good, "<feed", `<!DOCTYPE feed [<!ENTITY x "y">]><feed`, 1), "", 2},
		{"not a feed", `<?xml version="1.0"?>` + "\n<rss></rss>", "rss", 2},
		{"no reading type", strings.NewReplacer("<ReadingType ", "<Other ", "</ReadingType>", "</Other>").Replace(good), "MeterReading", lineOf(good, "urn:uuid:mr")},
		{"empty", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Format().Parse(strings.NewReader(tt.src))
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), result %v; want *importer.Error", err, err, res)
			}
			if res != nil {
				t.Error("a result came with the error")
			}
			if ie.Line != tt.line || ie.Element != tt.element {
				t.Errorf("error at line %d element %q (%v), want line %d element %q", ie.Line, ie.Element, ie, tt.line, tt.element)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, rel := range samples.GlobIfPresent("greenbutton/*.xml") {
		if b, ok := samples.ReadIfPresent(rel); ok {
			f.Add(b[:min(len(b), 12<<10)]) // the heads keep the fuzzer fast
		}
	}
	f.Add([]byte(feed(`<uom>42</uom><powerOfTenMultiplier>-2</powerOfTenMultiplier>`,
		`<IntervalReading><timePeriod><duration>900</duration><start>1700000000</start></timePeriod><value>5</value></IntervalReading>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Format().Parse(strings.NewReader(string(data)))
		if err != nil {
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *importer.Error", err)
			}
			return
		}
		for _, r := range res.Records {
			if r.Doctype == "" || r.Key == "" {
				t.Fatalf("record without doctype or key: %+v", r)
			}
		}
		for _, s := range res.Series {
			if s.Doctype == "" || s.Key == "" || s.Unit == "" || s.Quantity == "" {
				t.Fatalf("series without doctype, key, unit or quantity: %+v", s)
			}
		}
	})
}

package greenbutton

import (
	"fmt"
	"math"
	"sort"
	"time"

	"selfdata/internal/importer"
	"selfdata/internal/input"
	"selfdata/internal/store"
)

// Name is the format's name, also Result.Format.
const Name = "greenbutton"

// unit is how an ESPI unit of measure is stored: the quantity and unit of the series and the
// exact factor from the ESPI unit to it.
type unit struct {
	quantity, unit string
	factor         float64
	from           string // the ESPI unit when converted, for the note
}

// unitOf maps an ESPI UnitSymbolKind code (REQ.21 UomType) to the unit our series use.
func unitOf(code int64) (unit, bool) {
	switch code {
	case 72:
		return unit{"energy", "Wh", 1, ""}, true
	case 38:
		return unit{"power", "W", 1, ""}, true
	case 42:
		return unit{"volume", "m3", 1, ""}, true
	case 134:
		return unit{"volume", "L", 1, ""}, true
	case 23:
		return unit{"temperature", "degC", 1, ""}, true
	case 169:
		return unit{"energy", "Wh", 105_480_400.0 / 3600, "therm (US, 105.4804 MJ)"}, true
	case 132:
		return unit{"energy", "Wh", 1055.05585262 / 3600, "BTU (IT)"}, true
	case 119:
		return unit{"volume", "m3", 0.028316846592, "ft3"}, true
	case 128:
		return unit{"volume", "L", 3.785411784, "US gallon"}, true
	case 130:
		return unit{"volume", "L", 4.54609, "imperial gallon"}, true
	}
	return unit{}, false
}

// serviceKind maps a ServiceCategory kind to a meter kind ("" for heat, pressure...).
func serviceKind(k int64) string {
	switch k {
	case 0:
		return "electricity"
	case 1:
		return "gas"
	case 2:
		return "water"
	}
	return ""
}

// commodityKind maps a ReadingType commodity to a meter kind, for feeds without a kind.
func commodityKind(c int64) string {
	switch c {
	case 1, 2:
		return "electricity"
	case 7, 8:
		return "gas"
	case 9:
		return "water"
	}
	return ""
}

// Adapt turns a parsed feed into meter records and series (see the package doc).
func Adapt(f *Feed) (*importer.Result, error) {
	g := newGraph(f)
	res := &importer.Result{Format: Name}
	a := adapter{g: g, res: res, provider: "Green Button", meters: map[*Entry]string{}}
	if f.Author != "" {
		a.provider = f.Author
	}
	for _, mr := range g.all("MeterReading") {
		if err := a.meterReading(mr); err != nil {
			return nil, err
		}
	}
	for _, up := range g.all("UsagePoint") {
		if _, done := a.meters[up]; !done {
			if kind := serviceKind(up.UsagePoint.ServiceKind); kind != "" {
				a.meter(up, kind)
			}
		}
	}
	a.noteIgnored()
	if len(res.Records) == 0 && len(res.Series) == 0 {
		return nil, importer.Errorf(0, "feed", "the feed holds no UsagePoint nor MeterReading: nothing to import")
	}
	return res, nil
}

type adapter struct {
	g        *graph
	res      *importer.Result
	provider string
	meters   map[*Entry]string // UsagePoint entry -> meter record Key
}

func (a *adapter) meterReading(mr *Entry) error {
	rtEntry := a.g.readingTypeOf(mr)
	if rtEntry == nil || rtEntry.ReadingType == nil {
		return importer.Errorf(mr.Line, "MeterReading", "MeterReading %s names no ReadingType found in the file, so its unit is unknown", input.Excerpt(entryKey(mr)))
	}
	rt := rtEntry.ReadingType
	blocks := a.g.blocksOf(mr)
	u, ok := unitOf(rt.UOM)
	if !ok {
		n := countReadings(blocks)
		a.leave(mr, importer.ReasonUnit, n, fmt.Sprintf("MeterReading left out (%d readings): ESPI unit code %d is not one this importer stores", n, rt.UOM), fmt.Sprintf("uom %d", rt.UOM))
		return nil
	}
	up := a.g.usagePointOf(mr)
	kind := kindOf(up, rt)
	if kind == "" {
		n := countReadings(blocks)
		a.leave(mr, importer.ReasonNoMeasure, n, fmt.Sprintf("MeterReading left out (%d readings): neither its UsagePoint nor its ReadingType says electricity, gas or water", n))
		return nil
	}
	meterKey := ""
	if up != nil {
		meterKey = a.meter(up, kind)
	}
	rs, err := readings(blocks, rt, u)
	if err != nil {
		return err
	}
	if u.from != "" {
		a.note("MeterReading %s: values in %s converted to %s", input.Excerpt(entryKey(mr)), u.from, u.unit)
	}
	a.res.Series = append(a.res.Series, importer.Series{
		Key: entryKey(mr), Doctype: "reading." + kind, Name: seriesName(mr, rt, u),
		Quantity: quantityOf(u, rt), Unit: u.unit, MeterKey: meterKey, Readings: rs,
	})
	return nil
}

func kindOf(up *Entry, rt *ReadingType) string {
	if up != nil && up.UsagePoint != nil {
		if k := serviceKind(up.UsagePoint.ServiceKind); k != "" {
			return k
		}
	}
	return commodityKind(rt.Commodity)
}

// meter adds the meter record of a UsagePoint once and returns its Key.
func (a *adapter) meter(up *Entry, kind string) string {
	if k, ok := a.meters[up]; ok {
		return k
	}
	key := entryKey(up)
	a.meters[up] = key
	data := map[string]any{"kind": kind, "identifier": key, "provider": a.provider}
	if up.Title != "" {
		data["label"] = up.Title
	}
	if lt := a.g.localTimeOf(up); lt != nil && lt.LocalTime != nil {
		p := lt.LocalTime
		if p.HasTZOffset {
			data["tzOffset"] = offset(p.TZOffset)
		}
		if p.HasDSTOffset {
			data["dstOffset"] = offset(p.DSTOffset)
		}
		if p.DSTStartRule != "" {
			data["dstStartRule"] = p.DSTStartRule
		}
		if p.DSTEndRule != "" {
			data["dstEndRule"] = p.DSTEndRule
		}
	}
	a.res.Records = append(a.res.Records, importer.Record{Doctype: "meter", Key: key, Data: data})
	return key
}

// readings flattens the blocks into readings at the start of each interval, sorted by time.
func readings(blocks []*Entry, rt *ReadingType, u unit) ([]store.Reading, error) {
	var rs []store.Reading
	for _, e := range blocks {
		for _, b := range e.Blocks {
			next := b.Start
			for _, r := range b.Readings {
				start := r.Start
				if !r.HasTime {
					if rt.IntervalLength <= 0 {
						return nil, importer.Errorf(r.Line, "IntervalReading", "the reading has no timePeriod and the ReadingType no intervalLength: its time is unknown")
					}
					start = next
				}
				if start < -1<<40 || start > 1<<40 {
					return nil, importer.Errorf(r.Line, "IntervalReading/timePeriod/start", "%d is not a plausible Unix time", start)
				}
				next = start + max(r.Duration, rt.IntervalLength)
				rs = append(rs, store.Reading{At: time.Unix(start, 0).UTC(), Value: scale(r.Value, rt.PowerOfTenMultiplier) * u.factor})
			}
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
	return rs, nil
}

// scale applies the power of ten; dividing for negative powers gives the float nearest to
// the decimal value (123 × 10^-3 is 0.123, not 0.12300000000000001).
func scale(v, pow int64) float64 {
	switch {
	case pow > 0:
		return float64(v) * math.Pow10(int(min(pow, 30)))
	case pow < 0:
		return float64(v) / math.Pow10(int(min(-pow, 30)))
	}
	return float64(v)
}

// quantityOf: cumulative readings of energy or volume are a meter index.
func quantityOf(u unit, rt *ReadingType) string {
	if (rt.AccumulationBehaviour == 1 || rt.AccumulationBehaviour == 3) && (u.quantity == "energy" || u.quantity == "volume") {
		return "index"
	}
	return u.quantity
}

func seriesName(mr *Entry, rt *ReadingType, u unit) string {
	if mr.Title != "" {
		return mr.Title
	}
	name := quantityOf(u, rt)
	if rt.FlowDirection == 19 {
		name += " (reverse flow)"
	}
	if rt.IntervalLength > 0 {
		name += fmt.Sprintf(" (%s)", time.Duration(rt.IntervalLength)*time.Second)
	}
	return name
}

// entryKey is a resource's stable identity: its self link, else its Atom id.
func entryKey(e *Entry) string {
	if e.Self != "" {
		return e.Self
	}
	if e.ID != "" {
		return e.ID
	}
	return fmt.Sprintf("entry-at-line-%d", e.Line)
}

// offset writes seconds as "+hh:mm".
func offset(sec int64) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	sec %= 100 * 3600
	return fmt.Sprintf("%s%02d:%02d", sign, sec/3600, sec%3600/60)
}

func countReadings(blocks []*Entry) int {
	n := 0
	for _, e := range blocks {
		for _, b := range e.Blocks {
			n += len(b.Readings)
		}
	}
	return n
}

// noteIgnored says which resources were read but not imported, so the person knows.
func (a *adapter) noteIgnored() {
	used := map[string]bool{"UsagePoint": true, "MeterReading": true, "ReadingType": true, "IntervalBlock": true, "LocalTimeParameters": true, "": true}
	var names []string
	for r := range a.g.byResource {
		if !used[r] {
			names = append(names, r)
		}
	}
	sort.Strings(names)
	for _, r := range names {
		a.note("%d %s entr(ies) not imported: %s", len(a.g.all(r)), r, whyNotImported(r))
	}
	a.noteOrphanBlocks()
}

// notImported tells, for the ESPI resources a feed may hold besides the readings, what each
// is: the note must say what was left out, not guess it was a summary.
var notImported = map[string]string{
	"UsageSummary":                "usage summaries (UsageSummary): they restate the interval readings",
	"ElectricPowerUsageSummary":   "usage summaries (ElectricPowerUsageSummary): they restate the interval readings",
	"ElectricPowerQualitySummary": "power quality summaries (ElectricPowerQualitySummary): voltage and supply interruption statistics of the network, not data about your consumption",
	"ProgramIdMappings":           "time-of-use code tables (ProgramIdMappings): not data about your consumption",
	"ApplicationInformation":      "the registration of the application that exchanges the data (ApplicationInformation): not data about your consumption",
	"Authorization":               "the authorization to share the data (Authorization): not data about your consumption",
	"ServiceSupplier":             "the supplier's description (ServiceSupplier): not data about your consumption",
	"Customer":                    "the customer record (Customer): this importer reads consumption only",
	"CustomerAccount":             "the customer account (CustomerAccount): this importer reads consumption only",
	"CustomerAgreement":           "the contract (CustomerAgreement): this importer reads consumption only",
	"ServiceLocation":             "the service address (ServiceLocation): this importer reads consumption only",
	"Meter":                       "the meter's description (Meter): this importer reads consumption only",
	"EndDevice":                   "the device's description (EndDevice): this importer reads consumption only",
	"BatchList":                   "a list of links to other resources (BatchList): it holds no data itself",
	"ServiceStatus":               "the data custodian's service status (ServiceStatus): not data about your consumption",
	"RetailCustomer":              "the retail customer's account on the data custodian (RetailCustomer): this importer reads consumption only",
	"Subscription":                "the data subscription (Subscription): not data about your consumption",
}

// whyNotImported is what the resource is, or that this importer does not read it.
func whyNotImported(resource string) string {
	if why, ok := notImported[resource]; ok {
		return why
	}
	return "a section this importer does not read"
}

func (a *adapter) noteOrphanBlocks() {
	claimed := map[*Entry]bool{}
	for _, mr := range a.g.all("MeterReading") {
		for _, b := range a.g.blocksOf(mr) {
			claimed[b] = true
		}
	}
	for _, b := range a.g.all("IntervalBlock") {
		if !claimed[b] {
			n := countReadings([]*Entry{b})
			a.leave(b, importer.ReasonNoMeasure, n, fmt.Sprintf("IntervalBlock left out (%d readings): it belongs to no MeterReading of the file, so nothing says what it measures", n))
		}
	}
}

// leave lists an entry left out whole, its readings counted in Skipped (as a table left out
// counts its values): by its line and its link, with the reason and its parameters.
func (a *adapter) leave(e *Entry, why importer.Reason, readings int, text string, params ...string) {
	a.res.Skipped += readings
	a.res.Leave(importer.LeftOut{Line: e.Line, Element: entryKey(e), Kind: e.Resource, Reason: why, Params: params, Text: text})
}

func (a *adapter) note(format string, args ...any) {
	a.res.Notes = append(a.res.Notes, fmt.Sprintf(format, args...))
}

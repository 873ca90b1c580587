// Package greenbutton imports Green Button files: the NAESB ESPI (REQ.21) Atom feeds that
// North American utilities give their customers ("Download My Data") for electricity, gas and
// water. It is the one open standard for meter data that utilities already publish, so it
// also serves any utility elsewhere that adopted it.
//
// # Shape of a feed
//
// An ESPI feed is a flat list of Atom entries, each holding one resource in its <content>:
// UsagePoint (the metering point; ServiceCategory kind 0 electricity, 1 gas, 2 water),
// MeterReading (one stream of readings), ReadingType (its unit, power-of-ten multiplier,
// interval, commodity, accumulation, flow direction), IntervalBlock (the readings: a start in
// Unix seconds, a duration, a value) and LocalTimeParameters (the local time zone). Entries
// point at each other through their Atom links: a MeterReading's "up" link is one of its
// UsagePoint's "related" links, its own "related" links name its IntervalBlock collection and
// its ReadingType, and so on. Parse keeps each entry with its links; Adapt follows them (and,
// when a feed leaves a link out, falls back on the URL hierarchy or on the only candidate).
//
// # What a feed yields
//
//   - one meter record per UsagePoint: Key = the UsagePoint's self link (else its Atom id),
//     identifier = the same, kind from ServiceCategory (else from the ReadingType commodity),
//     provider = the feed's author when it names one, else "Green Button", label = the entry's
//     title; the LocalTimeParameters are kept as tzOffset ("-08:00", the standard offset),
//     dstOffset ("+01:00") and the raw dstStartRule / dstEndRule;
//   - one series per MeterReading: Key = the MeterReading's self link (else its Atom id),
//     doctype reading.electricity, reading.gas or reading.water, MeterKey = the Key of its
//     UsagePoint's meter record (the only field holding another record's key). Each reading is
//     at the START of its interval (Unix seconds, hence UTC) and its value is
//     value × 10^powerOfTenMultiplier in the ReadingType's unit.
//
// Units follow the ESPI UnitSymbolKind codes: 72 Wh (energy), 38 W (power), 42 m3 and
// 134 L (volume), 23 degC (temperature) are kept as they are; 169 therm and 132 BTU become
// Wh, 119 ft3 becomes m3 and 128/130 gallons become L, by their exact definitions, with a
// note. Cumulative readings (accumulationBehaviour 1 bulkQuantity or 3 cumulative) are an
// index. A MeterReading in any other unit (VA, VAr, V, A...), or of which nothing says what
// it measures, and an IntervalBlock of no MeterReading are left out, each listed in
// Result.LeftOut by its line and link, their readings counted in Result.Skipped. Every other
// resource is left out with one note per kind that says what it is (notImported in
// adapter.go): usage summaries restate the interval readings, power quality summaries are
// network statistics, ProgramIdMappings are time-of-use code tables, and customer,
// authorization and application resources are not consumption.
package greenbutton

// Package water imports the daily meter readings a water utility publishes as CSV. No public
// standard exists for them in France, so selfdata defines one (docs/formats/water.md) in the
// shape a city's water department such as Eau du Grand Lyon can export from its remote-reading
// system without programming: French CSV (';', decimal comma), one line per meter and day.
//
// A file yields one meter record per serial (doctype meter, kind water, Key = the serial) and,
// per meter, up to three reading.water series whose MeterKey is that record's Key: the index
// ("water:SERIAL:index", m3), the day's volume ("water:SERIAL:daily-volume", L) and the
// meter's temperature ("water:SERIAL:temperature", degC; frost alerts are its use). Every
// reading is labelled by its day: At is local midnight (Europe/Paris) in UTC, even for the
// index, which the utility reads at the end of that day; labelling by day keeps the three
// series aligned for the store's day aggregation.
//
// The index is the meter's own count and the daily volume a separate figure from the
// utility: when they disagree by more than a litre the file is still imported, with a note,
// because the person should see what the utility sent, not a corrected copy. Numbers are
// parsed as fixed point (litres, millilitres) so that this comparison is exact.
package water

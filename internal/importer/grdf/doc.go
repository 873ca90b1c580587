// Package grdf imports the gas readings that GRDF, the French gas distribution operator,
// gives about a PCE (point de comptage et d'estimation, the gas meter's number). Two shapes
// carry the same facts and each has its own Format:
//
//   - FormatADICT: the ADICT API's NDJSON (donnees_consos_publiees / donnees_consos_informatives),
//     one JSON object per line, as a third party authorised by the person receives it.
//   - FormatPortal: the JSON of the customer portal (monespace.grdf.fr), an object keyed by PCE
//     whose "releves" are daily "Informative Journalier" readings or "Publiée" periods.
//
// # Time
//
// Gas is counted by gas day (journée gazière): day D runs from D 06:00 to D+1 06:00 in
// Europe/Paris. Every reading's At is the start of its gas day (or of its published period) in
// UTC. The portal writes its instants as "2019-11-30T06:00:00+00:00" all year round, which is
// local 06:00 with a wrong offset, so only the date part of its instants is trusted; ADICT's
// dates are read the same way for consistency (its offsets agree).
//
// # What a file yields
//
//   - one meter record per PCE (Key = the PCE number, kind gas, provider "GRDF",
//     timeZone "Europe/Paris");
//   - per PCE, series of doctype reading.gas whose MeterKey is that meter record's Key:
//     energy (kWh), raw volume (m3) and the conversion coefficient (kWh/m3) for daily
//     readings ("grdf:PCE:daily-*") and, kept apart because a reading there stands for a
//     period of several days, for published periods ("grdf:PCE:published-*"); and the meter
//     index (m3, "grdf:PCE:index") at the instants it was read.
//
// The coefficient is a series rather than a field of the meter record because GRDF sets it
// per period (it follows the gas's heating value); as a series it stays next to the energy
// it explains, at the same instant. A published period's end is not kept in its series (a
// reading is one instant); it is the start of the next period, and the end index is in the
// index series at that instant. No doctype holds a period as such.
//
// Null values (a day GRDF marks "Absence de Données") are left out and counted in
// Result.Skipped. When a PCE has the same gas day (or period start) twice, the last one
// wins and a note says so: GRDF re-publishes rectified periods.
package grdf

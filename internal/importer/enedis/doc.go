// Package enedis imports the electricity measures of Enedis, the French distribution
// operator, about a PRM (point référence mesure, the 14-digit number of a Linky meter). The
// same measures reach a person through three channels, each with its own Format:
//
//   - FormatHDM: the CSV of the SGE portal's "historique de mesures" (HDM) export, ';'-separated
//     with a UTF-8 BOM. A file is a sequence of blocks, each with a two-line header (column
//     names, then the PRM, data type, dates, quantity, unit and step) followed by its table:
//     "Horodate;Valeur" for a load curve or a daily maximum power, "Horodate;Type de releve;
//     EAS F1..F10;EAS D1..D4;EAS T" for daily indexes. A "Periode" table describing the
//     supplier and distributor calendars may sit between blocks; it becomes notes.
//   - FormatDataConnect: the JSON of the Data Connect API (daily_consumption,
//     consumption_load_curve, daily_consumption_max_power...), {"meter_reading": {...}}, whose
//     dates are local times of Europe/Paris without an offset.
//   - FormatSOAP: the SGE B2B web service's consulterMesuresDetaillees v2.0 response.
//
// # Time
//
// Enedis stamps a load curve value (an average power over a step of 10 to 60 minutes) at the
// END of its step. Every reading here is at the START of what it measures, in UTC (the
// store's convention): a load curve value at its stamp minus its step. Some files are
// stamped at the start instead (10-minute C4 exports and SOAP answers running from 00:00 of
// their first day to 23:50 of their last): a curve whose first stamp is a local midnight and
// whose last stamp plus its step is the next local midnight keeps its stamps as starts, with
// a note (see stampsAreStarts); every other curve is read with end stamps. The step is the one the data states (the HDM
// header's "Pas en minutes", the JSON's interval_length or measuring_period, the SOAP's <p>);
// when an HDM header leaves it empty it is derived from the stamps around each row, which
// copes with missing rows and with the step changing inside a file (see derivedStep).
// HDM and SOAP stamps carry their offset, so the hour repeated in autumn stays two instants;
// Data Connect's local times are read in Europe/Paris, the repeated hour being taken the
// second time when the first would not follow the previous reading. A daily value (energy
// of a day) is at local midnight of its day; an index, and a daily maximum power, at the
// instant Enedis gives.
//
// # What a file yields
//
//   - one meter record per PRM: Key = the PRM, kind electricity, identifier = the PRM,
//     provider "Enedis", timeZone "Europe/Paris";
//   - series of doctype reading.electricity whose MeterKey is that Key (the only field that
//     holds another record's key), with keys shared by the three channels so that the same
//     measures imported twice, by two channels, land in the same series:
//     "enedis:PRM:consumption:load-curve" (power, W), "enedis:PRM:consumption:daily-energy"
//     (energy, Wh), "enedis:PRM:consumption:daily-max-power" (power, W) — "production" in
//     place of "consumption" for injected energy — and "enedis:PRM:index:eas-f1" ... (index,
//     Wh), one per non-empty index column.
//
// Empty values are left out and counted in Result.Skipped (for an index table, a row with
// no value at all). Data Connect's JSON does not say whether it holds consumption or
// production (only the endpoint called does); it is read as consumption and a note says so.
// Apparent power (VA, as in daily maximum powers) is stored as W with a note: the doctypes
// have no VA unit. Quantities in other units (reactive power, voltage) are left out, each
// HDM table or SOAP grandeur listed in Result.LeftOut by its line and unit;
// an HDM block whose unit cell is empty gets the unit its measure implies (an active power
// load curve is in W), with a note. A file from which nothing can be stored is refused with
// the reason, never as a file without a PRM when it names one.
package enedis

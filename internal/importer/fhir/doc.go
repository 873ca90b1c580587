// Package fhir imports the health data CMS Blue Button 2.0 serves as FHIR R4 JSON: a single
// Patient, Coverage or ExplanationOfBenefit resource, or a Bundle (searchset) of them, as a
// Medicare beneficiary downloads it or an application fetches it on their behalf.
//
// Why a package of its own: FHIR is the one standard health insurers in the US (and more and
// more elsewhere) must serve to the insured person, so restoring it is restoring the
// person's health claims. The parser (parse.go) reads FHIR into a few Go types holding only
// the elements the doctypes need — health data is a GDPR special category, so extensions,
// race, gender and the like are never even decoded. The adapter (adapter.go) maps:
//
//   - Patient → profile, Key "Patient/<id>";
//   - Coverage → insurance.contract (kind "health"), Key "Coverage/<id>";
//   - ExplanationOfBenefit → health.claim, Key "ExplanationOfBenefit/<id>", and, when the
//     insurer paid something, health.reimbursement, Key "ExplanationOfBenefit/<id>/payment".
//
// Fields that hold the Key of another record: health.claim.patient (the profile),
// health.claim.coverage (the insurance.contract), health.reimbursement.claim (the
// health.claim), insurance.contract.beneficiary (the profile). They are FHIR references
// ("Patient/-20140000008325") normalised to "Type/id", which is exactly the referenced
// record's Key, so they resolve whether or not both resources come in the same file.
//
// A claim is dated by billablePeriod.start, else the earliest item.servicedDate (or
// item.servicedPeriod.start: a Part D prescription has only that), else created. Its
// amount is the "submitted" total (or the lines' "submitted" adjudications), else the drug
// cost ("drugcost", a prescription), else its one uncategorised total, else the sum of its
// lines' net (unit price × quantity); the report says how many claims took each fallback.
// A claim that still cannot be mapped is left out whole — claim and payment — and named in
// Result.LeftOut by its line, entry and reason, while the rest of the file imports; a file of which
// nothing imports is refused with that reason.
//
// Amounts are read from the literal JSON number text and normalised with importer.Decimal,
// never through a float. Large Bundles are decoded one entry at a time.
package fhir

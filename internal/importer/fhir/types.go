package fhir

import "encoding/json"

// The FHIR R4 data types below hold only the elements the adapter maps; the decoder ignores
// the rest (extensions, meta, narrative), which is also what keeps health data to the minimum.

// Coding is a code from a code system, with its human-readable display.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

// CodeableConcept is a concept given by one or more codings and/or a text.
type CodeableConcept struct {
	Coding []Coding `json:"coding"`
	Text   string   `json:"text"`
}

// Identifier is a business identifier (claim number, NPI, subscriber id).
type Identifier struct {
	System string           `json:"system"`
	Value  string           `json:"value"`
	Type   *CodeableConcept `json:"type"`
}

// Reference points at another resource by URL, by business identifier, or only names it.
type Reference struct {
	Reference  string      `json:"reference"`
	Display    string      `json:"display"`
	Identifier *Identifier `json:"identifier"`
}

// Period is a start and end date or dateTime, either of which may be absent.
type Period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Money keeps the amount as the literal JSON number text, so that no float ever rounds it.
type Money struct {
	Value    json.Number `json:"value"`
	Currency string      `json:"currency"`
}

// HumanName is one name of a person.
type HumanName struct {
	Use    string   `json:"use"`
	Text   string   `json:"text"`
	Family string   `json:"family"`
	Given  []string `json:"given"`
}

// Address is a postal address.
type Address struct {
	Use        string   `json:"use"`
	Line       []string `json:"line"`
	City       string   `json:"city"`
	State      string   `json:"state"`
	PostalCode string   `json:"postalCode"`
	Country    string   `json:"country"`
}

// ContactPoint is a phone number, email address, etc.
type ContactPoint struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Use    string `json:"use"`
}

// Source locates a resource in the file, for the adapter's error messages.
type Source struct {
	Line int    `json:"-"`
	Path string `json:"-"`
}

// Patient is the beneficiary.
type Patient struct {
	Source
	ID        string         `json:"id"`
	Name      []HumanName    `json:"name"`
	Telecom   []ContactPoint `json:"telecom"`
	BirthDate string         `json:"birthDate"`
	Address   []Address      `json:"address"`
}

// Coverage is one insurance plan (for Medicare: Part A, B, C or D).
type Coverage struct {
	Source
	ID           string           `json:"id"`
	Status       string           `json:"status"`
	Type         *CodeableConcept `json:"type"`
	SubscriberID string           `json:"subscriberId"`
	Beneficiary  Reference        `json:"beneficiary"`
	Period       *Period          `json:"period"`
	Payor        []Reference      `json:"payor"`
	Class        []CoverageClass  `json:"class"`
}

// CoverageClass classifies a coverage: group, plan, subplan...
type CoverageClass struct {
	Type  CodeableConcept `json:"type"`
	Value string          `json:"value"`
	Name  string          `json:"name"`
}

// ExplanationOfBenefit is one adjudicated claim.
type ExplanationOfBenefit struct {
	Source
	ID             string          `json:"id"`
	Status         string          `json:"status"`
	Type           CodeableConcept `json:"type"`
	Identifier     []Identifier    `json:"identifier"`
	Patient        Reference       `json:"patient"`
	BillablePeriod *Period         `json:"billablePeriod"`
	Created        string          `json:"created"`
	Insurer        *Reference      `json:"insurer"`
	Provider       *Reference      `json:"provider"`
	CareTeam       []CareTeam      `json:"careTeam"`
	Diagnosis      []Diagnosis     `json:"diagnosis"`
	Insurance      []EOBInsurance  `json:"insurance"`
	Item           []Item          `json:"item"`
	Total          []Total         `json:"total"`
	Payment        *Payment        `json:"payment"`
}

// CareTeam is a provider who took part in the care.
type CareTeam struct {
	Provider    Reference       `json:"provider"`
	Responsible bool            `json:"responsible"`
	Role        CodeableConcept `json:"role"`
}

// Diagnosis is a coded diagnosis (ICD-10 for Medicare).
type Diagnosis struct {
	Diagnosis CodeableConcept `json:"diagnosisCodeableConcept"`
}

// EOBInsurance names the coverage the claim was adjudicated under.
type EOBInsurance struct {
	Coverage Reference `json:"coverage"`
}

// Item is a claim line: when its care was given and its amounts. A Part D prescription
// claim is dated only by its line's servicedDate (the day the drug was filled).
type Item struct {
	ServicedDate   string         `json:"servicedDate"`
	ServicedPeriod *Period        `json:"servicedPeriod"`
	Quantity       *Quantity      `json:"quantity"`
	UnitPrice      *Money         `json:"unitPrice"`
	Net            *Money         `json:"net"`
	Adjudication   []Adjudication `json:"adjudication"`
}

// Quantity is a number of units (of a line's product or service).
type Quantity struct {
	Value json.Number `json:"value"`
}

// Adjudication is one amount of a claim line (submitted, eligible, paid...).
type Adjudication struct {
	Category CodeableConcept `json:"category"`
	Amount   *Money          `json:"amount"`
}

// Total is one claim-level amount.
type Total struct {
	Category CodeableConcept `json:"category"`
	Amount   *Money          `json:"amount"`
}

// Payment is what the insurer paid.
type Payment struct {
	Amount *Money `json:"amount"`
	Date   string `json:"date"`
}

package web

// formatNameTexts name each format as a person knows the file, for the question "which kind
// of file is this?", where several formats of one family may be offered side by side.
var formatNameTexts = map[string][2]string{
	"format.ofx":                      {"OFX bank statement (“Money / Quicken” download)", "relevé bancaire OFX (téléchargement « Money / Quicken »)"},
	"format.camt.053":                 {"camt.053 XML bank statement", "relevé bancaire XML camt.053"},
	"format.cfonb120":                 {"CFONB 120 bank statement", "relevé de compte CFONB 120"},
	"format.bank-csv":                 {"CSV export of a bank’s website", "export CSV du site d’une banque"},
	"format.greenbutton":              {"Green Button energy data (XML)", "données d’énergie Green Button (XML)"},
	"format.enedis.sge-soap":          {"Enedis measures, SGE web service answer (XML)", "mesures Enedis, réponse du service SGE (XML)"},
	"format.enedis.hdm":               {"Enedis consumption download (CSV)", "téléchargement de consommation Enedis (CSV)"},
	"format.enedis.dataconnect":       {"Enedis Data Connect measures (JSON)", "mesures Enedis Data Connect (JSON)"},
	"format.icalendar":                {"calendar (iCalendar .ics)", "agenda (iCalendar .ics)"},
	"format.vcard":                    {"address book (vCard .vcf)", "carnet d’adresses (vCard .vcf)"},
	"format.fhir.r4":                  {"health insurance claims (FHIR)", "remboursements d’assurance santé (FHIR)"},
	"format.google.location.records":  {"Google location history: every point (Records.json)", "historique de localisation Google : tous les points (Records.json)"},
	"format.google.location.semantic": {"Google location history: places and journeys by month", "historique de localisation Google : lieux et trajets par mois"},
	"format.google.location.timeline": {"Google Maps Timeline exported from a phone", "chronologie Google Maps exportée depuis un téléphone"},
	"format.gpx":                      {"GPS track (GPX)", "trace GPS (GPX)"},
	"format.kml":                      {"map track (KML)", "tracé de carte (KML)"},
	"format.grdf.adict":               {"GRDF gas readings (ADICT)", "relevés de gaz GRDF (ADICT)"},
	"format.grdf.portal":              {"GRDF customer area gas readings (JSON)", "relevés de gaz de l’espace client GRDF (JSON)"},
	"format.water.csv":                {"water meter readings (CSV)", "relevés de compteur d’eau (CSV)"},
}

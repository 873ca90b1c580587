package web

// importAdviceTexts are the words of a refused import (import_advice.go): what happened,
// what to do, and where each organization lets the person download the file again.
var importAdviceTexts = map[string][2]string{ // key: {en, fr}
	"advice.unknown":    {"This file is not one selfdata reads.", "Ce fichier n'est pas de ceux que selfdata sait lire."},
	"advice.zip.none":   {"No file in this archive is one selfdata reads.", "Aucun fichier de cette archive n'est de ceux que selfdata sait lire."},
	"advice.type.pdf":   {"This file is a PDF document. selfdata reads the data files organizations let you download, not documents made to be read or printed, such as bills or statements in PDF.", "Ce fichier est un document PDF. selfdata lit les fichiers de données que les organismes vous laissent télécharger, pas les documents faits pour être lus ou imprimés, comme les factures ou relevés en PDF."},
	"advice.type.image": {"This file is a picture. selfdata reads the data files organizations let you download, not photos or scans.", "Ce fichier est une image. selfdata lit les fichiers de données que les organismes vous laissent télécharger, pas les photos ni les scans."},
	"advice.type.text":  {"This file is a text document. selfdata reads the data files organizations let you download, not documents written with a word processor.", "Ce fichier est un document texte. selfdata lit les fichiers de données que les organismes vous laissent télécharger, pas les documents écrits avec un traitement de texte."},
	"advice.type.sheet": {"This file was saved by a spreadsheet (Excel, LibreOffice, Numbers). selfdata reads the CSV files as organizations provide them: download the file again choosing CSV, and import it without opening it in a spreadsheet.", "Ce fichier a été enregistré par un tableur (Excel, LibreOffice, Numbers). selfdata lit les fichiers CSV tels que les organismes les fournissent : téléchargez à nouveau le fichier en choisissant CSV, et importez-le sans l'ouvrir dans un tableur."},
	"advice.download":   {"Download it again from your space on the organization's site, and import it as it was downloaded:", "Téléchargez-le à nouveau depuis votre espace sur le site de l'organisme, et importez-le tel quel :"},
	"advice.again":      {"Download it again and import it as it was downloaded:", "Téléchargez-le à nouveau et importez-le tel quel :"},
	"advice.empty":      {"This file is empty: its download probably did not finish.", "Ce fichier est vide : son téléchargement ne s'est sans doute pas terminé."},
	"advice.nometer":    {"This file names no meter (the PRM number for electricity, the PCE number for gas, the meter's serial for water), so its readings cannot be filed under one.", "Ce fichier ne nomme aucun compteur (le numéro de PRM pour l'électricité, de PCE pour le gaz, le numéro du compteur pour l'eau) : ses relevés ne peuvent être rangés sous aucun."},
	"advice.nometer.do": {"In your customer area, choose your meter before you download, then import the new file:", "Dans votre espace client, choisissez votre compteur avant de télécharger, puis importez le nouveau fichier :"},
	"advice.damaged":    {"This file could not be opened: it is damaged, or was cut short while it downloaded.", "Ce fichier n'a pas pu être ouvert : il est abîmé, ou a été coupé pendant son téléchargement."},
	"advice.malformed":  {"selfdata recognized the kind of file (%s), but could not read it%s.", "selfdata a reconnu le type de fichier (%s), mais n'a pas pu le lire%s."}, // %s: kind of file, then where (advice.at.*)
	"advice.redownload": {"The file may have been cut short while it downloaded, or changed — opening and saving it again in a spreadsheet, for example, rewrites its dates and numbers. Download it again and import it as it was downloaded:", "Le fichier a pu être coupé pendant son téléchargement, ou modifié — l'ouvrir puis l'enregistrer dans un tableur, par exemple, réécrit ses dates et ses nombres. Téléchargez-le à nouveau et importez-le tel quel :"},
	"advice.at.both":    {" at line %d, field “%s”", " à la ligne %d, champ « %s »"},
	"advice.at.line":    {" at line %d", " à la ligne %d"},
	"advice.at.field":   {", field “%s”", ", champ « %s »"},
	"advice.toolarge":   {"Download a shorter period (a year at a time, say) and import the files one after the other. An archive can be imported in several smaller archives, or file by file.", "Téléchargez une période plus courte (une année à la fois, par exemple) et importez les fichiers l'un après l'autre. Une archive peut être importée en plusieurs archives plus petites, ou fichier par fichier."},
	"import.detail":     {"Technical detail", "Détail technique"},

	// Where each organization lets a person download their file.
	"where.electricity": {"For Enedis (electricity), in your customer area: Mon compte → Mes données → Télécharger (CSV)", "Pour Enedis (électricité), dans votre espace client : Mon compte → Mes données → Télécharger (CSV)"},
	"where.greenbutton": {"For an electricity or gas utility abroad, its “Green Button — Download my data” button", "Pour un fournisseur d'électricité ou de gaz à l'étranger, son bouton « Green Button — Download my data »"},
	"where.gas":         {"For GRDF (gas), in your customer area: Ma consommation → Télécharger mes données", "Pour GRDF (gaz), dans votre espace client : Ma consommation → Télécharger mes données"},
	"where.water":       {"For Eau du Grand Lyon (water), in your customer area: Ma consommation → Exporter (CSV)", "Pour Eau du Grand Lyon (eau), dans votre espace client : Ma consommation → Exporter (CSV)"},
	"where.bank":        {"For your bank, in your account's history: Download or Export, as OFX (Money, Quicken) or camt.053 (XML) — not PDF", "Pour votre banque, dans l'historique de votre compte : Télécharger ou Exporter, au format OFX (Money, Quicken) ou camt.053 (XML) — pas en PDF"},
	"where.health":      {"For your health insurer, in your member area: the export of your data in the FHIR format", "Pour votre assurance santé, dans votre espace adhérent : l'export de vos données au format FHIR"},
	"where.location":    {"For Google, Google Takeout → Location History (Timeline), as JSON; or, in Google Maps on your phone, the export of your Timeline", "Pour Google, Google Takeout → Historique des positions (Vos trajets), en JSON ; ou, dans Google Maps sur votre téléphone, l'export de Vos trajets"},
	"where.calendar":    {"For a calendar, its export as an .ics file (Google Calendar: Settings → Import & export → Export)", "Pour un agenda, son export en fichier .ics (Google Agenda : Paramètres → Importer et exporter → Exporter)"},
	"where.contacts":    {"For an address book, its export as a .vcf file (vCard)", "Pour un carnet d'adresses, son export en fichier .vcf (vCard)"},
}

package web

// exportTexts are the words of the export: the Settings page's section and its line in the
// access log.
var exportTexts = map[string][2]string{ // key: {en, fr}
	"export":          {"Download everything (export)", "Tout télécharger (export)"},
	"export.intro":    {"One zip file with all your data: your documents with where each came from, your readings, your files as they were deposited, your consents and your access log, described in a README. Other tools can read it, and it is what you need to move your data elsewhere. The download starts at once and may take a while for a large store; it appears in your access log.", "Un seul fichier zip avec toutes vos données : vos documents avec leur provenance, vos relevés, vos fichiers tels qu'ils ont été déposés, vos accords et votre journal des accès, décrits dans un fichier README. D'autres outils savent le lire, et c'est ce qu'il vous faut pour emporter vos données ailleurs. Le téléchargement commence aussitôt et peut prendre un moment pour un espace bien rempli ; il figure dans votre journal des accès."},
	"export.download": {"Download everything (export)", "Tout télécharger (export)"},
	"log.export":      {"exported everything", "a tout exporté"},
}

package web

// searchTexts are the words of the search page.
var searchTexts = map[string][2]string{ // key: {en, fr}
	"search.label":       {"Words to look for", "Mots à chercher"},
	"search.hint":        {"Type words you remember: a supplier (EDF), a kind of record (bill), an amount (61.20), a date (30 November), a place. Every word must be found; accents and capitals do not matter.", "Tapez des mots dont vous vous souvenez : un fournisseur (EDF), un type d'enregistrement (facture), un montant (61,20), une date (30 novembre), un lieu. Chaque mot doit être trouvé ; accents et majuscules ne comptent pas."},
	"search.count.one":   {"result for", "résultat pour"},
	"search.count.other": {"results for", "résultats pour"},
	"search.nothing":     {"Nothing found for", "Rien trouvé pour"},
	"search.tips":        {"Check the spelling, or take a word away: every word must be found.", "Vérifiez l'orthographe, ou retirez un mot : chaque mot doit être trouvé."},
	"search.shown":       {"Results %s to %s", "Résultats %s à %s"},
	"search.pages":       {"Pages of results", "Pages de résultats"},
	"search.first":       {"First results", "Premiers résultats"},
	"search.found":       {"Words found", "Mots trouvés"},
}

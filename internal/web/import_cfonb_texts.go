package web

// cfonbTexts are the words of the CFONB 120 bank statements on the import page and in the
// advice for a refused file: what the family is, what kind of file, and where to get it.
var cfonbTexts = map[string][2]string{ // key: {en, fr}
	"fmt.bank.cfonb":   {"Bank: account statements of French banks in the CFONB 120 format (text files of 120-character lines, which Crédit Coopératif and the other French banks let you download)", "Banque : relevés de compte des banques françaises au format CFONB 120 (fichiers texte de lignes de 120 caractères, que le Crédit Coopératif et les autres banques françaises vous laissent télécharger)"},
	"kind.bank.cfonb":  {"CFONB bank statement", "relevé de compte CFONB"},
	"where.bank.cfonb": {"For a French bank (Crédit Coopératif, for example), in your online banking: download your account statements in the CFONB 120 format, as a text file — not PDF", "Pour une banque française (le Crédit Coopératif, par exemple), dans votre banque en ligne : téléchargez vos relevés de compte au format CFONB 120, en fichier texte — pas en PDF"},
}

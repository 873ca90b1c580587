package requests

import "strings"

// wording is one language's text of the requests. The French uses U+202F NARROW NO-BREAK
// SPACE before « : ; ? ! », as French typography does.
type wording struct {
	lang      string
	subject   string // kind's name, article
	kinds     map[string]string
	dear      string
	asks      map[string]string // the request itself, with its article
	details   string
	deadline  string // the due date
	complaint string
	close     string
	dpo       string
	ident     string // with email
	identPost string // without
}

func (w wording) identify(who Identity) string {
	if who.Email != "" {
		return strings.Replace(w.ident, "{email}", who.Email, 1)
	}
	return w.identPost
}

var french = wording{
	lang:    "fr",
	subject: "Demande d'exercice du droit %s (article %d du RGPD)",
	kinds: map[string]string{Access: "d'accès", Rectification: "de rectification", Erasure: "à l'effacement",
		Restriction: "à la limitation du traitement", Portability: "à la portabilité", Objection: "d'opposition"},
	dear: "Madame, Monsieur,",
	asks: map[string]string{
		Access:        "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je vous demande de me confirmer si vous traitez des données personnelles me concernant et, si c'est le cas, de m'en communiquer une copie, avec les finalités du traitement, les catégories de données, leurs destinataires, leur durée de conservation et leur source.",
		Rectification: "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je vous demande de rectifier les données inexactes me concernant que vous détenez, et de compléter celles qui sont incomplètes.",
		Erasure:       "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je vous demande d'effacer toutes les données personnelles me concernant que vous détenez, et d'en informer les destinataires à qui vous les avez communiquées.",
		Restriction:   "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je vous demande de limiter le traitement des données personnelles me concernant\u202f: de les conserver sans les utiliser, le temps que ma demande soit examinée.",
		Portability:   "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je vous demande de me transmettre les données personnelles me concernant que je vous ai fournies, dans un format structuré, couramment utilisé et lisible par machine.",
		Objection:     "En application de l'article %d du règlement (UE) 2016/679 (RGPD), je m'oppose au traitement des données personnelles me concernant, pour des raisons tenant à ma situation particulière, et à leur utilisation à des fins de prospection.",
	},
	details:   "Précisément\u202f:",
	ident:     "Pour m'identifier, vous pouvez m'écrire à l'adresse {email}, qui est celle que je vous ai donnée.",
	identPost: "Pour m'identifier, mes nom et adresse figurent en tête de cette lettre.",
	deadline:  "L'article 12, paragraphe 3, du RGPD vous laisse un mois à compter de la réception de cette demande pour y répondre, soit au plus tard le %s\u202f; ce délai ne peut être prolongé de deux mois que si la complexité ou le nombre des demandes le justifie, et à condition de m'en informer dans le premier mois, en m'en donnant les raisons.",
	complaint: "À défaut de réponse dans ce délai, je me réserve le droit de saisir la Commission nationale de l'informatique et des libertés (CNIL) d'une réclamation.",
	close:     "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
	dpo:       "À l'attention du délégué à la protection des données",
}

var english = wording{
	lang:    "en",
	subject: "Request to exercise the right %s (Article %d GDPR)",
	kinds: map[string]string{Access: "of access", Rectification: "to rectification", Erasure: "to erasure",
		Restriction: "to restriction of processing", Portability: "to data portability", Objection: "to object"},
	dear: "Dear Sir or Madam,",
	asks: map[string]string{
		Access:        "Under Article %d of Regulation (EU) 2016/679 (GDPR), I ask you to confirm whether you process personal data concerning me and, if so, to send me a copy of it, with the purposes of the processing, the categories of data, their recipients, how long they are kept and where they came from.",
		Rectification: "Under Article %d of Regulation (EU) 2016/679 (GDPR), I ask you to correct the inaccurate personal data concerning me that you hold, and to complete what is incomplete.",
		Erasure:       "Under Article %d of Regulation (EU) 2016/679 (GDPR), I ask you to erase all the personal data concerning me that you hold, and to tell the recipients you disclosed it to.",
		Restriction:   "Under Article %d of Regulation (EU) 2016/679 (GDPR), I ask you to restrict the processing of the personal data concerning me: to keep it without using it while my request is examined.",
		Portability:   "Under Article %d of Regulation (EU) 2016/679 (GDPR), I ask you to send me the personal data concerning me that I provided to you, in a structured, commonly used and machine-readable format.",
		Objection:     "Under Article %d of Regulation (EU) 2016/679 (GDPR), I object to the processing of the personal data concerning me, on grounds relating to my particular situation, and to its use for direct marketing.",
	},
	details:   "Specifically:",
	ident:     "To identify me, you can write to me at {email}, the address I gave you.",
	identPost: "To identify me, my name and address are at the top of this letter.",
	deadline:  "Article 12(3) GDPR gives you one month from receiving this request to answer it, that is by %s at the latest; this may be extended by two further months only where the complexity or number of requests makes it necessary, and only if you tell me so within the first month, with the reasons.",
	complaint: "If I have no answer by then, I may lodge a complaint with the data protection supervisory authority.",
	close:     "Yours faithfully,",
	dpo:       "For the attention of the Data Protection Officer",
}

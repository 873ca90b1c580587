package demo

import "selfdata/internal/store"

// Organizations are the demo's data holders with the processing records they declare, so
// that the demo's home page shows, next to the data, why each one holds it. The
// declarations are plausible summaries written for the demo, not the organizations' own;
// each text is in English and French, as an operator registers them.
func Organizations() []store.Organization {
	return []store.Organization{
		org("enedis", "Enedis", "https://www.enedis.fr", "legal_obligation",
			texts{"Operating the electricity network; Metering and sending readings to your supplier", "Exploiter le réseau électrique ; Relever les compteurs et transmettre les index à votre fournisseur"},
			texts{"3 years for load curves, 5 years for indexes", "3 ans pour les courbes de charge, 5 ans pour les index"},
			texts{"Your electricity supplier", "Votre fournisseur d'électricité"}, "meter", "reading.electricity"),
		org("grdf", "GRDF", "https://www.grdf.fr", "legal_obligation",
			texts{"Operating the gas network; Metering and sending readings to your supplier", "Exploiter le réseau de gaz ; Relever les compteurs et transmettre les index à votre fournisseur"},
			texts{"3 years", "3 ans"},
			texts{"Your gas supplier", "Votre fournisseur de gaz"}, "meter", "reading.gas"),
		org("eau-du-grand-lyon", "Eau du Grand Lyon", "https://www.eaudugrandlyon.com", "public_task",
			texts{"Water supply; Billing; Leak detection", "Distribution de l'eau ; Facturation ; Détection des fuites"},
			texts{"5 years after the end of the subscription", "5 ans après la fin de l'abonnement"},
			texts{"Métropole de Lyon", "Métropole de Lyon"}, "meter", "reading.water", "contract", "bill", "file"),
		org("edf", "EDF", "https://www.edf.fr", "contract",
			texts{"Supplying electricity and gas; Billing", "Fournir l'électricité et le gaz ; Facturation"},
			texts{"5 years after the end of the contract", "5 ans après la fin du contrat"},
			texts{"Payment providers; Debt collection if unpaid", "Prestataires de paiement ; Recouvrement en cas d'impayé"}, "contract", "bill", "file"),
		org("orange", "Orange", "https://www.orange.fr", "contract",
			texts{"Telephone and internet service; Billing; Keeping traffic data as the law requires", "Service de téléphone et d'internet ; Facturation ; Conservation des données de trafic imposée par la loi"},
			texts{"1 year for traffic data, 5 years for bills", "1 an pour les données de trafic, 5 ans pour les factures"},
			texts{"Judicial authorities on request", "Autorités judiciaires, sur réquisition"}, "contract", "bill", "file", "telecom.record"),
		org("maif", "MAIF", "https://www.maif.fr", "contract",
			texts{"Home and car insurance; Handling claims", "Assurance habitation et auto ; Gestion des sinistres"},
			texts{"10 years after the end of the contract", "10 ans après la fin du contrat"},
			texts{"Experts and repairers handling a claim", "Experts et réparateurs chargés d'un sinistre"}, "insurance.contract", "insurance.claim", "bill", "file"),
		org("bank-a", "La Banque Postale", "https://www.labanquepostale.fr", "contract",
			texts{"Keeping your account; Payments; Fighting fraud and money laundering", "Tenue de votre compte ; Paiements ; Lutte contre la fraude et le blanchiment"},
			texts{"10 years after the account is closed", "10 ans après la clôture du compte"},
			texts{"Payment networks; Tax authorities as the law requires", "Réseaux de paiement ; Administration fiscale, comme la loi l'impose"}, "contract", "bank.account", "bank.operation"),
		org("bank-b", "Crédit Mutuel", "https://www.creditmutuel.fr", "contract",
			texts{"Keeping your savings account; Regulatory reporting", "Tenue de votre compte d'épargne ; Déclarations réglementaires"},
			texts{"10 years after the account is closed", "10 ans après la clôture du compte"},
			texts{"Tax authorities as the law requires", "Administration fiscale, comme la loi l'impose"}, "bank.account", "bank.operation"),
		org("grand-lyon-habitat", "Grand Lyon Habitat", "https://www.grandlyonhabitat.fr", "contract",
			texts{"Managing your lease; Rent collection", "Gestion de votre bail ; Encaissement des loyers"},
			texts{"5 years after the end of the lease", "5 ans après la fin du bail"},
			texts{"Housing benefit offices", "Caisse d'allocations familiales (aides au logement)"}, "contract", "bill", "file"),
		org("cpam", "Assurance Maladie", "https://www.ameli.fr", "legal_obligation",
			texts{"Reimbursing care; Fighting fraud", "Rembourser les soins ; Lutter contre la fraude"},
			texts{"2 years after the reimbursement, more for disputes", "2 ans après le remboursement, davantage en cas de litige"},
			texts{"Your complementary health insurer", "Votre complémentaire santé"}, "health.claim", "health.reimbursement"),
		org("harmonie-mutuelle", "Harmonie Mutuelle", "https://www.harmonie-mutuelle.fr", "contract",
			texts{"Complementary health insurance; Reimbursing what the Assurance Maladie does not", "Complémentaire santé ; Rembourser ce que l'Assurance Maladie ne prend pas en charge"},
			texts{"5 years after the end of the contract", "5 ans après la fin du contrat"},
			texts{"Health professionals paid directly (third-party payment)", "Professionnels de santé payés directement (tiers payant)"}, "health.reimbursement"),
	}
}

// texts is one declared text in English then French; lists are separated by ';'.
type texts [2]string

func org(id, name, site, basis string, purposes, retention, recipients texts, doctypes ...string) store.Organization {
	return store.Organization{ID: id, Name: name, Website: site, Contact: "contact@" + id + ".example", DPO: "dpo@" + id + ".example",
		Declaration: store.Declaration{LegalBasis: basis, Doctypes: doctypes,
			Purposes: split(purposes[0]), PurposesFR: split(purposes[1]),
			Retention: retention[0], RetentionFR: retention[1],
			Recipients: split(recipients[0]), RecipientsFR: split(recipients[1])}}
}

func split(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ';' {
			part := s[start:i]
			for len(part) > 0 && part[0] == ' ' {
				part = part[1:]
			}
			for len(part) > 0 && part[len(part)-1] == ' ' {
				part = part[:len(part)-1]
			}
			if part != "" {
				out = append(out, part)
			}
			start = i + 1
		}
	}
	return out
}

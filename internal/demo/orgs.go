package demo

import "selfdata/internal/store"

// Organizations are the demo's data holders with the processing records they declare, so
// that the demo's home page shows, next to the data, why each one holds it. The
// declarations are plausible summaries written for the demo, not the organizations' own.
func Organizations() []store.Organization {
	org := func(id, name, site, purposes, basis, retention, recipients string, doctypes ...string) store.Organization {
		return store.Organization{ID: id, Name: name, Website: site, Contact: "contact@" + id + ".example", DPO: "dpo@" + id + ".example",
			Declaration: store.Declaration{Purposes: split(purposes), LegalBasis: basis, Doctypes: doctypes, Retention: retention, Recipients: split(recipients)}}
	}
	return []store.Organization{
		org("enedis", "Enedis", "https://www.enedis.fr", "Operating the electricity network; Metering and sending readings to your supplier", "legal_obligation", "3 years for load curves, 5 years for indexes", "Your electricity supplier", "meter", "reading.electricity"),
		org("grdf", "GRDF", "https://www.grdf.fr", "Operating the gas network; Metering and sending readings to your supplier", "legal_obligation", "3 years", "Your gas supplier", "meter", "reading.gas"),
		org("eau-du-grand-lyon", "Eau du Grand Lyon", "https://www.eaudugrandlyon.com", "Water supply; Billing; Leak detection", "public_task", "5 years after the end of the subscription", "Métropole de Lyon", "meter", "reading.water", "contract", "bill", "file"),
		org("edf", "EDF", "https://www.edf.fr", "Supplying electricity and gas; Billing", "contract", "5 years after the end of the contract", "Payment providers; Debt collection if unpaid", "contract", "bill", "file"),
		org("orange", "Orange", "https://www.orange.fr", "Telephone and internet service; Billing; Keeping traffic data as the law requires", "contract", "1 year for traffic data, 5 years for bills", "Judicial authorities on request", "contract", "bill", "file", "telecom.record"),
		org("maif", "MAIF", "https://www.maif.fr", "Home and car insurance; Handling claims", "contract", "10 years after the end of the contract", "Experts and repairers handling a claim", "insurance.contract", "insurance.claim", "bill", "file"),
		org("bank-a", "La Banque Postale", "https://www.labanquepostale.fr", "Keeping your account; Payments; Fighting fraud and money laundering", "contract", "10 years after the account is closed", "Payment networks; Tax authorities as the law requires", "contract", "bank.account", "bank.operation"),
		org("bank-b", "Crédit Mutuel", "https://www.creditmutuel.fr", "Keeping your savings account; Regulatory reporting", "contract", "10 years after the account is closed", "Tax authorities as the law requires", "bank.account", "bank.operation"),
		org("grand-lyon-habitat", "Grand Lyon Habitat", "https://www.grandlyonhabitat.fr", "Managing your lease; Rent collection", "contract", "5 years after the end of the lease", "Housing benefit offices", "contract", "bill", "file"),
		org("cpam", "Assurance Maladie", "https://www.ameli.fr", "Reimbursing care; Fighting fraud", "legal_obligation", "2 years after the reimbursement, more for disputes", "Your complementary health insurer", "health.claim", "health.reimbursement"),
	}
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
			if part != "" {
				out = append(out, part)
			}
			start = i + 1
		}
	}
	return out
}

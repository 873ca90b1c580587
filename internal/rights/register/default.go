package register

// Default is the register a selfdata server starts with when the operator gives none: what
// every selfdata operator processes, to be completed with the operator's own name and contact
// (serve --register with a file of their own). Its texts avoid « : ; ? ! » in French so that
// none needs the narrow no-break space a person's reader might not render.
func Default() Register {
	return Register{
		Controller:   "The operator of this selfdata server",
		ControllerFR: "L'opérateur de ce serveur selfdata",
		Contact:      "See the server's home page",
		ContactFR:    "Voir la page d'accueil du serveur",
		Updated:      "2026-12-03",
		Activities:   []Activity{storeActivity(), accountActivity(), servicesActivity(), logActivity()},
	}
}

func storeActivity() Activity {
	return Activity{
		ID:   "personal-store",
		Name: Text{"Keeping each person's personal data store", "Tenue de l'espace de données personnelles de chaque personne"},
		Purposes: []Text{
			{"Keep the data the person deposits, imports or has organizations restore to them, and show it to them", "Conserver les données que la personne dépose, importe ou se fait restituer par des organismes, et les lui montrer"},
			{"Let the person share it with the services they choose, under their consent, and take it away or erase it", "Permettre à la personne de les partager avec les services de son choix, sous son consentement, de les emporter ou de les effacer"},
		},
		LegalBasis: "contract",
		People:     []Text{{"People who hold a store on this server", "Les personnes qui ont un espace sur ce serveur"}, {"People named in their data (contacts, relatives)", "Les personnes citées dans leurs données (contacts, proches)"}},
		Data: []Text{
			{"Identity and contact details", "Identité et coordonnées"},
			{"Energy and water readings, bills and contracts", "Relevés d'énergie et d'eau, factures et contrats"},
			{"Bank accounts and operations", "Comptes et opérations bancaires"},
			{"Health reimbursements (special category, Art. 9, on the person's explicit choice)", "Remboursements de santé (catégorie particulière, art. 9, sur le choix explicite de la personne)"},
			{"Places, journeys, calendar and telecom records, files", "Lieux, trajets, agenda, relevés télécoms, fichiers"},
		},
		Recipients: []Text{
			{"The person only; the services and relatives they grant access to, for what they granted", "La personne seule, et les services et proches à qui elle donne accès, pour ce qu'elle a accordé"},
			{"The operator's hosting provider, as processor, without access to the content", "L'hébergeur de l'opérateur, en sous-traitant, sans accès au contenu"},
		},
		Transfers: Text{"None outside the European Union, unless the operator says otherwise here", "Aucun hors de l'Union européenne, sauf indication contraire de l'opérateur ici"},
		Retention: Text{"As long as the person keeps their store; erased when they erase it or close their account", "Aussi longtemps que la personne garde son espace, effacées quand elle l'efface ou ferme son compte"},
		Security: []Text{
			{"Every access goes through one gate that checks it and writes it to the person's access log, chained so that no entry can be changed unseen", "Chaque accès passe par une seule porte qui le contrôle et l'inscrit au journal des accès de la personne, chaîné pour qu'aucune entrée ne puisse être modifiée sans que cela se voie"},
			{"Passphrases hashed with Argon2id, sessions and tokens stored as hashes", "Phrases de passe hachées avec Argon2id, sessions et jetons conservés sous forme d'empreintes"},
			{"Encryption in transit (TLS) and, where configured, at rest", "Chiffrement en transit (TLS) et, s'il est configuré, au repos"},
		},
	}
}

func accountActivity() Activity {
	return Activity{
		ID:         "accounts",
		Name:       Text{"Accounts, sign-in and alert emails", "Comptes, connexion et courriels d'alerte"},
		Purposes:   []Text{{"Let the person sign in, protect their account from guessing, and email them the alerts they asked for", "Permettre à la personne de se connecter, protéger son compte contre les essais, et lui envoyer les alertes qu'elle a demandées"}},
		LegalBasis: "contract",
		People:     []Text{{"People who hold a store on this server", "Les personnes qui ont un espace sur ce serveur"}},
		Data:       []Text{{"Account name, passphrase hash, email address, sign-in attempts and their network address", "Nom du compte, empreinte de la phrase de passe, adresse électronique, tentatives de connexion et leur adresse réseau"}},
		Recipients: []Text{{"The operator's email relay, as processor, for the emails only", "Le relais de courriel de l'opérateur, en sous-traitant, pour les seuls courriels"}},
		Transfers:  Text{"None outside the European Union, unless the operator says otherwise here", "Aucun hors de l'Union européenne, sauf indication contraire de l'opérateur ici"},
		Retention:  Text{"Sessions until they expire or the person signs out; sign-in attempts a few hours; the account as long as the store", "Les sessions jusqu'à leur expiration ou la déconnexion, les tentatives de connexion quelques heures, le compte aussi longtemps que l'espace"},
		Security:   []Text{{"Limits on sign-in attempts per account and per address", "Limites des tentatives de connexion par compte et par adresse"}, {"Secure, HTTP-only session cookies", "Cookies de session sécurisés, inaccessibles aux scripts"}},
	}
}

func servicesActivity() Activity {
	return Activity{
		ID:   "connections-and-consents",
		Name: Text{"Connections to organizations and consents to services", "Connexions aux organismes et consentements aux services"},
		Purposes: []Text{
			{"Receive the data organizations restore to the person, on the person's approval", "Recevoir les données que les organismes restituent à la personne, avec son accord"},
			{"Record the consents the person gives services, and their withdrawal, with a receipt", "Enregistrer les consentements que la personne donne aux services, et leur retrait, avec un reçu"},
		},
		LegalBasis: "consent",
		People:     []Text{{"People who hold a store on this server", "Les personnes qui ont un espace sur ce serveur"}},
		Data:       []Text{{"Which organizations and services, for which categories of data and purposes, since when", "Quels organismes et services, pour quelles catégories de données et finalités, depuis quand"}},
		Recipients: []Text{{"Each organization and service, for its own connection or consent only", "Chaque organisme et service, pour sa seule connexion ou son seul consentement"}},
		Transfers:  Text{"Only to the services the person chooses, wherever they are; their location is shown before the person consents", "Seulement vers les services que la personne choisit, où qu'ils soient, leur localisation étant montrée avant son consentement"},
		Retention:  Text{"As long as the store; a withdrawn consent's record is kept as proof of the withdrawal", "Aussi longtemps que l'espace, la trace d'un consentement retiré étant gardée comme preuve du retrait"},
		Security:   []Text{{"Services see only the categories of data granted, checked at each access", "Les services ne voient que les catégories de données accordées, contrôlées à chaque accès"}},
	}
}

func logActivity() Activity {
	return Activity{
		ID:         "access-log",
		Name:       Text{"The access log shown to each person", "Le journal des accès montré à chaque personne"},
		Purposes:   []Text{{"Show the person who read or wrote their data, when and why, and alert them of what they would want to know", "Montrer à la personne qui a lu ou écrit ses données, quand et pourquoi, et l'alerter de ce qu'elle voudrait savoir"}},
		LegalBasis: "legal_obligation",
		People:     []Text{{"People who hold a store on this server", "Les personnes qui ont un espace sur ce serveur"}},
		Data:       []Text{{"Who accessed which category of data, with which verb, how many records, for which purpose", "Qui a accédé à quelle catégorie de données, pour lire ou écrire, combien d'enregistrements, dans quel but"}},
		Recipients: []Text{{"The person only", "La personne seule"}},
		Transfers:  Text{"None", "Aucun"},
		Retention:  Text{"As long as the store", "Aussi longtemps que l'espace"},
		Security:   []Text{{"Entries chained by hashes, verified by the operator's audit command", "Entrées chaînées par empreintes, vérifiées par la commande d'audit de l'opérateur"}},
	}
}

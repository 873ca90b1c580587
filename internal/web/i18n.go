package web

import (
	"net/http"
	"strings"
)

// Interface texts are in French and English. Each page's file holds its own table; they are
// merged here once, when the server is built.

// commonTexts are the words of the layout and of more than one page.
var commonTexts = map[string][2]string{ // key: {en, fr}
	"nav.home":        {"Who has what", "Qui a quoi"},
	"nav.data":        {"My data", "Mes données"},
	"nav.charts":      {"Charts", "Graphiques"},
	"nav.import":      {"Import", "Importer"},
	"nav.connections": {"Connections", "Connexions"},
	"nav.log":         {"Access log", "Journal des accès"},
	"nav.settings":    {"Settings", "Réglages"},
	"nav.menu":        {"Main menu", "Menu principal"},
	"skip":            {"Skip to content", "Aller au contenu"},
	"search":          {"Search my data", "Chercher dans mes données"},
	"search.button":   {"Search", "Chercher"},
	"records":         {"records", "enregistrements"},
	"sensitive":       {"Sensitive data (health)", "Donnée sensible (santé)"},
	"reveals":         {"What this can reveal about you", "Ce que cela peut révéler de vous"},
	"source":          {"Source", "Source"},
	"organization":    {"Organization", "Organisme"},
	"owner":           {"Added by you", "Ajouté par vous"},
	"upload":          {"Files you imported", "Fichiers que vous avez importés"},
	"token":           {"Your scripts", "Vos scripts"},
	"operator":        {"Imported by the operator", "Importé par l'opérateur"},
	"next":            {"Next page", "Page suivante"},
	"none":            {"Nothing here yet.", "Rien pour l'instant."},
	"error":           {"Something is wrong", "Un problème est survenu"},
	"error.back":      {"Back to the home page", "Retour à l'accueil"},
	"nav.toggle":      {"Menu", "Menu"},
	// counted nouns: one entry per plural form (locale.go, countIn)
	"records.one":    {"%s record", "%s enregistrement"},
	"records.other":  {"%s records", "%s enregistrements"},
	"readings.one":   {"%s reading", "%s relevé"},
	"readings.other": {"%s readings", "%s relevés"},
}

// textTables lists every page's table.
func textTables() []map[string][2]string {
	return []map[string][2]string{
		commonTexts,
		loginTexts,
		homeTexts,
		browseTexts,
		chartTexts,
		manageTexts,
		consentTexts,
		consentsPageTexts,
		servicesTexts,
		// each built-in service's page: one line each
		energyTexts,
		communicationTexts,
		whoamiTexts,
		mapTexts,
		myHomeTexts,
		contractsTexts,
		accountsTexts,
		signOfLifeTexts,
		errorTexts,
		importAdviceTexts,
		trackTexts,
		cfonbTexts,
		importChooseTexts,
		formatNameTexts,
		searchTexts,
		rightsTexts,
		rectifyTexts,
		exportTexts,
		moveTexts,
		eraseTexts,
	}
}

// texts merges the tables; a key defined twice is a mistake the tests catch.
func texts() map[string][2]string {
	out := map[string][2]string{}
	for _, t := range textTables() {
		for k, v := range t {
			out[k] = v
		}
	}
	return out
}

// textIn is key's text in lang from table ({en, fr}), or the key itself when the table
// lacks it. French texts leave with French spacing before high punctuation (locale.go).
func textIn(table map[string][2]string, lang, key string) string {
	m, ok := table[key]
	switch {
	case !ok:
		return key
	case lang == "fr":
		return frenchSpacing.Replace(m[1])
	}
	return m[0]
}

// t is key's text in lang, from every page's table.
func (s *Server) t(lang, key string) string { return textIn(s.words, lang, key) }

const langCookie = "selfdata_lang"

// lang picks French or English: ?lang= (remembered in a cookie), the cookie, then the
// browser's preferences.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "fr" || c.Value == "en") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		if strings.HasPrefix(tag, "fr") {
			return "fr"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "en"
}

// rememberLang keeps an explicit language choice for the next pages.
func rememberLang(w http.ResponseWriter, r *http.Request) {
	if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	}
}

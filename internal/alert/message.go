package alert

import (
	"fmt"
	"strings"

	"selfdata/internal/store"
)

// email words an alert as a short plain-text email, in French then English: the server does
// not know which language the person reads, and the pages' choice lives in their browser.
func (a *Alerts) email(al store.Alert) (subject, body string) {
	if subject, fr, en, ok := energyEmail(al); ok {
		body = fr + "\n\nLes chiffres et les relevés sont à la page « Énergie à la maison » de votre espace selfdata, où vous pouvez aussi faire taire ce type d'alerte.\n\n" +
			"-- \n\n" + en + "\n\nThe figures and the readings are on the \"Home energy\" page of your selfdata store, where you can also silence this kind of alert.\n"
		return subject, body
	}
	if subject, fr, en, ok := requestEmail(al); ok {
		body = fr + "\n\nVos demandes et leurs réponses sont à la page « Mes demandes aux organismes » de votre espace selfdata.\n\n" +
			"-- \n\n" + en + "\n\nYour requests and their answers are on the \"Requests to organizations\" page of your selfdata store.\n"
		return subject, body
	}
	name := oneLine(al.ServiceName)
	var fr, en string
	switch al.Kind {
	case store.AlertFirstAccess:
		subject = fmt.Sprintf("selfdata : %s a accédé à vos données / %s accessed your data", name, name)
		frCat, enCat := a.category(al.Params["doctype"])
		fr = fmt.Sprintf("%s a lu vos données pour la première fois (%s).", name, frCat)
		en = fmt.Sprintf("%s read your data for the first time (%s).", name, enCat)
	case store.AlertUnusualVolume:
		subject = fmt.Sprintf("selfdata : %s a lu beaucoup de vos données / %s read much of your data", name, name)
		p := al.Params
		fr = fmt.Sprintf("Le %s, %s a lu %s enregistrements de vos données : bien plus que d'habitude (environ %s par jour ces %d derniers jours).",
			p["day"], name, p["count"], p["usual"], BaselineDays)
		en = fmt.Sprintf("On %s, %s read %s records of your data: far more than usual (about %s a day over the last %d days).",
			p["day"], name, p["count"], p["usual"], BaselineDays)
	case store.AlertRefusedAttempt:
		subject = fmt.Sprintf("selfdata : %s a demandé des données non permises / %s asked for data you did not allow", name, name)
		frCat, enCat := a.category(al.Params["doctype"])
		fr = fmt.Sprintf("%s a demandé des données que vous n'avez pas permises (%s) : selfdata a refusé, et rien n'a été lu.", name, frCat)
		en = fmt.Sprintf("%s asked for data you did not allow (%s): selfdata refused, and nothing was read.", name, enCat)
	default:
		subject = "selfdata : " + name
		fr, en = name+" a utilisé vos données.", name+" used your data."
	}
	body = fr + "\n\nVous pouvez voir ce que ce service a lu, et retirer votre accord, à la page « Mes accords » de votre espace selfdata.\n\n" +
		"-- \n\n" + en + "\n\nYou can see what this service read, and withdraw your consent, on the \"Consents\" page of your selfdata store.\n"
	return subject, body
}

// category names a doctype in both languages; "*" is a read across categories.
func (a *Alerts) category(dt string) (fr, en string) {
	if dt == "*" {
		return "plusieurs catégories", "several categories"
	}
	if d, ok := a.reg.Get(dt); ok {
		return d.Label.FR, d.Label.EN
	}
	return dt, dt
}

// oneLine keeps a name on one line, so that it cannot break a header.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

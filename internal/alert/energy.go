package alert

import (
	"context"
	"fmt"
	"strings"
	"time"

	"selfdata/internal/store"
)

// The kinds of the Home energy service's alerts (store.Alert.Kind): what its checks found
// in the person's own readings, rather than what a service did with them.
const (
	KindLeak   = "leak"   // water flowed every night for several nights
	KindExcess = "excess" // the last 7 days far above the same season of earlier years
	KindFreeze = "freeze" // the water meter near 0 °C
)

// Raise keeps an alert a built-in service's check found in the person's data, and emails
// it when the server sends email. An alert with the same Dedup already kept is not raised
// again (raised reports whether this one was new).
func (a *Alerts) Raise(ctx context.Context, instanceID string, al store.Alert) (raised bool, err error) {
	if al.Dedup == "" {
		return false, fmt.Errorf("alert %s: no Dedup: the same event would be raised at every check", al.Kind)
	}
	done, err := a.st.HasAlert(ctx, instanceID, al.Dedup)
	if err != nil || done {
		return false, err
	}
	return true, a.raise(ctx, instanceID, al)
}

// energyEmail words an energy alert in French and English from its evidence.
func energyEmail(al store.Alert) (subject, fr, en string, ok bool) {
	p := al.Params
	switch al.Kind {
	case KindLeak:
		subject = "selfdata : fuite d'eau probable / probable water leak"
		fr = fmt.Sprintf("Votre compteur d'eau n'est pas descendu à zéro pendant %s nuits de suite, depuis la nuit du %s : entre 1 h et 5 h, il a toujours compté au moins %s litres par heure. Une fuite est probable (chasse d'eau, robinet, canalisation).",
			p["nights"], frDay(p["since"]), frNum(p["flow"]))
		en = fmt.Sprintf("Your water meter did not fall to zero for %s nights in a row, since the night of %s: between 1am and 5am it always counted at least %s litres an hour. A leak is likely (a toilet, a tap, a pipe).",
			p["nights"], enDay(p["since"]), p["flow"])
	case KindExcess:
		subject = "selfdata : consommation inhabituelle / unusual consumption"
		frWhat, enWhat := supplyWords(p["supply"])
		fr = fmt.Sprintf("Du %s au %s, votre consommation %s a été de %s %s : %s fois votre habitude pour la saison (%s %s, la médiane de %s semaines comparables des années passées).",
			frDay(p["from"]), frDay(p["to"]), frWhat, frNum(p["last"]), p["unit"], frNum(p["ratio"]), frNum(p["usual"]), p["unit"], p["weeks"])
		en = fmt.Sprintf("From %s to %s, your %s consumption was %s %s: %s times your usual for the season (%s %s, the median of %s comparable weeks of past years).",
			enDay(p["from"]), enDay(p["to"]), enWhat, p["last"], p["unit"], p["ratio"], p["usual"], p["unit"], p["weeks"])
	case KindFreeze:
		subject = "selfdata : compteur d'eau près de geler / water meter close to freezing"
		fr = fmt.Sprintf("Le %s, votre compteur d'eau est descendu à %s °C. Protégez-le du gel (isolant, regard bien fermé) : un compteur gelé peut éclater.", frDay(p["day"]), frNum(p["min"]))
		en = fmt.Sprintf("On %s, your water meter went down to %s °C. Protect it from frost (insulation, a closed pit): a frozen meter can burst.", enDay(p["day"]), p["min"])
	default:
		return "", "", "", false
	}
	return subject, fr, en, true
}

func supplyWords(kind string) (fr, en string) {
	switch kind {
	case "electricity":
		return "d'électricité", "electricity"
	case "gas":
		return "de gaz", "gas"
	}
	return "d'eau", "water"
}

func frNum(s string) string { return strings.Replace(s, ".", ",", 1) }

func frDay(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format("02/01/2006")
	}
	return s
}

func enDay(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format("2 Jan 2006")
	}
	return s
}

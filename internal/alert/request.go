package alert

import (
	"fmt"

	"selfdata/internal/store"
)

// KindRequestOverdue is the alert raised when a request the person sent an organization
// under the GDPR (internal/rights/requests) passes its due day without an answer. Its
// Params: request (the rights.request id), org, kind, sentAt, dueAt; ServiceName is the
// organization's name.
const KindRequestOverdue = "request_overdue"

// requestEmail words an overdue request's alert in French and English.
func requestEmail(al store.Alert) (subject, fr, en string, ok bool) {
	if al.Kind != KindRequestOverdue {
		return "", "", "", false
	}
	name, p := oneLine(al.ServiceName), al.Params
	subject = fmt.Sprintf("selfdata\u202f: %s n'a pas répondu à votre demande / %s has not answered your request", name, name)
	fr = fmt.Sprintf("Vous avez envoyé une demande à %s le %s (RGPD). La réponse était due au plus tard le %s, et vous n'en avez pas noté. Vous pouvez relancer l'organisme, ou adresser une réclamation à la CNIL (cnil.fr/plaintes).",
		name, frDay(p["sentAt"]), frDay(p["dueAt"]))
	en = fmt.Sprintf("You sent %s a request on %s (GDPR). The answer was due by %s, and you have recorded none. You can remind the organization, or lodge a complaint with the data protection authority.",
		name, enDay(p["sentAt"]), enDay(p["dueAt"]))
	return subject, fr, en, true
}

package alert

import (
	"strings"
	"testing"

	"selfdata/internal/store"
)

func TestRequestOverdueEmail(t *testing.T) {
	a := &Alerts{}
	subject, body := a.email(store.Alert{Kind: KindRequestOverdue, ServiceName: "Télécom\nExemple",
		Params: map[string]string{"request": "r1", "sentAt": "2026-01-10", "dueAt": "2026-02-10"}})
	if strings.ContainsAny(subject, "\r\n") || !strings.Contains(subject, "Télécom Exemple n'a pas répondu") || !strings.Contains(subject, "has not answered") {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"le 10/01/2026", "au plus tard le 10/02/2026", "on 10 Jan 2026", "due by 10 Feb 2026", "CNIL", "Requests to organizations"} {
		if !strings.Contains(body, want) {
			t.Errorf("the email lacks %q:\n%s", want, body)
		}
	}
}

package main

import (
	"log/slog"

	"selfdata/internal/alert"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
	"selfdata/internal/web"
)

// newSignOfLife builds the daily check of the Sign of life service: it reads each relative's
// share as the relative, under the person's grant (web.RelativeOpener, the way their page
// does), and emails its notices through the relay of the alerts when one is configured.
// pageURL is where relatives log in, said in the emails.
func newSignOfLife(f smtpFlags, st store.Store, g *gate.Gate, cons *consent.Grants, pageURL string, log *slog.Logger) (*signoflife.Checker, error) {
	var mail *alert.Mailer
	if f.addr != "" {
		var err error
		if mail, err = alert.NewMailer(alert.SMTP{Addr: f.addr, From: f.from, User: f.user, Password: f.password}); err != nil {
			return nil, err
		}
	}
	c := signoflife.NewChecker(st, web.RelativeOpener(g, cons), mail, log)
	c.PageURL = pageURL
	return c, nil
}

package main

import (
	"cmp"
	"log/slog"
	"strings"
	"time"

	"selfdata/internal/alert"
	"selfdata/internal/consent"
	"selfdata/internal/gate"
	"selfdata/internal/services/signoflife"
	"selfdata/internal/store"
	"selfdata/internal/web"
)

// signOfLifeEvery is how often the Sign of life check runs: a notice goes out within a
// quarter of an hour of the expected hour (or of the readings that tell, when they come late).
const signOfLifeEvery = 15 * time.Minute

// newSignOfLife builds the daily check of the Sign of life service: it reads each relative's
// share as the relative, under the person's grant (web.RelativeOpener, the way their page
// does), and emails its notices through the relay of the alerts when one is configured,
// saying where relatives log in. The check keeps nothing in memory: the one the job runner
// runs and the one the relatives' pages ask for their notices may be two.
func newSignOfLife(f serverFlags, st store.Store, g *gate.Gate, log *slog.Logger) (*signoflife.Checker, error) {
	var mail *alert.Mailer
	if s := f.smtp; s.addr != "" {
		var err error
		if mail, err = alert.NewMailer(alert.SMTP{Addr: s.addr, From: s.from, User: s.user, Password: s.password}); err != nil {
			return nil, err
		}
	}
	c := signoflife.NewChecker(st, web.RelativeOpener(g, consent.NewGrants(st, g.Registry())), mail, log)
	c.PageURL = strings.TrimRight(cmp.Or(f.pull.publicURL, "http://"+f.addr), "/") + "/relative/login"
	return c, nil
}

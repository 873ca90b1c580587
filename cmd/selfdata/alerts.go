package main

import (
	"flag"
	"log/slog"
	"os"

	"selfdata/internal/alert"
	"selfdata/internal/doctype"
	"selfdata/internal/store"
)

// smtpFlags configure the SMTP relay alerts are emailed through (serve only). Emails are off
// without a relay. The password comes from SELFDATA_SMTP_PASSWORD alone, kept off the
// command line (and out of every log).
type smtpFlags struct {
	addr, from, user, password string
}

func (f *smtpFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "smtp-addr", os.Getenv("SELFDATA_SMTP_ADDR"), "SMTP relay (host:port) alerts are emailed through; no email without it")
	fs.StringVar(&f.from, "smtp-from", os.Getenv("SELFDATA_SMTP_FROM"), "sender address of the alert emails, e.g. selfdata@example.org")
	fs.StringVar(&f.user, "smtp-user", os.Getenv("SELFDATA_SMTP_USER"), "user at the SMTP relay (its password from SELFDATA_SMTP_PASSWORD)")
	f.password = os.Getenv("SELFDATA_SMTP_PASSWORD")
}

// newAlerts builds the alerts about services, emailing them when a relay is configured.
func newAlerts(f smtpFlags, st store.Store, reg *doctype.Registry, log *slog.Logger) (*alert.Alerts, error) {
	var mail *alert.Mailer
	if f.addr != "" {
		var err error
		if mail, err = alert.NewMailer(alert.SMTP{Addr: f.addr, From: f.from, User: f.user, Password: f.password}); err != nil {
			return nil, err
		}
	}
	return alert.New(st, reg, mail, log), nil
}

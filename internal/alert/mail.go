package alert

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// SMTP is the relay alerts are sent through. The password is only ever handed to the relay
// (PLAIN authentication, which net/smtp allows over TLS or to localhost only); it is never
// logged nor shown.
type SMTP struct {
	Addr     string // host:port of the relay
	From     string // sender address, e.g. selfdata@example.org
	User     string // with Password, authenticate; empty: send without authentication
	Password string
}

// Mailer sends short plain-text emails through an SMTP relay.
type Mailer struct {
	cfg  SMTP
	host string
	now  func() time.Time
}

// NewMailer checks the relay's settings; it does not connect.
func NewMailer(cfg SMTP) (*Mailer, error) {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" || port == "" {
		return nil, fmt.Errorf("SMTP relay %q: give it as host:port, e.g. smtp.example.org:587", cfg.Addr)
	}
	if a, err := mail.ParseAddress(cfg.From); err != nil || a.Address != cfg.From {
		return nil, fmt.Errorf("SMTP sender %q: give a bare address, e.g. selfdata@example.org", cfg.From)
	}
	if (cfg.User == "") != (cfg.Password == "") {
		return nil, errors.New("SMTP authentication needs both a user and a password")
	}
	return &Mailer{cfg: cfg, host: host, now: time.Now}, nil
}

// Send sends one email to the address to. Like smtp.SendMail it uses STARTTLS when the
// relay offers it and authenticates when a user is set; unlike it, it gives up when ctx
// ends, so that a relay that hangs holds nothing for long.
func (m *Mailer) Send(ctx context.Context, to, subject, body string) error {
	if strings.ContainsAny(to, "\r\n") {
		return errors.New("send email: invalid recipient")
	}
	msg, err := m.message(to, subject, body)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("send email: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("send email: %w", err)
	}
	defer c.Close()
	if err := m.deliver(c, to, msg); err != nil {
		return fmt.Errorf("send email through %s: %w", m.cfg.Addr, err)
	}
	return nil
}

// deliver runs the SMTP conversation on an open client.
func (m *Mailer) deliver(c *smtp.Client, to string, msg []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: m.host}); err != nil {
			return err
		}
	}
	if m.cfg.User != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.User, m.cfg.Password, m.host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the email: UTF-8 plain text, quoted-printable so that it crosses any relay,
// with the subject encoded as RFC 2047 words.
func (m *Mailer) message(to, subject, body string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", m.cfg.From, to, mime.QEncoding.Encode("utf-8", subject), m.now().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

package alert

import (
	"bufio"
	"encoding/base64"
	"net"
	"strings"
	"sync"
	"testing"
)

// smtpServer is a stand-in for a remote SMTP relay: it speaks just enough SMTP for
// net/smtp (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) on 127.0.0.1 and keeps what it got.
type smtpServer struct {
	addr       string
	user, pass string // the credentials it accepts
	mu         sync.Mutex
	mails      []sentMail
	conns      int
}

// sentMail is one email the relay accepted.
type sentMail struct {
	auth     string // "user:password" it authenticated with, "" for none
	from, to string
	data     string
}

func newSMTPServer(t *testing.T, user, pass string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{addr: ln.Addr().String(), user: user, pass: pass}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c) })
		}
	})
	return s
}

func (s *smtpServer) sent() (mails []sentMail, conns int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMail(nil), s.mails...), s.conns
}

// serve holds one SMTP conversation.
func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	r := bufio.NewReader(c)
	reply := func(lines string) { c.Write([]byte(lines + "\r\n")) }
	reply("220 relay.test ESMTP")
	var m sentMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(cmd, " ", 2)[0])
		switch {
		case verb == "EHLO" || verb == "HELO":
			reply("250-relay.test\r\n250-8BITMIME\r\n250 AUTH PLAIN")
		case verb == "AUTH":
			m.auth = s.authenticate(cmd)
			if m.auth == "" {
				reply("535 5.7.8 authentication failed")
				continue
			}
			reply("235 2.7.0 accepted")
		case strings.HasPrefix(strings.ToUpper(cmd), "MAIL FROM:"):
			m.from = address(cmd)
			reply("250 ok")
		case strings.HasPrefix(strings.ToUpper(cmd), "RCPT TO:"):
			m.to = address(cmd)
			reply("250 ok")
		case verb == "DATA":
			reply("354 go ahead")
			m.data = readData(r)
			s.mu.Lock()
			s.mails = append(s.mails, m)
			s.mu.Unlock()
			reply("250 queued")
		case verb == "QUIT":
			reply("221 bye")
			return
		case verb == "RSET" || verb == "NOOP":
			reply("250 ok")
		default:
			reply("502 not implemented")
		}
	}
}

// authenticate checks "AUTH PLAIN base64(\0user\0password)" and returns "user:password" when
// they are the ones accepted.
func (s *smtpServer) authenticate(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) != 3 || !strings.EqualFold(f[1], "PLAIN") {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(f[2])
	parts := strings.Split(string(b), "\x00")
	if err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.pass {
		return ""
	}
	return parts[1] + ":" + parts[2]
}

// address is the <path> of a MAIL or RCPT command, its parameters (BODY=...) aside.
func address(cmd string) string {
	_, rest, _ := strings.Cut(cmd, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// readData reads a DATA section up to its lone dot, undoing dot-stuffing.
func readData(r *bufio.Reader) string {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return b.String()
		}
		if line == ".\r\n" {
			return b.String()
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}

package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"selfdata/internal/store"
)

// Relatives are the people a person trusts with signs of life (the built-in service Sign of
// life): they have credentials of their own, which open nothing of the person's store but a
// page of derived signals. The rules are the person's: the one-time code of an invitation and
// the session secrets are random and kept as SHA-256 only; the passphrase the relative
// chooses is kept as argon2id; failed logins and failed redemptions count against the same
// limits as the person's logins (limits.go), under keys of their own.

// RelativeSessionPrefix starts a relative's session secret, so that it is told apart from a
// person's at a glance and never matches the hash of a person's session.
const RelativeSessionPrefix = "sdr_"

// invitePrefix is hashed with an invitation's code, so that a code's hash is no other
// secret's.
const invitePrefix = "sdri_"

// InvitationTTL is how long an invitation's code can be redeemed.
const InvitationTTL = 7 * 24 * time.Hour

// codeAlphabet is Crockford's base 32: no I, L, O or U, so that a code read aloud or
// copied by hand is not mistyped (normalize maps the look-alikes back).
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen characters of 5 bits each: 80 random bits, far beyond guessing online under the
// login limits, within a week, yet short enough to type from a piece of paper.
const codeLen = 16

// Errors of the relatives' side, mapped to statuses and messages by the web layer.
var (
	// ErrInvitation: no invitation can be redeemed with this code (unknown, used, expired,
	// or its share ended); which of these is not said.
	ErrInvitation = errors.New("this invitation cannot be used")
	// ErrLoginTaken: another relative logs in with this name.
	ErrLoginTaken = errors.New("this login is taken")
	// ErrShareEnded: the person stopped sharing with this relative; the session that showed
	// it is ended.
	ErrShareEnded = errors.New("the share has ended")
	// ErrRelativeInput: a field of a relative's form is not acceptable (an *InputError,
	// which names it).
	ErrRelativeInput = errors.New("invalid relative input")
)

// InputError is a field of the relatives' forms that is not acceptable: Field is the
// form's name for it, so that the page can say which, in the person's language.
type InputError struct{ Field, Detail string }

func (e *InputError) Error() string        { return e.Field + ": " + e.Detail }
func (e *InputError) Is(target error) bool { return target == ErrRelativeInput }

// RelativeStore is what the relatives' credentials need of the store: the relatives, and
// the counts of failed logins.
type RelativeStore interface {
	store.Relatives
	store.Credentials
}

// RelativeAuth invites relatives, lets each redeem their invitation once, logs them in and
// resolves their sessions.
type RelativeAuth struct {
	st         RelativeStore
	limits     limits
	sessionTTL time.Duration
	now        func() time.Time
	params     Params // how passphrases are hashed: DefaultParams (tests: cheaper)
	dummy      string // verified for an unknown login, as Service.dummy
}

// NewRelativeAuth returns the relatives' credentials; cfg.SessionTTL is how long a
// relative's login lasts.
func NewRelativeAuth(st RelativeStore, cfg Config) (*RelativeAuth, error) {
	dummy, err := HashPassphrase("not a real passphrase")
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &RelativeAuth{st: st, limits: newLimits(st, now), sessionTTL: cfg.SessionTTL, now: now, params: DefaultParams, dummy: dummy}, nil
}

// Invitation is what the person says of a relative they invite; the web layer checks it
// against the service's rules (which signals exist, which hours) before.
type Invitation struct {
	Name       string // the relative
	PersonName string // the person, as the relative knows them
	Expect     int
	Signals    []string
}

// Invite records an invitation and returns its one-time code, to show the person once:
// only its hash is kept.
func (a *RelativeAuth) Invite(ctx context.Context, instanceID string, inv Invitation) (code string, r store.Relative, err error) {
	if err := checkName("name", inv.Name); err != nil {
		return "", r, err
	}
	if err := checkName("person_name", inv.PersonName); err != nil {
		return "", r, err
	}
	id, err := NewID()
	if err != nil {
		return "", r, err
	}
	if code, err = newCode(); err != nil {
		return "", r, err
	}
	now := a.now().UTC().Truncate(time.Microsecond)
	r = store.Relative{ID: id, Instance: instanceID, Name: strings.TrimSpace(inv.Name), PersonName: strings.TrimSpace(inv.PersonName), Expect: inv.Expect,
		Signals: inv.Signals, InviteHash: codeHash(code), InviteExpires: now.Add(InvitationTTL), Created: now}
	if err := a.st.CreateRelative(ctx, r); err != nil {
		return "", r, err
	}
	return code, r, nil
}

// newCode draws a code and writes it in groups of four, as it is shown.
func newCode() (string, error) {
	b := make([]byte, codeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new invitation code: %w", err)
	}
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(codeAlphabet[c&31])
	}
	return out.String(), nil
}

// NormalizeCode is the code as typed, read the way it was written: case, spaces and dashes
// do not matter, and the letters mistaken for digits are those digits.
func NormalizeCode(code string) string {
	var out strings.Builder
	for _, c := range strings.ToUpper(code) {
		switch c {
		case ' ', '-', '\t':
		case 'O':
			out.WriteByte('0')
		case 'I', 'L':
			out.WriteByte('1')
		default:
			out.WriteRune(c)
		}
	}
	return out.String()
}

func codeHash(code string) string { return HashSecret(invitePrefix + NormalizeCode(code)) }

// Redemption is a relative answering their invitation.
type Redemption struct {
	Code, Login, Passphrase, Email string
	Addr                           string // the client's address, for the limits
}

// Invitation finds the live invitation of a code, for the page where the relative redeems
// it; a wrong code counts as a failed login of the client.
func (a *RelativeAuth) Invitation(ctx context.Context, code, addr string) (store.Relative, error) {
	key := limitKey{a.limits.client, "client:" + addrKey(addr)}
	if wait, err := check(ctx, []limitKey{key}); err != nil {
		return store.Relative{}, err
	} else if wait > 0 {
		return store.Relative{}, &RateLimitedError{RetryAfter: wait}
	}
	r, err := a.st.Invitation(ctx, codeHash(code), a.now())
	if errors.Is(err, store.ErrNotFound) {
		if err := fail(ctx, []limitKey{key}); err != nil {
			return store.Relative{}, err
		}
		return store.Relative{}, ErrInvitation
	}
	return r, err
}

// Redeem turns an invitation into the relative's own login: the code is forgotten, the
// passphrase kept as argon2id. It fails with ErrInvitation when the code cannot be used
// (and the attempt counts against the client), ErrLoginTaken, ErrWeakPassphrase or
// ErrRelativeInput.
func (a *RelativeAuth) Redeem(ctx context.Context, rd Redemption) (store.Relative, error) {
	if _, err := a.Invitation(ctx, rd.Code, rd.Addr); err != nil {
		return store.Relative{}, err
	}
	login := strings.ToLower(strings.TrimSpace(rd.Login))
	if err := checkLogin(login); err != nil {
		return store.Relative{}, err
	}
	if err := CheckPassphrase(rd.Passphrase); err != nil {
		return store.Relative{}, err
	}
	email, err := CheckEmail(rd.Email)
	if err != nil {
		return store.Relative{}, err
	}
	hash, err := HashPassphraseWith(rd.Passphrase, a.params)
	if err != nil {
		return store.Relative{}, err
	}
	r, err := a.st.RedeemInvitation(ctx, codeHash(rd.Code), login, hash, email, a.now().UTC().Truncate(time.Microsecond))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return r, ErrInvitation // redeemed meanwhile by someone else
	case errors.Is(err, store.ErrExists):
		return r, ErrLoginTaken
	}
	return r, err
}

// checkLogin: 3 to 64 letters, digits and . _ - @, so that a login is typed on any keyboard
// and an email address can be one.
func checkLogin(login string) error {
	if n := len(login); n < 3 || n > 64 {
		return &InputError{"login", "use 3 to 64 characters"}
	}
	for _, c := range login {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._-@", c)) {
			return &InputError{"login", "use letters without accents, digits and . _ - @ only"}
		}
	}
	return nil
}

// maxNameRunes is the longest name of a relative or a person kept, in characters.
const maxNameRunes = 80

// checkName: a name someone reads, one line, of reasonable length.
func checkName(field, name string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return &InputError{field, "write a name"}
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes:
		return &InputError{field, fmt.Sprintf("use at most %d characters", maxNameRunes)}
	case strings.ContainsFunc(name, unicode.IsControl):
		return &InputError{field, "one line, without control characters"}
	}
	return nil
}

// maxEmail is the longest address SMTP carries (RFC 5321).
const maxEmail = 254

// CheckEmail takes a bare address (no display name, no list), so that it can go in a header
// as it is, or "" for none; it returns it trimmed.
func CheckEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > maxEmail {
		return "", &InputError{"email", "this is not an email address such as name@example.org"}
	}
	return email, nil
}

// Login checks a relative's passphrase under the login limits — those of a person's login
// from an unknown browser, counted under the relative's login — and opens a session.
func (a *RelativeAuth) Login(ctx context.Context, login, passphrase, addr string) (secret string, r store.Relative, err error) {
	login = strings.ToLower(strings.TrimSpace(login))
	keys := a.limits.forAttempt("relative:"+login, addr, "")
	if wait, err := check(ctx, keys); err != nil {
		return "", r, err
	} else if wait > 0 {
		return "", r, &RateLimitedError{RetryAfter: wait}
	}
	r, err = a.st.RelativeByLogin(ctx, login)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", r, err
	}
	hash := a.dummy
	if known {
		hash = r.PassHash
	}
	if ok, verr := VerifyPassphrase(hash, passphrase); !known || verr != nil || !ok {
		if err := fail(ctx, keys); err != nil {
			return "", store.Relative{}, err
		}
		return "", store.Relative{}, ErrBadCredentials
	}
	if err := keys[0].lim.Reset(ctx, keys[0].key); err != nil {
		return "", r, err
	}
	now := a.now()
	secret, sh, err := NewSecret(RelativeSessionPrefix)
	if err != nil {
		return "", r, err
	}
	if err := a.st.CreateRelativeSession(ctx, store.RelativeSession{Hash: sh, Instance: r.Instance, Relative: r.ID, Created: now, Expires: now.Add(a.sessionTTL)}); err != nil {
		return "", r, err
	}
	if err := a.st.DeleteExpiredRelativeSessions(ctx, now); err != nil {
		return "", r, err
	}
	return secret, r, nil
}

// Session resolves a relative's session. A session of a share that ended is ended here
// (ErrShareEnded, with the relative, so that the page can say so); an unknown or expired
// one is ErrUnauthenticated.
func (a *RelativeAuth) Session(ctx context.Context, secret string) (store.Relative, error) {
	if !strings.HasPrefix(secret, RelativeSessionPrefix) {
		return store.Relative{}, ErrUnauthenticated
	}
	hash := HashSecret(secret)
	sess, err := a.st.RelativeSession(ctx, hash)
	if errors.Is(err, store.ErrNotFound) || err == nil && !a.now().Before(sess.Expires) {
		return store.Relative{}, ErrUnauthenticated
	}
	if err != nil {
		return store.Relative{}, err
	}
	r, err := a.st.Relative(ctx, sess.Instance, sess.Relative)
	if errors.Is(err, store.ErrNotFound) {
		return store.Relative{}, ErrUnauthenticated
	}
	if err != nil {
		return store.Relative{}, err
	}
	if r.Ended != nil {
		if err := a.st.DeleteRelativeSession(ctx, hash); err != nil {
			return store.Relative{}, err
		}
		return r, ErrShareEnded
	}
	return r, nil
}

// Logout ends one session.
func (a *RelativeAuth) Logout(ctx context.Context, secret string) error {
	return a.st.DeleteRelativeSession(ctx, HashSecret(secret))
}

// EndSessions ends every session of a relative: when the person's grant to the service is
// withdrawn, what the relative had open closes with it.
func (a *RelativeAuth) EndSessions(ctx context.Context, relativeID string) error {
	return a.st.DeleteRelativeSessions(ctx, relativeID)
}

// List lists the person's relatives, ended shares too, oldest first.
func (a *RelativeAuth) List(ctx context.Context, instanceID string) ([]store.Relative, error) {
	return a.st.ListRelatives(ctx, instanceID)
}

// Get reads one of the person's relatives.
func (a *RelativeAuth) Get(ctx context.Context, instanceID, id string) (store.Relative, error) {
	return a.st.Relative(ctx, instanceID, id)
}

// Stop ends a share at once: the relative's login and passphrase are forgotten and their
// sessions let them in no more.
func (a *RelativeAuth) Stop(ctx context.Context, instanceID, id string) error {
	return a.st.EndRelative(ctx, instanceID, id, a.now().UTC().Truncate(time.Microsecond))
}

// SetEmail changes where the relative's notices go ("" for nowhere).
func (a *RelativeAuth) SetEmail(ctx context.Context, r store.Relative, email string) error {
	email, err := CheckEmail(email)
	if err != nil {
		return err
	}
	return a.st.SetRelativeEmail(ctx, r.Instance, r.ID, email)
}

package requests

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"selfdata/internal/gate"
	"selfdata/internal/store"
)

// Doctype is the doctype a request is kept as.
const Doctype = "rights.request"

// The statuses of a request.
const (
	Sent     = "sent"     // sent, the answer not yet due or not yet overdue
	Overdue  = "overdue"  // past its due day without an answer; the person was reminded
	Answered = "answered" // the person recorded the answer
)

// MaxAnswer is the longest answer kept, as the doctype declares it.
const MaxAnswer = 10000

// Request is one rights.request document.
type Request struct {
	ID         string `json:"-"`
	Rev        string `json:"-"`
	Org        string `json:"org"`
	OrgName    string `json:"orgName,omitempty"`
	Kind       string `json:"kind"`
	SentAt     string `json:"sentAt"`
	DueAt      string `json:"dueAt"`
	AnsweredAt string `json:"answeredAt,omitempty"`
	Answer     string `json:"answer,omitempty"`
	Status     string `json:"status"`
}

// Record keeps that the request of kind was sent to org on the day sent: it is due one
// month later.
func Record(ctx context.Context, g *gate.Gate, p gate.Principal, org store.Organization, kind string, sent time.Time) (Request, error) {
	if Article(kind) == 0 {
		return Request{}, fmt.Errorf("%w: %q is not a kind of request (one of %s)", store.ErrInvalid, kind, strings.Join(Kinds, ", "))
	}
	r := Request{Org: org.ID, OrgName: org.Name, Kind: kind, SentAt: sent.Format(time.DateOnly), DueAt: Due(sent).Format(time.DateOnly), Status: Sent}
	data, err := json.Marshal(r)
	if err != nil {
		return Request{}, err
	}
	docs, err := g.Create(ctx, p, Doctype, []gate.Input{{Data: data}}, p.Source("", g))
	if err != nil {
		return Request{}, err
	}
	return fromDoc(docs[0])
}

// List lists the person's requests, the latest due first.
func List(ctx context.Context, g *gate.Gate, p gate.Principal) ([]Request, error) {
	var out []Request
	q := store.Query{Doctype: Doctype, Sort: store.Field{Path: "dueAt", Type: store.String}, Desc: true, Limit: 500}
	for {
		page, err := g.Query(ctx, p, q)
		if err != nil {
			return nil, err
		}
		for _, d := range page.Items {
			r, err := fromDoc(d)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// Get reads one request.
func Get(ctx context.Context, g *gate.Gate, p gate.Principal, id string) (Request, error) {
	d, err := g.Get(ctx, p, Doctype, id)
	if err != nil {
		return Request{}, err
	}
	return fromDoc(d)
}

// Answer closes the request id with the organization's answer, received on the day on.
func Answer(ctx context.Context, g *gate.Gate, p gate.Principal, id string, on time.Time, text string) (Request, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxAnswer {
		return Request{}, fmt.Errorf("%w: the answer must be between 1 and %d characters", store.ErrInvalid, MaxAnswer)
	}
	r, err := Get(ctx, g, p, id)
	if err != nil {
		return Request{}, err
	}
	if day := on.Format(time.DateOnly); day < r.SentAt {
		return Request{}, fmt.Errorf("%w: the answer's date %s is before the request was sent (%s)", store.ErrInvalid, day, r.SentAt)
	}
	r.AnsweredAt, r.Answer, r.Status = on.Format(time.DateOnly), text, Answered
	return update(ctx, g, p, r)
}

func update(ctx context.Context, g *gate.Gate, p gate.Principal, r Request) (Request, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return Request{}, err
	}
	d, err := g.Update(ctx, p, Doctype, r.ID, r.Rev, data)
	if err != nil {
		return Request{}, err
	}
	return fromDoc(d)
}

func fromDoc(d store.Doc) (Request, error) {
	var r Request
	if err := json.Unmarshal(d.Data, &r); err != nil {
		return Request{}, fmt.Errorf("rights.request %s: %w", d.ID, err)
	}
	r.ID, r.Rev = d.ID, d.Rev
	return r, nil
}

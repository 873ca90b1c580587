package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"selfdata/internal/services"
	"selfdata/internal/store"
)

// Categories are the categories a person may put an operation in, in the order the page
// offers them; bank.rule declares the same list. Their names in French and English are in
// the pages' message catalog ("cat.groceries").
var Categories = []string{"groceries", "restaurants", "transport", "leisure", "housing", "energy", "telecom",
	"insurance", "health", "income", "savings", "other"}

// KnownCategory tells whether c is one of Categories.
func KnownCategory(c string) bool { return slices.Contains(Categories, c) }

// Rule is one of the person's rules: operations whose label holds Pattern's words go in
// Category. LearnedFrom is the operation whose correction made it, Example that
// operation's label.
type Rule struct {
	ID, Rev              string
	Pattern, Category    string
	LearnedFrom, Example string
	Created, Updated     time.Time
	words                []string
}

type ruleFields struct {
	Pattern     string `json:"pattern"`
	Category    string `json:"category"`
	LearnedFrom string `json:"learnedFrom,omitempty"`
	Example     string `json:"example,omitempty"`
}

// LoadRules reads the person's rules through rd, which must be the person's own reader:
// rules are their settings, not data the service was granted.
func LoadRules(ctx context.Context, rd services.Reader) ([]Rule, error) {
	docs, err := rd.Docs(ctx, RuleDoctype)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	var out []Rule
	for _, d := range docs {
		if r, ok := ParseRule(d); ok {
			out = append(out, r)
		}
	}
	SortRules(out)
	return out, nil
}

// ParseRule reads one bank.rule document; a rule without words matches nothing and is
// left out.
func ParseRule(d store.Doc) (Rule, bool) {
	var f ruleFields
	if json.Unmarshal(d.Data, &f) != nil {
		return Rule{}, false
	}
	r := Rule{ID: d.ID, Rev: d.Rev, Pattern: f.Pattern, Category: f.Category, LearnedFrom: f.LearnedFrom, Example: f.Example,
		Created: d.Created, Updated: d.Updated, words: words(f.Pattern)}
	return r, len(r.words) > 0
}

// SortRules puts rules in the order the page lists them: by pattern.
func SortRules(rs []Rule) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Pattern < rs[j].Pattern })
}

// matches tells whether the rule applies to an operation whose label and counterparty have
// these words.
func (r Rule) matches(label, counterparty []string) bool {
	return contains(label, r.words) || contains(counterparty, r.words)
}

// before tells whether rule r wins over s when both match: the more precise (more words)
// first, then the one changed last, then by id so that the choice never depends on order.
func (r Rule) before(s Rule) bool {
	if len(r.words) != len(s.words) {
		return len(r.words) > len(s.words)
	}
	if !r.Updated.Equal(s.Updated) {
		return r.Updated.After(s.Updated)
	}
	return r.ID < s.ID
}

// Origin says where an operation's category comes from.
type Origin int

const (
	// FromNone: neither the source, nor a rule, nor the person gave one.
	FromNone Origin = iota
	// FromSource: the bank (or the file) that sent the operation.
	FromSource
	// FromRule: one of the person's rules (Categorized.Rule).
	FromRule
	// FromPerson: the person corrected this operation itself.
	FromPerson
)

// Categorized is an operation with the category the service puts it in, and why.
type Categorized struct {
	Operation
	Category string
	Origin   Origin
	Rule     *Rule // the rule, when Origin is FromRule
}

// Categorize puts each operation in a category: the person's own correction of it first,
// then the best of their rules that matches it, then what its source said. Rules are applied
// on reading, so a new rule, an edited one or a deleted one changes every operation at once,
// those that will arrive included.
func Categorize(ops []Operation, rules []Rule) []Categorized {
	ordered := slices.Clone(rules)
	for i := range ordered {
		if ordered[i].words == nil {
			ordered[i].words = words(ordered[i].Pattern)
		}
	}
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].before(ordered[j]) })
	out := make([]Categorized, len(ops))
	for i, o := range ops {
		c := Categorized{Operation: o, Category: o.Category}
		switch {
		case o.Corrected() && o.Category != "":
			c.Origin = FromPerson
		case len(ordered) > 0:
			c.Category, c.Origin = o.SourceCategory, FromSource
			label, counterparty := words(o.Label), words(o.Counterparty)
			for j := range ordered {
				if len(ordered[j].words) > 0 && ordered[j].matches(label, counterparty) {
					c.Category, c.Origin, c.Rule = ordered[j].Category, FromRule, &ordered[j]
					break
				}
			}
		default:
			c.Category, c.Origin = o.SourceCategory, FromSource
		}
		if c.Category == "" {
			c.Origin = FromNone
		}
		out[i] = c
	}
	return out
}

// RuleUse counts, per rule id, the operations whose category comes from that rule.
func RuleUse(cs []Categorized) map[string]int {
	n := map[string]int{}
	for _, c := range cs {
		if c.Origin == FromRule {
			n[c.Rule.ID]++
		}
	}
	return n
}

// Scope is how far a recategorization goes.
type Scope string

const (
	// ScopeRule corrects the operation and makes (or changes) a rule from its label: every
	// operation like it goes in the category.
	ScopeRule Scope = "rule"
	// ScopeOne corrects this operation only.
	ScopeOne Scope = "one"
)

// Errors of what a person asks on the page, for the page to answer 400 naming the field.
var (
	ErrCategory = errors.New("not one of the categories")
	ErrScope    = errors.New(`neither "rule" nor "one"`)
	ErrNoWords  = errors.New("no words to make a rule from: a rule matches the words of labels, not their numbers")
	ErrLong     = fmt.Errorf("longer than %d characters", MaxPattern)
)

// MaxPattern is the longest pattern a rule holds, in characters (bank.rule declares it).
const MaxPattern = 200

// fit keeps the first words of pattern that hold in MaxPattern characters: a rule made from
// a very long label still names the payee.
func fit(pattern string) string {
	var out []string
	n := 0
	for _, w := range strings.Fields(pattern) {
		l := utf8.RuneCountInString(w)
		if n+l > MaxPattern {
			break
		}
		out, n = append(out, w), n+l+1
	}
	return strings.Join(out, " ")
}

// Write is a document to write: a new one (ID and Rev empty: the store names it) or a new
// revision of one.
type Write struct {
	ID, Rev string
	Data    json.RawMessage
}

// Change is what a recategorization writes, in one transaction: a rule to create or
// change, and the operation's own record, corrected or with its correction lifted.
type Change struct {
	Rule      *Write // bank.rule
	Operation *Write // bank.operation
}

// ErrRuleDecides is what correcting one operation back to its source's category meets
// when one of the person's rules puts it elsewhere: the store keeps no correction equal to
// the source's value, so the rule would still decide. The person changes or deletes the rule.
type ErrRuleDecides struct{ Rule Rule }

func (e *ErrRuleDecides) Error() string {
	return fmt.Sprintf("the rule %q puts this operation in %s", e.Rule.Pattern, e.Rule.Category)
}

// Recategorize is what putting the operation op (its record as stored) in category means
// under the scope chosen, given the person's rules.
//
// The operation's own record is corrected: the category becomes the person's for it, the
// store keeping the bank's value beside it (choosing the bank's category again lifts the
// correction), and every service reading the record sees it. ScopeRule moreover makes a rule
// of the operation's words, or changes the category of the rule with exactly those words,
// so that every other operation like it, those to come included, goes in the category too.
func Recategorize(op store.Doc, rules []Rule, category string, scope Scope) (Change, error) {
	if !KnownCategory(category) {
		return Change{}, fmt.Errorf("category %q: %w", category, ErrCategory)
	}
	if scope != ScopeRule && scope != ScopeOne {
		return Change{}, fmt.Errorf("scope %q: %w", scope, ErrScope)
	}
	o, ok := ParseOperation(op)
	if !ok {
		return Change{}, fmt.Errorf("operation %s cannot be read", op.ID)
	}
	var ch Change
	if o.Category != category {
		data, err := withCategory(op.Data, category)
		if err != nil {
			return Change{}, err
		}
		ch.Operation = &Write{ID: op.ID, Rev: op.Rev, Data: data}
	}
	if scope == ScopeOne {
		after := o
		after.Category = category
		if c := Categorize([]Operation{after}, rules)[0]; c.Category != category && c.Origin == FromRule {
			return Change{}, &ErrRuleDecides{Rule: *c.Rule}
		}
		return ch, nil
	}
	pattern := fit(Key(o.Label))
	if pattern == "" {
		pattern = fit(Key(o.Counterparty))
	}
	if pattern == "" {
		return Change{}, ErrNoWords
	}
	i := slices.IndexFunc(rules, func(r Rule) bool { return Key(r.Pattern) == pattern })
	switch {
	case i < 0:
		data, err := json.Marshal(ruleFields{Pattern: pattern, Category: category, LearnedFrom: op.ID, Example: o.Label})
		if err != nil {
			return Change{}, err
		}
		ch.Rule = &Write{Data: data}
	case rules[i].Category != category:
		data, err := json.Marshal(ruleFields{Pattern: rules[i].Pattern, Category: category, LearnedFrom: rules[i].LearnedFrom, Example: rules[i].Example})
		if err != nil {
			return Change{}, err
		}
		ch.Rule = &Write{ID: rules[i].ID, Rev: rules[i].Rev, Data: data}
	}
	return ch, nil
}

// EditRule is the new record of rule r with the pattern and category the person typed; the
// pattern is kept as typed but must hold words.
func EditRule(r Rule, pattern, category string) (json.RawMessage, error) {
	pattern = strings.Join(strings.Fields(pattern), " ")
	if Key(pattern) == "" {
		return nil, ErrNoWords
	}
	if utf8.RuneCountInString(pattern) > MaxPattern {
		return nil, ErrLong
	}
	if !KnownCategory(category) {
		return nil, fmt.Errorf("category %q: %w", category, ErrCategory)
	}
	return json.Marshal(ruleFields{Pattern: pattern, Category: category, LearnedFrom: r.LearnedFrom, Example: r.Example})
}

// withCategory is the record data with its category set to c, or removed when c is empty
// (the source gave none). Every other field stays as it is, numbers included.
func withCategory(data json.RawMessage, c string) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("operation record: %w", err)
	}
	if c == "" {
		delete(m, "category")
	} else {
		m["category"] = c
	}
	return json.Marshal(m)
}

package accounts

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

func TestKey(t *testing.T) {
	tests := []struct{ label, want string }{
		{"CB MONOPRIX LYON 3 14/03", "MONOPRIX LYON"},
		{"PRLV SEPA EDF 1012345678", "EDF"},
		{"VIR SEPA RHONE CONSEIL SAS SALAIRE 01/2025", "RHONE CONSEIL SAS SALAIRE"},
		{"CB NETFLIX.COM 14/03", "NETFLIX.COM"},
		{"Électricité de France", "ELECTRICITE DE FRANCE"},
		{"RETRAIT DAB 12/03 LYON GUILLOTIERE", "RETRAIT DAB LYON GUILLOTIERE"},
		{"PAIEMENT PAR CARTE X1234 boulangerie paul bert", "BOULANGERIE PAUL BERT"},
		{"  cb   l'atelier  ", "L ATELIER"},
		{"12/03 4567", ""},
		{"CB", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.label); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}

func rule(id, pattern, category string, updated time.Time) Rule {
	return Rule{ID: id, Pattern: pattern, Category: category, Updated: updated}
}

// TestCategorize: the person's correction first, then the most precise of their rules, then
// the source's category; and where each comes from.
func TestCategorize(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	rules := []Rule{
		rule("r-edf", "EDF", "energy", t0),
		rule("r-edf-gaz", "EDF GAZ", "housing", t0),
		rule("r-old", "KEEP COOL", "other", t0),
		rule("r-new", "keep cool", "leisure", t0.Add(time.Hour)),
		rule("r-netflix", "NETFLIX.COM", "leisure", t0),
	}
	mk := func(label, bank, stored string) Operation {
		o := op(t, "o", "2025-03-10", label, "-10.00", "")
		o.SourceCategory, o.Category = bank, stored
		return o
	}
	tests := []struct {
		name    string
		op      Operation
		want    string
		origin  Origin
		ruleID  string
		noRules bool
	}{
		{"the bank's category", mk("CB FNAC BELLECOUR 12/03", "leisure", "leisure"), "leisure", FromSource, "", false},
		{"a rule over the bank", mk("PRLV SEPA EDF ELECTRICITE", "other", "other"), "energy", FromRule, "r-edf", false},
		{"the more precise rule", mk("PRLV SEPA EDF GAZ", "energy", "energy"), "housing", FromRule, "r-edf-gaz", false},
		{"the rule changed last, of two as precise", mk("PRLV SEPA KEEP COOL", "other", "other"), "leisure", FromRule, "r-new", false},
		{"a rule's words in order only", mk("GAZ EDF", "other", "other"), "energy", FromRule, "r-edf", false},
		{"whole words only", mk("CB EDFRANCE", "other", "other"), "other", FromSource, "", false},
		{"the person's correction over every rule", mk("PRLV SEPA EDF GAZ", "energy", "telecom"), "telecom", FromPerson, "", false},
		{"a rule on the counterparty", func() Operation { o := mk("CB 12/03", "other", "other"); o.Counterparty = "NETFLIX.COM"; return o }(), "leisure", FromRule, "r-netflix", false},
		{"no category at all", mk("CB INCONNU", "", ""), "", FromNone, "", false},
		{"without rules, the bank's", mk("PRLV SEPA EDF", "energy", "energy"), "energy", FromSource, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := rules
			if tt.noRules {
				rs = nil
			}
			c := Categorize([]Operation{tt.op}, rs)[0]
			if c.Category != tt.want || c.Origin != tt.origin {
				t.Fatalf("category %q from %d, want %q from %d", c.Category, c.Origin, tt.want, tt.origin)
			}
			if got := ""; c.Rule != nil {
				got = c.Rule.ID
				if got != tt.ruleID {
					t.Errorf("rule %s, want %s", got, tt.ruleID)
				}
			} else if tt.ruleID != "" {
				t.Errorf("no rule, want %s", tt.ruleID)
			}
		})
	}
}

// opDoc is a stored bank.operation as the gate returns it; original, when given, is the
// bank's category of a record the person corrected.
func opDoc(t testing.TB, id, label, category, original string) store.Doc {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"account": "acc", "date": "2025-03-14", "label": label, "amount": "-23.40", "currency": "EUR", "category": category, "type": "card"})
	d := store.Doc{ID: id, Rev: "1", Doctype: OperationDoctype, Data: data, Source: store.Source{Kind: "organization", Name: "La Banque Postale"}}
	if original != "" {
		orig, _ := json.Marshal(map[string]any{"account": "acc", "date": "2025-03-14", "label": label, "amount": "-23.40", "currency": "EUR", "category": original, "type": "card"})
		d.Corrected = &store.Correction{Original: orig}
	}
	return d
}

// stored plays what the gate would store for a change: the rule created or updated and the
// operation's record with the store's correction rule (data equal to the bank's lifts it).
func stored(t *testing.T, rules []Rule, docs map[string]store.Doc, ch Change, now time.Time) []Rule {
	t.Helper()
	if ch.Rule != nil {
		id := ch.Rule.ID
		if id == "" {
			id = "rule-" + now.Format("150405")
		}
		r, ok := ParseRule(store.Doc{ID: id, Rev: "1", Data: ch.Rule.Data, Created: now, Updated: now})
		if !ok {
			t.Fatalf("the rule written does not read back: %s", ch.Rule.Data)
		}
		kept := rules[:0:0]
		for _, x := range rules {
			if x.ID != id {
				kept = append(kept, x)
			}
		}
		rules = append(kept, r)
	}
	if ch.Operation != nil {
		d := docs[ch.Operation.ID]
		if d.Corrected == nil {
			d.Corrected = &store.Correction{Original: d.Data}
		}
		d.Data = ch.Operation.Data
		var a, b map[string]any
		json.Unmarshal(d.Data, &a)
		json.Unmarshal(d.Corrected.Original, &b)
		if a["category"] == b["category"] && len(a) == len(b) {
			d.Corrected = nil
		}
		docs[d.ID] = d
	}
	return rules
}

func categoriesOf(t *testing.T, docs map[string]store.Doc, rules []Rule) map[string]Categorized {
	t.Helper()
	var ops []Operation
	for _, id := range []string{"a", "b", "c"} {
		o, ok := ParseOperation(docs[id])
		if !ok {
			t.Fatalf("operation %s does not read", id)
		}
		ops = append(ops, o)
	}
	out := map[string]Categorized{}
	for _, c := range Categorize(ops, rules) {
		out[c.ID] = c
	}
	return out
}

// TestRuleLearning: the person puts one operation in another category; a rule is made of its
// words and another operation with the same label follows; editing the rule moves them, and
// deleting it gives the bank's category back, but never the person's own correction.
func TestRuleLearning(t *testing.T) {
	now := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC)
	docs := map[string]store.Doc{
		"a": opDoc(t, "a", "CB AMAZON PAYMENTS 14/03", "other", ""),
		"b": opDoc(t, "b", "CB AMAZON PAYMENTS 02/04", "other", ""),
		"c": opDoc(t, "c", "CB FNAC BELLECOUR 05/04", "leisure", ""),
	}
	var rules []Rule

	ch, err := Recategorize(docs["a"], rules, "leisure", ScopeRule)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Rule == nil || ch.Rule.ID != "" || ch.Operation == nil {
		t.Fatalf("a new rule and the operation's correction, got %+v", ch)
	}
	var f ruleFields
	json.Unmarshal(ch.Rule.Data, &f)
	if f != (ruleFields{Pattern: "AMAZON PAYMENTS", Category: "leisure", LearnedFrom: "a", Example: "CB AMAZON PAYMENTS 14/03"}) {
		t.Errorf("rule %+v", f)
	}
	rules = stored(t, rules, docs, ch, now)
	cats := categoriesOf(t, docs, rules)
	if c := cats["a"]; c.Category != "leisure" || c.Origin != FromPerson {
		t.Errorf("a: %q from %d, want leisure, the person's", c.Category, c.Origin)
	}
	if c := cats["b"]; c.Category != "leisure" || c.Origin != FromRule || c.Rule.Pattern != "AMAZON PAYMENTS" {
		t.Errorf("b: %q from %d, want leisure by the rule", c.Category, c.Origin)
	}
	if c := cats["c"]; c.Category != "leisure" || c.Origin != FromSource {
		t.Errorf("c: %q from %d, want the bank's", c.Category, c.Origin)
	}
	if n := RuleUse(Categorize([]Operation{cats["a"].Operation, cats["b"].Operation, cats["c"].Operation}, rules))[rules[0].ID]; n != 1 {
		t.Errorf("the rule decides %d operations, want 1 (b; a is the person's)", n)
	}

	// The same words again, another category: the rule changes, no second one.
	ch, err = Recategorize(docs["b"], rules, "other", ScopeRule)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Rule == nil || ch.Rule.ID != rules[0].ID || ch.Operation != nil {
		t.Fatalf("the rule changed and b left as the bank has it (other), got %+v", ch)
	}
	rules = stored(t, rules, docs, ch, now.Add(time.Minute))
	if len(rules) != 1 || rules[0].Category != "other" {
		t.Fatalf("rules %+v", rules)
	}

	// Edited on the page: shorter words, another category.
	data, err := EditRule(rules[0], "  amazon  ", "groceries")
	if err != nil {
		t.Fatal(err)
	}
	rules = stored(t, rules, docs, Change{Rule: &Write{ID: rules[0].ID, Rev: rules[0].Rev, Data: data}}, now.Add(2*time.Minute))
	cats = categoriesOf(t, docs, rules)
	if c := cats["b"]; c.Category != "groceries" || c.Origin != FromRule || c.Rule.Pattern != "amazon" {
		t.Errorf("b after the edit: %q from %d", c.Category, c.Origin)
	}
	if c := cats["a"]; c.Category != "leisure" || c.Origin != FromPerson {
		t.Errorf("a after the edit: %q from %d, want still the person's", c.Category, c.Origin)
	}

	// Deleted: b goes back to the bank's category.
	cats = categoriesOf(t, docs, nil)
	if c := cats["b"]; c.Category != "other" || c.Origin != FromSource {
		t.Errorf("b without the rule: %q from %d", c.Category, c.Origin)
	}

	// Only this one, back to the bank's category: the correction is lifted.
	ch, err = Recategorize(docs["a"], nil, "other", ScopeOne)
	if err != nil || ch.Rule != nil || ch.Operation == nil {
		t.Fatalf("%+v, %v", ch, err)
	}
	stored(t, nil, docs, ch, now.Add(3*time.Minute))
	if docs["a"].Corrected != nil {
		t.Error("the correction back to the bank's category is still there")
	}
}

func TestRecategorizeRefuses(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	doc := opDoc(t, "a", "CB AMAZON PAYMENTS 14/03", "other", "")
	var decides *ErrRuleDecides
	tests := []struct {
		name     string
		doc      store.Doc
		rules    []Rule
		category string
		scope    Scope
		is       func(error) bool
	}{
		{"an unknown category", doc, nil, "shopping", ScopeRule, func(err error) bool { return errors.Is(err, ErrCategory) }},
		{"a raw code that is no category", doc, nil, "", ScopeOne, func(err error) bool { return errors.Is(err, ErrCategory) }},
		{"an unknown scope", doc, nil, "leisure", "all", func(err error) bool { return errors.Is(err, ErrScope) }},
		{"a label without words", opDoc(t, "n", "12/03 4567", "other", ""), nil, "leisure", ScopeRule, func(err error) bool { return errors.Is(err, ErrNoWords) }},
		{"the bank's category against a rule, for this one only", opDoc(t, "a", "CB AMAZON PAYMENTS 14/03", "leisure", "other"),
			[]Rule{rule("r", "AMAZON", "leisure", t0)}, "other", ScopeOne, func(err error) bool { return errors.As(err, &decides) && decides.Rule.ID == "r" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := Recategorize(tt.doc, tt.rules, tt.category, tt.scope)
			if err == nil || !tt.is(err) {
				t.Fatalf("got %+v, %v", ch, err)
			}
		})
	}
	if _, err := EditRule(Rule{}, " 12/03 ", "leisure"); !errors.Is(err, ErrNoWords) {
		t.Errorf("a rule without words: %v", err)
	}
	if _, err := EditRule(Rule{}, strings.Repeat("FNAC ", 41), "leisure"); !errors.Is(err, ErrLong) {
		t.Errorf("a rule too long: %v", err)
	}
	long := opDoc(t, "l", "CB "+strings.Repeat("MAGASIN ", 40), "other", "")
	if ch, err := Recategorize(long, nil, "leisure", ScopeRule); err != nil || ch.Rule == nil {
		t.Errorf("a rule from a long label: %v", err)
	} else if r, _ := ParseRule(store.Doc{ID: "x", Data: ch.Rule.Data}); len([]rune(r.Pattern)) > MaxPattern || !strings.HasPrefix(r.Pattern, "MAGASIN MAGASIN") {
		t.Errorf("a rule from a long label holds %q", r.Pattern)
	}
	if _, err := EditRule(Rule{}, "AMAZON", "Leisure"); !errors.Is(err, ErrCategory) {
		t.Errorf("a category written otherwise: %v", err)
	}
	if got, _ := Recategorize(doc, nil, "other", ScopeOne); got.Operation != nil || got.Rule != nil {
		t.Errorf("the category it already has: %+v, want nothing to write", got)
	}
	if data, err := withCategory(json.RawMessage(`{"label":"x","amount":"-1.00","n":12345678901234567890}`), ""); err != nil || strings.Contains(string(data), "category") || !strings.Contains(string(data), "12345678901234567890") {
		t.Errorf("withCategory: %s, %v", data, err)
	}
}

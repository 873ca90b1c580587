package web

// This file serves My accounts (internal/services/accounts): its page, the forms by which the
// person recategorizes an operation and edits or deletes the rules that makes, and the links
// it adds to record pages. The service reads through its reader; the person's rules, which
// are their settings, are read and written as the person.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/input"
	"selfdata/internal/services"
	"selfdata/internal/services/accounts"
	"selfdata/internal/store"
)

// accountsPath is the service's page.
const accountsPath = "/services/" + services.Accounts

// accountsOps is how many operations the page shows at first, and how many more each
// "show more" adds.
const accountsOps = 30

// accText is a text of this page in the page's language, formatted with args when given.
func (s *Server) accText(lg, key string, args ...any) string {
	t := s.t(lg, key)
	if len(args) > 0 {
		return fmt.Sprintf(t, args...)
	}
	return t
}

// accPlural picks key.one or key.other for n, by the language's plural rules (pluralForm).
func (s *Server) accPlural(lg, key string, n int, args ...any) string {
	if pluralForm(lg, int64(n)) == "one" {
		return s.accText(lg, key+".one", args...)
	}
	return s.accText(lg, key+".other", args...)
}

// accOpsCount is "1 operation", "1 234 operations".
func (s *Server) accOpsCount(lg string, n int) string {
	return s.accPlural(lg, "acc.ops.n", n, groupDigits(strconv.Itoa(n), lg))
}

func accDate(d time.Time, lg string) string { return formatDate(d.Format(time.DateOnly), lg) }

func recordHref(doctype, id string) string {
	return "/data/" + url.PathEscape(doctype) + "/" + url.PathEscape(id)
}

// grantedReader reads only the doctypes the service's grant allows, and notes the others:
// the person may have narrowed the grant on the consent screen, and the page then shows
// what it can instead of failing, without a refused read in the log.
type grantedReader struct {
	services.Reader
	grant   gate.Principal
	missing *[]string
}

func (g grantedReader) Docs(ctx context.Context, dt string, filters ...store.Filter) ([]store.Doc, error) {
	if !g.grant.Allows(dt, gate.Read) {
		*g.missing = append(*g.missing, dt)
		return nil, nil
	}
	return g.Reader.Docs(ctx, dt, filters...)
}

// accountsRead is what the service reads for a page: through its own reader, within its
// grant, and the person's rules through theirs. on is false when the service is off.
func (s *Server) accountsRead(ctx context.Context, owner gate.Principal, rd services.Reader) (b *accounts.Book, rules []accounts.Rule, missing []string, on bool, err error) {
	grant, on, err := s.cons.BuiltIn(ctx, owner.Instance, services.Accounts)
	if err != nil || !on {
		return nil, nil, nil, on, err
	}
	if rd == nil {
		rd = services.Through(s.gate, grant)
	}
	if b, err = accounts.Load(ctx, grantedReader{Reader: rd, grant: grant, missing: &missing}); err != nil {
		return nil, nil, nil, true, err
	}
	rules, err = accounts.LoadRules(ctx, services.Through(s.gate, owner))
	return b, rules, missing, true, err
}

// accountsView is what svc_accounts.html shows.
type accountsView struct {
	Done, Missing, Skipped string

	Banks           []accBank
	Totals          []accStat
	Unknown, AsOf   string
	History         []chartBlock
	Period          string
	Spending        []accSpending
	Categories      []accOption
	Ops             []accOp
	OpsNote, Filter string
	Every, More     string // links to every category, to more operations
	Rules           []accRule
	Bills           []accBill
	BillsNote       string
	Costs           []accCost
	Unclaimed       []accRefund
	Back            url.Values // the view the forms come back to
}

type accStat struct{ Label, Value string }

type accBank struct {
	Name     string
	Accounts []accAccount
}

type accAccount struct{ Name, Type, Balance, On, Href string }

type accSpending struct {
	Caption, Total string
	Rows           []accSpendRow
}

type accSpendRow struct{ Name, Amount, Count, Href string }

type accOption struct{ Code, Name string }

type accLink struct{ Text, Href string }

type accOp struct {
	ID, Anchor, Href, Date, Label, Account, Amount string
	Debit                                          bool
	MoreAnchor                                     bool // the first of those "show more" added
	Category, CategoryName, Origin                 string
	RuleHref                                       string
	Ties                                           []accLink
	Action, Key                                    string // the form, and the words a rule would hold
}

type accRule struct {
	ID, Anchor, Rev, Pattern, Category, CategoryName string
	Learned, LearnedHref, Uses, Action, Delete       string
}

type accBill struct {
	Href, Vendor, Type, Date, Amount string
	Paid                             *accLink
}

type accCost struct {
	Href, Title, Date, Amount, Reimbursed, Remaining string
	Overpaid                                         bool
	Refunds                                          []accRefund
}

type accRefund struct {
	Href, Text string
	Credit     *accLink
}

// accountsPage: GET /services/selfdata-accounts[?category=&n=&done=&rule=&op=], once
// switched on: the accounts, their year, the operations with their categories and forms to
// change them, the rules, the bills with their payments, the health costs with their
// reimbursements.
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request, p gate.Principal, rd services.Reader) error {
	q := r.URL.Query()
	n := accountsOps
	if v := q.Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > 1_000_000 {
			return fieldError("n", "n: %s is not a number of operations to show.", input.Excerpt(v))
		}
	}
	category := q.Get("category")
	b, rules, missing, _, err := s.accountsRead(r.Context(), p, rd)
	if err != nil {
		return err
	}
	cats := accounts.Categorize(b.Operations, rules)
	if category != "" && category != accounts.NoCategory && !accounts.KnownCategory(category) &&
		!slices.ContainsFunc(cats, func(c accounts.Categorized) bool { return c.Category == category }) {
		return fieldError("category", "category: %s is not a category of your operations.", input.Excerpt(category))
	}
	lg := lang(r)
	v := &accountsView{Back: url.Values{}}
	if category != "" {
		v.Back.Set("category", category)
	}
	if n != accountsOps {
		v.Back.Set("n", strconv.Itoa(n))
	}
	s.accountsHead(v, b, missing, lg)
	last := accounts.LastDay(b.Accounts, b.Operations)
	from := accounts.YearFrom(last)
	if !last.IsZero() {
		v.Period = chartDateRange(from, last, lg)
		for i, a := range b.Accounts {
			if h, ok := accounts.Weekly(a, b.Operations, from, last); ok {
				blk := chartBalanceBlock(fmt.Sprintf("c-acc-%d", i), h, lg)
				// The page writes amounts with their currency as the person reads them.
				blk.Stats[0].Value = formatAmount(h.Balances[len(h.Balances)-1], a.Currency, lg)
				blk.Stats[1].Value = formatAmount(h.Balances[0], a.Currency, lg)
				v.History = append(v.History, blk)
			}
		}
	}
	for _, sp := range accounts.Spent(cats, from, last) {
		row := accSpending{Caption: s.accText(lg, "acc.spending") + " (" + chartCurrency(sp.Currency) + "), " + v.Period, Total: formatAmount(sp.Total, sp.Currency, lg)}
		for _, c := range sp.Categories {
			code := c.Category
			if code == "" {
				code = accounts.NoCategory
			}
			row.Rows = append(row.Rows, accSpendRow{Name: chartCategory(c.Category, lg), Amount: formatAmount(c.Amount, sp.Currency, lg),
				Count: s.accOpsCount(lg, c.Count), Href: accountsPath + "?" + url.Values{"category": {code}}.Encode() + "#operations"})
		}
		v.Spending = append(v.Spending, row)
	}
	for _, c := range accounts.Categories {
		v.Categories = append(v.Categories, accOption{Code: c, Name: chartCategory(c, lg)})
	}
	ties := accounts.Tie(b)
	s.accountsOps(v, b, cats, ties, category, n, lg)
	s.accountsRules(v, rules, accounts.RuleUse(cats), lg)
	s.accountsBills(v, b, ties, from, lg)
	s.accountsHealth(v, ties, lg)
	v.Done = s.accountsDone(q, rules, cats, lg)
	return s.render(w, r, http.StatusOK, "svc_accounts.html", page{Title: "svc." + services.Accounts, Data: v})
}

// accountsHead fills the accounts by bank, the totals and the notes.
func (s *Server) accountsHead(v *accountsView, b *accounts.Book, missing []string, lg string) {
	var names []string
	for _, dt := range missing {
		if d, ok := s.gate.Registry().Get(dt); ok {
			names = append(names, labelIn(lg, d.Label))
		}
	}
	if names != nil {
		v.Missing = s.accText(lg, "acc.missing", strings.Join(names, ", "))
	}
	skipped := 0
	for _, k := range b.Skipped {
		skipped += k
	}
	if skipped > 0 {
		v.Skipped = s.accPlural(lg, "acc.skipped", skipped, skipped)
	}
	ov := accounts.Summarize(b.Accounts)
	for _, bk := range ov.Banks {
		vb := accBank{Name: bk.Name}
		for _, a := range bk.Accounts {
			va := accAccount{Name: a.Label, Href: recordHref(accounts.AccountDoctype, a.ID), Balance: s.accText(lg, "acc.nobalance")}
			if _, ok := browseTexts["val."+a.Type]; ok {
				va.Type = tr(lg, "val."+a.Type)
			}
			if a.HasBalance {
				va.Balance, va.On = formatAmount(a.Balance, a.Currency, lg), s.accText(lg, "acc.balanceon", accDate(a.BalanceDate, lg))
			}
			vb.Accounts = append(vb.Accounts, va)
		}
		v.Banks = append(v.Banks, vb)
	}
	for _, t := range ov.Totals {
		label := s.accText(lg, "acc.total")
		if len(ov.Totals) > 1 {
			label = s.accText(lg, "acc.totalof", chartCurrency(t.Currency))
		}
		v.Totals = append(v.Totals, accStat{Label: label + " (" + s.accPlural(lg, "acc.accountsn", t.Accounts, t.Accounts) + ")", Value: formatAmount(t.Amount, t.Currency, lg)})
	}
	if ov.Unknown > 0 {
		v.Unknown = s.accPlural(lg, "acc.unknown", ov.Unknown, ov.Unknown)
	}
	if !ov.AsOf.IsZero() {
		v.AsOf = s.accText(lg, "acc.balanceon", accDate(ov.AsOf, lg))
	}
}

// accountsOps fills the operations shown: the latest, of the category chosen.
func (s *Server) accountsOps(v *accountsView, b *accounts.Book, cats []accounts.Categorized, ties accounts.Ties, category string, n int, lg string) {
	names := map[string]string{}
	for _, a := range b.Accounts {
		names[a.ID] = a.Name()
	}
	shown, total := accounts.Recent(cats, category, n)
	if category != "" {
		code := category
		if code == accounts.NoCategory {
			code = ""
		}
		v.Filter = s.accText(lg, "acc.ops.in", chartCategory(code, lg))
		v.Every = accountsPath + "#operations"
	}
	switch {
	case total == 0:
		v.OpsNote = s.accText(lg, "acc.ops.none")
	case len(shown) < total:
		v.OpsNote = s.accPlural(lg, "acc.ops.shown", len(shown), len(shown), s.accOpsCount(lg, total))
		more := url.Values{"n": {strconv.Itoa(n + accountsOps)}}
		if category != "" {
			more.Set("category", category)
		}
		v.More = accountsPath + "?" + more.Encode() + "#op-more"
	default:
		v.OpsNote = s.accText(lg, "acc.ops.all", s.accOpsCount(lg, total))
	}
	for i, c := range shown {
		o := accOp{ID: c.ID, Anchor: accAnchor("op", c.ID), Href: recordHref(accounts.OperationDoctype, c.ID), Date: accDate(c.Date, lg), Label: c.Label,
			Account: names[c.Account], Amount: formatAmount(c.Amount, c.Currency, lg), Debit: c.Amount.Sign() < 0,
			Category: c.Category, CategoryName: chartCategory(c.Category, lg),
			Action: accountsPath + "/operations/" + url.PathEscape(c.ID) + "/category", Key: accounts.Key(c.Label)}
		if o.Key == "" {
			o.Key = accounts.Key(c.Counterparty)
		}
		o.MoreAnchor = n > accountsOps && i == n-accountsOps
		switch c.Origin {
		case accounts.FromSource:
			o.Origin = s.accText(lg, "acc.from.sourceany")
			if c.Source != "" {
				o.Origin = s.accText(lg, "acc.from.source", c.Source)
			}
		case accounts.FromRule:
			o.Origin, o.RuleHref = s.accText(lg, "acc.from.rule", c.Rule.Pattern), "#"+accAnchor("rule", c.Rule.ID)
		case accounts.FromPerson:
			o.Origin = s.accText(lg, "acc.from.person")
		default:
			o.Origin = s.accText(lg, "acc.from.none")
		}
		if p, ok := ties.Payments.ForOperation(c.ID); ok {
			o.Ties = append(o.Ties, accLink{Text: s.accText(lg, "acc.pays", p.Bill.Vendor, accDate(p.Bill.Date, lg)), Href: recordHref(accounts.BillDoctype, p.Bill.ID)})
		}
		if rf, _, ok := ties.Health.ForCredit(c.ID); ok {
			o.Ties = append(o.Ties, accLink{Text: s.accText(lg, "acc.credits", rf.Reimbursement.Payer), Href: recordHref(accounts.ReimbursementDoctype, rf.Reimbursement.ID)})
		}
		v.Ops = append(v.Ops, o)
	}
}

// accAnchor is an element id for a record id, which may hold any character.
func accAnchor(kind, id string) string {
	return kind + "-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
}

// accountsRules fills the person's rules.
func (s *Server) accountsRules(v *accountsView, rules []accounts.Rule, uses map[string]int, lg string) {
	for _, rl := range rules {
		vr := accRule{ID: rl.ID, Anchor: accAnchor("rule", rl.ID), Rev: rl.Rev, Pattern: rl.Pattern, Category: rl.Category, CategoryName: chartCategory(rl.Category, lg),
			Action: accountsPath + "/rules/" + url.PathEscape(rl.ID), Delete: accountsPath + "/rules/" + url.PathEscape(rl.ID) + "/delete"}
		if rl.Example != "" {
			vr.Learned = s.accText(lg, "acc.rule.learned", formatDay(rl.Created, lg), rl.Example)
		}
		if rl.LearnedFrom != "" {
			vr.LearnedHref = recordHref(accounts.OperationDoctype, rl.LearnedFrom)
		}
		switch n := uses[rl.ID]; n {
		case 0:
			vr.Uses = s.accText(lg, "acc.rule.uses.zero")
		default:
			vr.Uses = s.accPlural(lg, "acc.rule.uses", n, n)
		}
		v.Rules = append(v.Rules, vr)
	}
}

// accountsBills fills the bills of the year (dated or due in it), newest first, with their
// payments.
func (s *Server) accountsBills(v *accountsView, b *accounts.Book, ties accounts.Ties, from time.Time, lg string) {
	linked := 0
	bills := slices.Clone(b.Bills)
	slices.SortStableFunc(bills, func(x, y accounts.Bill) int { return y.Date.Compare(x.Date) })
	for _, bl := range bills {
		if bl.Date.Before(from) && (bl.Due.IsZero() || bl.Due.Before(from)) {
			continue // a bill of an earlier year
		}
		vb := accBill{Href: recordHref(accounts.BillDoctype, bl.ID), Vendor: bl.Vendor, Date: s.accText(lg, "acc.bill.of", accDate(bl.Date, lg)), Amount: formatAmount(bl.Amount, bl.Currency, lg)}
		if _, ok := browseTexts["val."+bl.Type]; ok && bl.Type != "other" {
			vb.Type = tr(lg, "val."+bl.Type)
		}
		if p, ok := ties.Payments.ForBill(bl.ID); ok {
			linked++
			vb.Paid = &accLink{Text: s.accText(lg, "acc.paidby.op", accDate(p.Operation.Date, lg), formatAmount(p.Operation.Amount, p.Operation.Currency, lg)),
				Href: recordHref(accounts.OperationDoctype, p.Operation.ID)}
		}
		v.Bills = append(v.Bills, vb)
	}
	if len(v.Bills) > 0 {
		v.BillsNote = s.accText(lg, "acc.bills.summary", linked, len(v.Bills))
	}
}

// accountsHealth fills the health costs, newest first, with their reimbursements.
func (s *Server) accountsHealth(v *accountsView, ties accounts.Ties, lg string) {
	refund := func(rf accounts.Refund) accRefund {
		r := rf.Reimbursement
		vr := accRefund{Href: recordHref(accounts.ReimbursementDoctype, r.ID), Text: s.accText(lg, "acc.refund", r.Payer, formatAmount(r.Amount, r.Currency, lg), accDate(r.Date, lg))}
		if rf.Credit != nil {
			vr.Credit = &accLink{Text: s.accText(lg, "acc.creditedby", accDate(rf.Credit.Date, lg)), Href: recordHref(accounts.OperationDoctype, rf.Credit.ID)}
		}
		return vr
	}
	costs := ties.Health.Costs
	for i := len(costs) - 1; i >= 0; i-- {
		c := costs[i]
		title := s.accCare(c.Claim.Care, lg)
		if c.Claim.Provider != "" {
			title = s.accText(lg, "acc.cost", title, c.Claim.Provider)
		}
		vc := accCost{Href: recordHref(accounts.ClaimDoctype, c.Claim.ID), Title: title, Date: accDate(c.Claim.Date, lg), Amount: formatAmount(c.Claim.Amount, c.Claim.Currency, lg),
			Reimbursed: formatAmount(c.Reimbursed, c.Claim.Currency, lg), Remaining: formatAmount(c.Remaining, c.Claim.Currency, lg), Overpaid: c.Remaining.Sign() < 0}
		if vc.Overpaid {
			vc.Remaining = formatAmount(c.Remaining.Neg(), c.Claim.Currency, lg)
		}
		for _, rf := range c.Refunds {
			vc.Refunds = append(vc.Refunds, refund(rf))
		}
		v.Costs = append(v.Costs, vc)
	}
	for _, rf := range ties.Health.Unclaimed {
		v.Unclaimed = append(v.Unclaimed, refund(rf))
	}
}

// accCare names a kind of care: the usual ones in the page's language, others as written.
func (s *Server) accCare(care, lg string) string {
	if _, ok := accountsTexts["acc.care."+care]; ok {
		return s.t(lg, "acc.care."+care)
	}
	if care == "" {
		return s.t(lg, "acc.care.consultation")
	}
	return strings.ToUpper(care[:1]) + care[1:]
}

// accountsDone is the confirmation of what the person just did, from the page's address.
func (s *Server) accountsDone(q url.Values, rules []accounts.Rule, cats []accounts.Categorized, lg string) string {
	switch q.Get("done") {
	case "rule", "saved":
		i := slices.IndexFunc(rules, func(r accounts.Rule) bool { return r.ID == q.Get("rule") })
		if i < 0 {
			return ""
		}
		n := accounts.RuleUse(cats)[rules[i].ID]
		key := "acc.done.rule"
		switch {
		case q.Get("done") == "saved":
			key = "acc.done.saved"
		case n == 0:
			key = "acc.done.rule.none"
		}
		return s.accText(lg, key, rules[i].Pattern, s.accOpsCount(lg, n), chartCategory(rules[i].Category, lg))
	case "one":
		i := slices.IndexFunc(cats, func(c accounts.Categorized) bool { return c.ID == q.Get("op") })
		if i < 0 {
			return ""
		}
		return s.accText(lg, "acc.done.one", chartCategory(cats[i].Category, lg))
	case "deleted":
		return s.accText(lg, "acc.done.deleted")
	case "same":
		return s.accText(lg, "acc.done.same")
	}
	return ""
}

// fieldError is a 400 naming the form field at fault.
func fieldError(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &httpError{status: http.StatusBadRequest, detail: msg, params: []doctype.Problem{{Path: field, Message: msg}}}
}

// backCategory is a category as the page writes it in the view a form comes back to.
var backCategory = regexp.MustCompile(`^[a-z_]{1,40}$`)

// accountsBack is the page's address after a form: the confirmation done, and the view the
// form came from (its category and number of operations, as hidden fields), at anchor.
func accountsBack(r *http.Request, done url.Values, anchor string) string {
	if c := r.PostFormValue("view_category"); backCategory.MatchString(c) {
		done.Set("category", c)
	}
	if n, err := strconv.Atoi(r.PostFormValue("view_n")); err == nil && n > 0 && n <= 1_000_000 {
		done.Set("n", strconv.Itoa(n))
	}
	return accountsPath + "?" + done.Encode() + "#" + anchor
}

// accountsRecategorize: POST /services/selfdata-accounts/operations/{op}/category (csrf,
// category, scope: rule or one): the operation in another category — for it alone, or, by a
// rule made of its words, for every operation like it. One transaction: the rule and the
// correction land together or not at all. 303 back to the page.
func (s *Server) accountsRecategorize(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	ctx := r.Context()
	doc, err := s.gate.Get(ctx, p, accounts.OperationDoctype, r.PathValue("op"))
	if err != nil {
		return err
	}
	rules, err := accounts.LoadRules(ctx, services.Through(s.gate, p))
	if err != nil {
		return err
	}
	category, scope := r.PostFormValue("category"), accounts.Scope(r.PostFormValue("scope"))
	ch, err := accounts.Recategorize(doc, rules, category, scope)
	var decides *accounts.ErrRuleDecides
	switch {
	case errors.Is(err, accounts.ErrCategory):
		return fieldError("category", "category: %s is not one of the categories.", input.Excerpt(category))
	case errors.Is(err, accounts.ErrScope):
		return fieldError("scope", "scope: choose %q (every operation like this one) or %q (this one only), not %s.", accounts.ScopeRule, accounts.ScopeOne, input.Excerpt(string(scope)))
	case errors.Is(err, accounts.ErrNoWords):
		return fieldError("scope", "scope: the label of this operation has no words to make a rule from; change this operation only.")
	case errors.As(err, &decides):
		return errorf(http.StatusConflict, "Your rule %q puts operations like this one in %s: change or delete that rule, or change every operation like this one.", decides.Rule.Pattern, decides.Rule.Category)
	case err != nil:
		return err
	}
	ruleID := ""
	err = s.gate.Write(ctx, p, func(b *gate.Batch) error {
		if ch.Rule != nil {
			checked, err := s.gate.Check(accounts.RuleDoctype, []gate.Input{{ID: ch.Rule.ID, Data: ch.Rule.Data}})
			if err != nil {
				return err
			}
			if ch.Rule.ID == "" {
				docs, err := b.Create(accounts.RuleDoctype, checked, p.Source("", s.gate))
				if err != nil {
					return err
				}
				ruleID = docs[0].ID
			} else if _, err := b.Update(ch.Rule.ID, ch.Rule.Rev, checked[0].Valid); err != nil {
				return err
			}
		}
		if ch.Operation != nil {
			checked, err := s.gate.Check(accounts.OperationDoctype, []gate.Input{{ID: ch.Operation.ID, Data: ch.Operation.Data}})
			if err != nil {
				return err
			}
			if _, err := b.Update(ch.Operation.ID, ch.Operation.Rev, checked[0].Valid); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	done := url.Values{}
	switch {
	case ch.Rule != nil:
		if ruleID == "" {
			ruleID = ch.Rule.ID
		}
		done.Set("done", "rule")
		done.Set("rule", ruleID)
	case ch.Operation != nil:
		done.Set("done", "one")
		done.Set("op", doc.ID)
	default:
		done.Set("done", "same")
	}
	http.Redirect(w, r, accountsBack(r, done, accAnchor("op", doc.ID)), http.StatusSeeOther)
	return nil
}

// accountsRule is the person's rule named in the path, or a 404.
func (s *Server) accountsRule(r *http.Request, p gate.Principal) (store.Doc, string, error) {
	doc, err := s.gate.Get(r.Context(), p, accounts.RuleDoctype, r.PathValue("rule"))
	if err != nil {
		return store.Doc{}, "", err
	}
	rev := r.PostFormValue("rev")
	if rev == "" {
		rev = doc.Rev
	}
	return doc, rev, nil
}

// accountsEditRule: POST /services/selfdata-accounts/rules/{rule} (csrf, rev, pattern,
// category): the rule with other words or another category. 303 back to the page.
func (s *Server) accountsEditRule(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	doc, rev, err := s.accountsRule(r, p)
	if err != nil {
		return err
	}
	rl, _ := accounts.ParseRule(doc) // a rule without words can still be given some
	pattern, category := r.PostFormValue("pattern"), r.PostFormValue("category")
	data, err := accounts.EditRule(rl, pattern, category)
	switch {
	case errors.Is(err, accounts.ErrNoWords):
		return fieldError("pattern", "pattern: %s holds no words; a rule matches the words of labels, not their numbers.", input.Excerpt(pattern))
	case errors.Is(err, accounts.ErrLong):
		return fieldError("pattern", "pattern: a rule holds at most %d characters.", accounts.MaxPattern)
	case errors.Is(err, accounts.ErrCategory):
		return fieldError("category", "category: %s is not one of the categories.", input.Excerpt(category))
	case err != nil:
		return err
	}
	if _, err := s.gate.Update(r.Context(), p, accounts.RuleDoctype, doc.ID, rev, data); err != nil {
		return err
	}
	http.Redirect(w, r, accountsBack(r, url.Values{"done": {"saved"}, "rule": {doc.ID}}, accAnchor("rule", doc.ID)), http.StatusSeeOther)
	return nil
}

// accountsDeleteRule: POST /services/selfdata-accounts/rules/{rule}/delete (csrf, rev): the
// rule is gone; the operations it sorted take back the category they had. 303 back.
func (s *Server) accountsDeleteRule(w http.ResponseWriter, r *http.Request, p gate.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := checkCSRF(r); err != nil {
		return err
	}
	doc, rev, err := s.accountsRule(r, p)
	if err != nil {
		return err
	}
	if err := s.gate.Delete(r.Context(), p, accounts.RuleDoctype, doc.ID, rev); err != nil {
		return err
	}
	http.Redirect(w, r, accountsBack(r, url.Values{"done": {"deleted"}}, "rules"), http.StatusSeeOther)
	return nil
}

// accountsRecordLinks is what My accounts ties to the record doctype/id, for its page: the
// payment of a bill, the bill an operation paid, the reimbursements of a health cost... read
// through the service's reader, so logged under its name, and nothing when it is off.
func (s *Server) accountsRecordLinks(ctx context.Context, p gate.Principal, doctype, id, lg string) ([]accLink, error) {
	switch doctype {
	case accounts.BillDoctype, accounts.OperationDoctype, accounts.ClaimDoctype, accounts.ReimbursementDoctype:
	default:
		return nil, nil
	}
	b, _, _, on, err := s.accountsRead(ctx, p, nil)
	if err != nil || !on {
		return nil, err
	}
	var out []accLink
	for _, l := range accounts.Tie(b).Of(doctype, id) {
		amount := formatAmount(l.Amount, l.Currency, lg)
		var text string
		switch l.Kind {
		case accounts.PaidBy, accounts.CreditedBy:
			text = s.accText(lg, "acc.link.op", accDate(l.Date, lg), amount)
		case accounts.Pays:
			text = s.accText(lg, "acc.link.bill", l.Name, accDate(l.Date, lg), amount)
		case accounts.ReimbursedBy, accounts.Credits:
			text = s.accText(lg, "acc.link.refund", l.Name, amount, accDate(l.Date, lg))
		case accounts.Reimburses:
			text = s.accText(lg, "acc.link.claim", s.accCare(l.Name, lg), accDate(l.Date, lg), amount)
		case accounts.Remains:
			text = amount
		}
		link := accLink{Text: s.accText(lg, "acc.link."+l.Kind) + tr(lg, "browse.colon") + " " + text}
		if l.ID != "" {
			link.Href = recordHref(l.Doctype, l.ID)
		}
		out = append(out, link)
	}
	return out, nil
}

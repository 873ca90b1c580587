package contracts

import "time"

// AddMonths is the day n months after d (before, when n < 0), as French law counts a period in
// months (Code de procédure civile, art. 641): the same day of the month, or the month's last
// day when it has no such day. It always counts from d, never step by step, so that a
// contract started on 31 January renews on 28 or 29 February and then on 31 March again.
// Days are civil dates at midnight UTC.
func AddMonths(d time.Time, n int) time.Time {
	m := int(d.Month()) - 1 + n
	y := d.Year() + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day() // day 0 of the month after
	return time.Date(y, time.Month(m+1), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// NextRenewal is the first renewal of a contract started on start with a term of termMonths
// that falls after asOf: start plus a whole number (at least one) of terms. It is zero for a
// contract without a start or a term, and when the contract ends (end, if set) before it.
func NextRenewal(start time.Time, termMonths int, end, asOf time.Time) time.Time {
	if start.IsZero() || termMonths <= 0 {
		return time.Time{}
	}
	// Jump close to asOf, then step: k terms from start.
	k := max(1, ((asOf.Year()-start.Year())*12+int(asOf.Month())-int(start.Month()))/termMonths)
	for k > 1 && AddMonths(start, k*termMonths).After(asOf) {
		k--
	}
	r := AddMonths(start, k*termMonths)
	for !r.After(asOf) {
		k++
		r = AddMonths(start, k*termMonths)
	}
	if !end.IsZero() && r.After(end) {
		return time.Time{}
	}
	return r
}

// RenewalAfter is the renewal that follows the renewal r of the same contract.
func RenewalAfter(start time.Time, termMonths int, r time.Time) time.Time {
	return NextRenewal(start, termMonths, time.Time{}, r)
}

// NoticeDeadline is the last day to send notice of noticeMonths before the date d: notice "of
// at least two months before 1 January" must leave by 31 October.
func NoticeDeadline(d time.Time, noticeMonths int) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return AddMonths(d, -noticeMonths).AddDate(0, 0, -1)
}

// monthsLeft counts the months, a started one counting whole, from the day asOf to the day
// after last.
func monthsLeft(asOf, last time.Time) int {
	n := 0
	for !AddMonths(asOf, n).After(last) {
		n++
	}
	return n
}

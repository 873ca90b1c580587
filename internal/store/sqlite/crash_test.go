package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/store"
)

// The crash test checks the promise the package makes: a crash (kill -9) during a write load
// loses no acknowledged write and leaves a store that opens cleanly. A test cannot kill itself,
// so it re-executes its own binary as a child that writes until killed (TestCrashHelper), and
// the parent checks what the child said it had committed.

// crashDirEnv names the data directory the child writes to; its absence means "not the child".
const crashDirEnv = "SELFDATA_CRASH_DIR"

const (
	// crashAcks is how many commits the parent sees acknowledged before it kills the child:
	// enough that the kill lands in the middle of a steady write load.
	crashAcks = 200
	// crashWait bounds how long the parent waits for them on a slow machine.
	crashWait = 20 * time.Second
)

// crashDay is the UTC day whose 48 half-hourly readings commit i writes.
func crashDay(i int) time.Time {
	return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
}

// crashDocs are the documents of commit i. Both processes derive them from i, so that the
// parent can check content, not only presence.
func crashDocs(i int) []store.NewDoc {
	docs := make([]store.NewDoc, 3)
	for k := range docs {
		docs[k] = store.NewDoc{
			ID:     fmt.Sprintf("c%05d-%d", i, k),
			Data:   fmt.Appendf(nil, `{"date":%q,"label":"crash test %d.%d","amount":%d.%02d,"category":"groceries"}`, crashDay(i).Format(time.DateOnly), i, k, -i, k),
			Source: store.Source{Kind: "organization", ID: "bank", Name: "Banque", Batch: strconv.Itoa(i)},
		}
	}
	return docs
}

func crashReadings(i int) []store.Reading {
	rs := make([]store.Reading, 48)
	for j := range rs {
		rs[j] = store.Reading{At: crashDay(i).Add(time.Duration(j) * 30 * time.Minute), Value: float64(i*100 + j)}
	}
	return rs
}

// crashBlob is a few kilobytes, more than one write to the file.
func crashBlob(i int) []byte {
	return bytes.Repeat(fmt.Appendf(nil, "blob of commit %06d;", i), 300)
}

func crashLog(i int) store.LogEntry {
	return store.LogEntry{At: crashDay(i), Principal: "organization", ActorID: "bank", Doctype: "bank.operation", Verb: "write", Count: 3, Purpose: fmt.Sprintf("crash %d", i)}
}

// crashWrite is commit i: documents, readings, a file and the access-log entry, as a deposit
// writes them.
func crashWrite(ctx context.Context, db *DB, inst string, i int) ([]store.Doc, string, error) {
	var docs []store.Doc
	var sha string
	err := db.Update(ctx, inst, func(w store.Writer) error {
		var err error
		if docs, err = w.CreateDocs(ctx, "bank.operation", crashDocs(i)); err != nil {
			return err
		}
		if _, err = w.AddReadings(ctx, "meter", crashReadings(i)); err != nil {
			return err
		}
		if sha, _, err = w.PutBlob(ctx, bytes.NewReader(crashBlob(i))); err != nil {
			return err
		}
		return w.AppendLog(ctx, crashLog(i))
	})
	return docs, sha, err
}

// TestCrashHelper is the child of TestCrash: it writes until it is killed and acknowledges each
// commit on stdout as "ack I SHA ID...". os.Stdout is not buffered in Go, so each line is one
// write(2) made after the commit returned: a line the parent reads is a commit the store
// acknowledged.
func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("the child process of TestCrash; runs only when " + crashDirEnv + " is set")
	}
	ctx := context.Background()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "crash", "h")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, in.ID, func(w store.Writer) error {
		_, err := w.CreateSeries(ctx, store.Series{ID: "meter", Doctype: "reading.electricity", Name: "Compteur", Quantity: "energy", Unit: "Wh"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Bounded, so that a child whose parent died does not write for ever (-test.timeout also
	// stops it); the parent fails if the child ever gets to the end.
	for i := range 100_000 {
		docs, sha, err := crashWrite(ctx, db, in.ID, i)
		if err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
		line := fmt.Sprintf("ack %d %s", i, sha)
		for _, d := range docs {
			line += " " + d.ID
		}
		if _, err := fmt.Fprintln(os.Stdout, line); err != nil {
			t.Fatal(err)
		}
	}
}

// ack is one commit the child acknowledged.
type ack struct {
	i   int
	sha string
	ids []string
}

func parseAck(line string) (ack, error) {
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "ack" {
		return ack{}, fmt.Errorf("unexpected line %q from the child", line)
	}
	i, err := strconv.Atoi(f[1])
	if err != nil {
		return ack{}, fmt.Errorf("unexpected line %q from the child", line)
	}
	return ack{i: i, sha: f[2], ids: f[3:]}, nil
}

// TestCrash kills a writing child with SIGKILL and checks that the store opens, passes
// SQLite's integrity check, holds every acknowledged commit whole and accepts new writes.
func TestCrash(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("inside the child")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*crashWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// Only whole lines count: a line cut by the kill was never acknowledged.
	lines := make(chan string)
	go func() {
		defer close(lines)
		r := bufio.NewReader(stdout)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			lines <- line
		}
	}()
	var acks []ack
	timeout := time.After(crashWait)
wait:
	for len(acks) < crashAcks {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("the child stopped after %d commits:\n%s", len(acks), stderr.String())
			}
			a, err := parseAck(line)
			if err != nil {
				t.Fatal(err)
			}
			acks = append(acks, a)
		case <-timeout:
			t.Logf("only %d commits in %v; killing the child now", len(acks), crashWait)
			break wait
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Lines already in the pipe were acknowledged before the kill: check them too.
	for line := range lines {
		a, err := parseAck(line)
		if err != nil {
			t.Fatal(err)
		}
		acks = append(acks, a)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Exited() {
		t.Fatalf("the child was not killed but ended: %v\n%s", err, stderr.String())
	}
	if len(acks) == 0 {
		t.Fatalf("no commit acknowledged before the kill:\n%s", stderr.String())
	}
	t.Logf("killed after %d acknowledged commits", len(acks))

	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer db.Close()
	checkIntegrity(t, File(dir))
	checkAcked(t, db, acks)

	// The store accepts new writes after the crash.
	in, err := db.Instance(context.Background(), "crash")
	if err != nil {
		t.Fatal(err)
	}
	next := acks[len(acks)-1].i + 1000
	if _, _, err := crashWrite(context.Background(), db, in.ID, next); err != nil {
		t.Fatalf("write after the crash: %v", err)
	}
	checkAcked(t, db, []ack{{i: next, sha: sha256Hex(crashBlob(next)), ids: []string{fmt.Sprintf("c%05d-0", next)}}})
}

// checkIntegrity runs SQLite's own consistency checks on a plain connection to the file.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`PRAGMA integrity_check`)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		problems = append(problems, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		t.Fatalf("integrity_check after the crash: %v", problems)
	}
	rows, err = raw.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("foreign_key_check after the crash reports dangling rows")
	}
}

// checkAcked checks that each acknowledged commit is there whole: documents with their data,
// the day's readings, the file's content and the access-log entry.
func checkAcked(t *testing.T, db *DB, acks []ack) {
	t.Helper()
	ctx := context.Background()
	in, err := db.Instance(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]bool{}
	for q := (store.LogQuery{Limit: 1000}); ; {
		es, err := db.AccessLog(ctx, in.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			logged[e.Purpose] = true
		}
		q.Before = es[len(es)-1].Seq
	}
	for _, a := range acks {
		want := crashDocs(a.i)
		if len(a.ids) == 0 {
			t.Errorf("commit %d: acknowledged without document ids", a.i)
		}
		for k, id := range a.ids {
			d, err := db.Doc(ctx, in.ID, "bank.operation", id)
			if err != nil {
				t.Errorf("commit %d: document %s: %v", a.i, id, err)
				continue
			}
			if string(d.Data) != string(want[k].Data) {
				t.Errorf("commit %d: document %s holds %s, want %s", a.i, id, d.Data, want[k].Data)
			}
		}
		rs, err := db.Readings(ctx, in.ID, "meter", crashDay(a.i), crashDay(a.i+1), 0)
		if err != nil {
			t.Errorf("commit %d: readings: %v", a.i, err)
		} else if !sameReadings(rs, crashReadings(a.i)) {
			t.Errorf("commit %d: the %d readings read back differ from the 48 written", a.i, len(rs))
		}
		if a.sha != sha256Hex(crashBlob(a.i)) {
			t.Errorf("commit %d: acknowledged file %s, want %s", a.i, a.sha, sha256Hex(crashBlob(a.i)))
		}
		if f, err := db.OpenBlob(ctx, in.ID, a.sha); err != nil {
			t.Errorf("commit %d: file: %v", a.i, err)
		} else {
			b, err := io.ReadAll(f)
			f.Close()
			if err != nil || !bytes.Equal(b, crashBlob(a.i)) {
				t.Errorf("commit %d: file content differs (%d bytes, %v)", a.i, len(b), err)
			}
		}
		if !logged[crashLog(a.i).Purpose] {
			t.Errorf("commit %d: access-log entry missing", a.i)
		}
	}
}

func sameReadings(a, b []store.Reading) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].At.Equal(b[i].At) || a[i].Value != b[i].Value {
			return false
		}
	}
	return true
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

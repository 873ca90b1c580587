package web

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"selfdata/internal/auth"
	"selfdata/internal/consent"
	"selfdata/internal/doctype"
	"selfdata/internal/gate"
	"selfdata/internal/importer"
	"selfdata/internal/importer/archive"
	"selfdata/internal/importer/formats"
	"selfdata/internal/oauth"
	"selfdata/internal/restore"
	"selfdata/internal/store"
	"selfdata/internal/store/postgres"
	"selfdata/internal/store/postgres/pgtest"
	"selfdata/internal/store/sqlite"
)

// maxUploadPeak is the most resident memory the server process may reach while it takes the
// largest legal upload of a kind with the default limits (DefaultConfig): 256 MiB.
const maxUploadPeak = 256 << 20

// The child process of TestUploadPeakMemory is told its scenario and its PostgreSQL schema
// through these variables.
const (
	memScenarioEnv = "SELFDATA_MEM_SCENARIO"
	memPostgresEnv = "SELFDATA_MEM_POSTGRES_URL"
)

// memScenario is one kind of upload at its largest.
type memScenario struct {
	name     string
	postgres bool
	as       string // "token" (the owner's *:read+write token), "session" or "deposit"
	want     int    // the status the upload must get
	// request builds the upload to the server at base; its body is made as it is sent.
	request func(base string) (*http.Request, error)
}

func memScenarios() []memScenario {
	const maxImport = importer.MaxFileBytes
	raw := func(path string) func(base string) (*http.Request, error) {
		return func(base string) (*http.Request, error) {
			return sized("POST", base+path, noise(DefaultConfig.MaxFileBytes), DefaultConfig.MaxFileBytes)
		}
	}
	imp := func(name string, gen func(n int64, from int) io.Reader, n int64) func(base string) (*http.Request, error) {
		return func(base string) (*http.Request, error) {
			return sized("POST", base+"/api/v1/imports?name="+name, gen(n, 0), n)
		}
	}
	return []memScenario{
		{name: "raw file of 100 MiB, SQLite", as: "token", want: 201, request: raw("/api/v1/files?name=big.bin")},
		{name: "raw file of 100 MiB, PostgreSQL", postgres: true, as: "token", want: 201, request: raw("/api/v1/files?name=big.bin")},
		{name: "deposited file of 100 MiB, PostgreSQL", postgres: true, as: "deposit", want: 201, request: raw("/api/v1/deposits/files?id=F1&name=big.pdf")},
		{name: "Enedis load curve import at the limit, SQLite", as: "token", want: 200, request: imp("Enedis_SGE_HDM.csv", loadCurveCSV, maxImport)},
		{name: "Enedis load curve import at the limit, PostgreSQL", postgres: true, as: "token", want: 200, request: imp("Enedis_SGE_HDM.csv", loadCurveCSV, maxImport)},
		{name: "OFX bank statement import at the limit, SQLite", as: "token", want: 200, request: imp("releve.ofx", ofxStatement, maxImport)},
		{name: "OFX bank statement import at the limit, PostgreSQL", postgres: true, as: "token", want: 200, request: imp("releve.ofx", ofxStatement, maxImport)},
		{name: "Google location history import at the limit, SQLite", as: "token", want: 200, request: imp("Records.json", locationRecords, maxImport)},
		{name: "OFX bank statement on the import page at the limit, SQLite", as: "session", want: 200, request: func(base string) (*http.Request, error) {
			return importPageUpload(base, "releve.ofx", ofxStatement(maxImport, 0), maxImport)
		}},
		{name: "zip of bank statements at the archive bounds, SQLite", as: "token", want: 200, request: func(base string) (*http.Request, error) {
			return http.NewRequest("POST", base+"/api/v1/imports?name=export.zip", zipOf(ofxStatement, "releve-%d.ofx", archive.MaxTotalBytes))
		}},
		{name: "Enedis load curve of 100 MiB, refused past the import limit, SQLite", as: "token", want: 413, request: imp("Enedis_SGE_HDM.csv", loadCurveCSV, DefaultConfig.MaxFileBytes)},
		{name: "deposit of readings at the JSON limit, SQLite", as: "deposit", want: 200, request: func(base string) (*http.Request, error) {
			return sized("POST", base+"/api/v1/deposits", depositJSON(DefaultConfig.MaxBodyBytes), DefaultConfig.MaxBodyBytes)
		}},
		{name: "deposit of bills at the JSON limit, SQLite", as: "deposit", want: 200, request: func(base string) (*http.Request, error) {
			return sized("POST", base+"/api/v1/deposits", depositBillsJSON(DefaultConfig.MaxBodyBytes), DefaultConfig.MaxBodyBytes)
		}},
	}
}

// TestUploadPeakMemory runs each of the largest legal uploads in a process of its own — the
// test binary again, with the server and a streaming client in it — and reads the kernel's
// high-water mark of that process's resident memory (VmHWM), which counts everything: the Go
// heap at its peak between collections (GOGC left at its default), the SQLite pages, the
// buffers of the drivers. Memory, unlike time, does not depend on the load of the machine,
// so the bound can be asserted.
func TestUploadPeakMemory(t *testing.T) {
	if name := os.Getenv(memScenarioEnv); name != "" {
		runMemScenario(t, name, os.Getenv(memPostgresEnv))
		return
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc/self/status: the peak resident memory is read from Linux's proc files")
	}
	for _, sc := range memScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			env := []string{memScenarioEnv + "=" + sc.name}
			if sc.postgres {
				env = append(env, memPostgresEnv+"="+pgtest.URL(t))
			}
			peak, base, heap := runMemChild(t, env)
			t.Logf("peak resident %d MiB (%d MiB before the upload), peak Go heap %d MiB", peak>>20, base>>20, heap>>20)
			if peak > maxUploadPeak {
				t.Errorf("peak resident memory %d MiB, more than %d MiB", peak>>20, maxUploadPeak>>20)
			}
		})
	}
}

// runMemChild runs the scenario in a child process with the Go runtime's default settings.
func runMemChild(t *testing.T, env []string) (peak, base, heap int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestUploadPeakMemory$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`MEM peak=(\d+) base=(\d+) heap=(\d+)`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	peak, _ = strconv.ParseInt(string(m[1]), 10, 64)
	base, _ = strconv.ParseInt(string(m[2]), 10, 64)
	heap, _ = strconv.ParseInt(string(m[3]), 10, 64)
	return peak, base, heap
}

// runMemScenario is the child's side: a server with the default limits, the upload, and the
// figures printed for the parent.
func runMemScenario(t *testing.T, name, pgURL string) {
	var sc memScenario
	for _, s := range memScenarios() {
		if s.name == name {
			sc = s
		}
	}
	if sc.request == nil {
		t.Fatalf("no scenario %q", name)
	}
	ms := newMemServer(t, pgURL)
	base := vmHWM(t)
	stop, heapPeak := sampleHeap()
	req, err := sc.request(ms.http.URL)
	if err != nil {
		t.Fatal(err)
	}
	switch sc.as {
	case "token":
		req.Header.Set("Authorization", "Bearer "+ms.token)
	case "deposit":
		req.Header.Set("Authorization", "Bearer "+ms.deposit)
	case "session":
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ms.session})
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
	res.Body.Close()
	stop()
	if res.StatusCode != sc.want {
		t.Fatalf("%s: status %d, want %d: %s", name, res.StatusCode, sc.want, body)
	}
	fmt.Printf("MEM peak=%d base=%d heap=%d\n", vmHWM(t), base, *heapPeak)
}

// memServer is a server over a real store with one person, alice, her token and session,
// and Enedis's deposit credential for her.
type memServer struct {
	http                    *httptest.Server
	token, session, deposit string
}

func newMemServer(t *testing.T, pgURL string) *memServer {
	t.Helper()
	ctx := context.Background()
	var db store.Store
	if pgURL != "" {
		pg, err := postgres.Open(ctx, pgURL, pgtest.Key)
		if err != nil {
			t.Fatal(err)
		}
		db = pg
	} else {
		sq, err := sqlite.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		db = sq
	}
	t.Cleanup(func() { db.Close() })
	reg, err := doctype.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := auth.NewService(db, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	g := gate.New(db, reg)
	orgs := restore.NewOrgs(db, reg)
	deps := Deps{Gate: g, Auth: a, Orgs: orgs, Importer: restore.NewImporter(g, formats.All()), Consent: consent.NewGrants(db, reg)}
	if deps.OAuth, err = oauth.New(ctx, oauth.DefaultConfig, db, deps.Consent); err != nil {
		t.Fatal(err)
	}
	srv, err := New(DefaultConfig, deps, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ms := &memServer{http: httptest.NewServer(srv.Handler())}
	t.Cleanup(ms.http.Close)
	h, err := auth.HashPassphraseWith("correct horse battery alice", auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	in, err := db.CreateInstance(ctx, "alice", h)
	if err != nil {
		t.Fatal(err)
	}
	if ms.session, _, err = a.Login(ctx, "alice", "correct horse battery alice", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if ms.token, _, err = a.CreateToken(ctx, in.ID, "*:read+write", "memory"); err != nil {
		t.Fatal(err)
	}
	ms.deposit = enedisDeposit(t, orgs, in.ID)
	return ms
}

// enedisDeposit registers Enedis, connects it to the instance and claims its credential.
func enedisDeposit(t *testing.T, orgs *restore.Orgs, instanceID string) string {
	t.Helper()
	ctx := context.Background()
	key, err := orgs.Add(ctx, store.Organization{ID: "enedis", Name: "Enedis", Website: "https://www.enedis.fr", Contact: "contact@example.org", DPO: "dpo@example.org",
		Declaration: store.Declaration{Purposes: []string{"billing"}, LegalBasis: "legal_obligation", Doctypes: []string{"meter", "reading.electricity", "bill"}, Retention: "3 years", Recipients: []string{"your supplier"}}})
	if err != nil {
		t.Fatal(err)
	}
	org, err := orgs.Organization(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := orgs.Request(ctx, org, "alice", []string{"meter", "reading.electricity", "bill"})
	if err != nil {
		t.Fatal(err)
	}
	if err := orgs.Decide(ctx, instanceID, c.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := orgs.Claim(ctx, org, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// vmHWM is the process's peak resident memory so far, in bytes.
func vmHWM(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// sampleHeap samples the Go heap's live and not yet collected objects every few
// milliseconds, to tell the Go heap's part of the peak; stop ends it.
func sampleHeap() (stop func(), peak *int64) {
	peak = new(int64)
	done, finished := make(chan struct{}), make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, int64(s[0].Value.Uint64()))
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }, peak
}

// sized is a request whose body has a known length (so it is not sent chunked).
func sized(method, url string, body io.Reader, n int64) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, err
	}
	req.ContentLength = n
	return req, nil
}

// noise is n pseudo-random bytes, made as they are read.
func noise(n int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{1}), n)
}

// loadCurveCSV is an Enedis SGE "historique de mesures" export of exactly n bytes, made as it
// is read: blocks of ten years of 30-minute load curve, one meter each, as an export for many
// meters would be, padded with blank lines (which the format allows) to the last byte.
func loadCurveCSV(n int64, from int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(&limitedWriter{w: pw, left: n}, 64<<10)
		written := int64(0)
		line := func(s string) bool {
			if written+int64(len(s)) > n {
				return false
			}
			w.WriteString(s)
			written += int64(len(s))
			return true
		}
		r := rand.New(rand.NewPCG(1, 2))
		paris := time.FixedZone("", 3600)
		const rowsPerMeter = 10 * 365 * 48
		ok := true
		for meter := 0; ok; meter++ {
			ok = line("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;Etape metier;Unite;Pas en minutes\n") &&
				line(fmt.Sprintf("%014d;Courbe de charge;01/01/2015;01/01/2025;Energie active;Consommation;Comptage Brut;W;30\n", 9111642617347+1000*from+meter)) &&
				line("Horodate;Valeur\n")
			at := time.Date(2015, 1, 1, 0, 30, 0, 0, paris)
			for i := 0; ok && i < rowsPerMeter; i++ {
				ok = line(at.Format(time.RFC3339) + ";" + strconv.Itoa(r.IntN(6000)) + "\n")
				at = at.Add(30 * time.Minute)
			}
		}
		for ; written < n; written++ {
			w.WriteByte('\n')
		}
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

// limitedWriter refuses to write past its size, so a generator's mistake fails the test
// instead of sending more than it says.
type limitedWriter struct {
	w    io.Writer
	left int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.left {
		return 0, fmt.Errorf("generator wrote past its size")
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}

// zipOf is a zip archive, deflated as it is read, of eight files made by gen that expand to
// just under total bytes, named by the pattern.
func zipOf(gen func(n int64, from int) io.Reader, pattern string, total int64) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		zw := zip.NewWriter(pw)
		for i := range 8 {
			w, err := zw.Create(fmt.Sprintf(pattern, i))
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			if _, err := io.Copy(w, gen(total/8-1, i)); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(zw.Close())
	}()
	return pr
}

// importPageUpload posts a file of n bytes, read from content, through the import page's form.
func importPageUpload(base, name string, content io.Reader, n int64) (*http.Request, error) {
	const boundary = "memoryboundary0123456789"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + testCSRF + "\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	body := io.MultiReader(strings.NewReader(head), content, strings.NewReader(tail))
	req, err := sized("POST", base+"/import", body, int64(len(head))+n+int64(len(tail)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	return req, nil
}

// ofxStatement is an OFX 1.02 bank statement of exactly n bytes (padded with blank lines
// before its end), made as it is read: card payments, one an hour, as a bank's download of
// an account's whole history would be.
func ofxStatement(n int64, from int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(&limitedWriter{w: pw, left: n}, 64<<10)
		const head = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n" +
			"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20250101<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>\n" +
			"<BANKMSGSRSV1><STMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR\n" +
			"<BANKACCTFROM><BANKID>30004<BRANCHID>00001<ACCTID>00012345678<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>20000101<DTEND>20250101\n"
		const tail = "</BANKTRANLIST><LEDGERBAL><BALAMT>100.00<DTASOF>20250101</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
		w.WriteString(head)
		written := int64(len(head) + len(tail))
		at := time.Date(2000, 1, 1, 8, 0, 0, 0, time.UTC)
		r := rand.New(rand.NewPCG(5, 6))
		for i := 0; ; i++ {
			s := fmt.Sprintf("<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>%s\n<TRNAMT>-%d.%02d\n<FITID>%012d\n<NAME>CARTE X%04d COMMERCE %d\n<MEMO>PAIEMENT PAR CARTE DU %s\n</STMTTRN>\n",
				at.Format("20060102150405"), r.IntN(300), r.IntN(100), from*10_000_000+i, r.IntN(10000), r.IntN(500), at.Format("02/01/2006"))
			if written+int64(len(s)) > n {
				break
			}
			w.WriteString(s)
			written += int64(len(s))
			at = at.Add(time.Hour)
		}
		w.WriteString(strings.Repeat("\n", int(n-written)))
		w.WriteString(tail)
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

// locationRecords is a Google Takeout Records.json of exactly n bytes (padded with spaces),
// made as it is read: a position every two minutes, as a phone records them.
func locationRecords(n int64, from int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(&limitedWriter{w: pw, left: n}, 64<<10)
		const head, tail = "{\n  \"locations\": [", "\n  ]\n}\n"
		w.WriteString(head)
		written := int64(len(head) + len(tail))
		at := time.Date(2015+from, 1, 1, 0, 0, 0, 0, time.UTC)
		r := rand.New(rand.NewPCG(8, 9))
		for i := 0; ; i++ {
			s := fmt.Sprintf("{\n    \"latitudeE7\": %d,\n    \"longitudeE7\": %d,\n    \"accuracy\": %d,\n    \"source\": \"WIFI\",\n    \"timestamp\": \"%s\"\n  }",
				457600000+r.IntN(100000), 48300000+r.IntN(100000), 5+r.IntN(50), at.Format("2006-01-02T15:04:05.000Z"))
			if i > 0 {
				s = "," + s
			}
			if written+int64(len(s)) > n {
				break
			}
			w.WriteString(s)
			written += int64(len(s))
			at = at.Add(2 * time.Minute)
		}
		w.WriteString(strings.Repeat(" ", int(n-written)))
		w.WriteString(tail)
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

// depositBillsJSON is a deposit of bills of exactly n bytes, padded with spaces.
func depositBillsJSON(n int64) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(&limitedWriter{w: pw, left: n}, 64<<10)
		const head, tail = `{"documents":[`, `]}`
		w.WriteString(head)
		written := int64(len(head) + len(tail))
		r := rand.New(rand.NewPCG(12, 13))
		day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; ; i++ {
			s := fmt.Sprintf(`{"doctype":"bill","id":"F-%08d","data":{"vendor":"Enedis","date":"%s","amount":"%d.%02d","currency":"EUR","type":"electricity"}}`, i, day.Format(time.DateOnly), r.IntN(500), r.IntN(100))
			if i > 0 {
				s = "," + s
			}
			if written+int64(len(s)) > n {
				break
			}
			w.WriteString(s)
			written += int64(len(s))
			day = day.AddDate(0, 0, 1)
		}
		w.WriteString(strings.Repeat(" ", int(n-written)) + tail)
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

// depositJSON is a deposit of n bytes: one series of 30-minute readings, padded with spaces.
func depositJSON(n int64) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(&limitedWriter{w: pw, left: n}, 64<<10)
		head := `{"documents":[{"doctype":"meter","id":"PRM-1","data":{"kind":"electricity","identifier":"09111642617347","provider":"Enedis"}}],` +
			`"series":[{"id":"load","doctype":"reading.electricity","name":"Courbe de charge","quantity":"energy","unit":"Wh","meter":"PRM-1","readings":[`
		const tail = `]}]}`
		w.WriteString(head)
		written := int64(len(head))
		at := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
		r := rand.New(rand.NewPCG(3, 4))
		for i := 0; ; i++ {
			s := `{"at":"` + at.Format(time.RFC3339) + `","value":` + strconv.Itoa(r.IntN(3000)) + `}`
			if i > 0 {
				s = "," + s
			}
			if written+int64(len(s))+int64(len(tail)) > n {
				break
			}
			w.WriteString(s)
			written += int64(len(s))
			at = at.Add(30 * time.Minute)
		}
		w.WriteString(strings.Repeat(" ", int(n-written-int64(len(tail)))))
		w.WriteString(tail)
		pw.CloseWithError(w.Flush())
	}()
	return pr
}

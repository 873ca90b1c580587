package web

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// rawPost sends a POST whose body is chunked by hand, so that it can be broken, and returns
// the answer's status and body.
func (ts *testServer) rawPost(t *testing.T, path string, header map[string]string, chunked string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", ts.http.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n", path, ts.http.Listener.Addr())
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("\r\n" + chunked)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestBrokenUploadBody: an upload whose chunked encoding breaks half-way is answered 400 with
// a problem (or, on the import page, the page) saying the file did not arrive whole — not
// 500 — on every route that takes an upload, and writes nothing.
func TestBrokenUploadBody(t *testing.T) {
	ts := newTestServer(t)
	const broken = "10\r\ncompteur;date;in\r\nzz\r\nmore\r\n0\r\n\r\n" // "zz" is no chunk size
	const boundary = "brokenboundary"
	part := func(field, file string) string {
		return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"" + file + "\r\n\r\n"
	}
	form := part("csrf", "") + testCSRF + "\r\n" + part("file", `; filename="eau.csv"`)
	formChunk := fmt.Sprintf("%x\r\n%s\r\n", len(form), form) + broken
	bearer := "Bearer " + ts.alice.token
	multipart := "multipart/form-data; boundary=" + boundary
	tests := []struct {
		name, path string
		header     map[string]string
		body, want string
	}{
		{"a raw file", "/api/v1/files?name=eau.csv", map[string]string{"Authorization": bearer}, broken, "could not be read to its end"},
		{"a file in a form", "/api/v1/files", map[string]string{"Authorization": bearer, "Content-Type": multipart}, formChunk, "could not be read to its end"},
		{"an import", "/api/v1/imports?name=eau.csv", map[string]string{"Authorization": bearer}, broken, "could not be read to its end"},
		{"the import page", "/import", map[string]string{"Cookie": sessionCookie + "=" + ts.alice.session + "; " + csrfCookie + "=" + testCSRF, "Content-Type": multipart, "Accept-Language": "en"}, formChunk, "did not arrive whole"},
		{"a deposit", "/api/v1/deposits", map[string]string{"Authorization": "Bearer " + ts.deposit, "Content-Type": "application/json"}, broken, "could not be read"},
		{"a deposited file", "/api/v1/deposits/files?id=F1&name=f.pdf", map[string]string{"Authorization": "Bearer " + ts.deposit}, broken, "could not be read to its end"},
	}
	before := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:alice"}).body
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := ts.rawPost(t, tt.path, tt.header, tt.body)
			if status != http.StatusBadRequest || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want 400 saying %q: %s", status, tt.want, body)
			}
		})
	}
	if after := ts.do(t, request{method: "GET", path: "/api/v1/holdings", as: "session:alice"}).body; after != before {
		t.Fatalf("broken uploads wrote something:\nbefore %s\nafter  %s", before, after)
	}
}

// untouchedBody is a request body that records whether the handler read it.
type untouchedBody struct{ read bool }

func (u *untouchedBody) Read([]byte) (int, error) {
	u.read = true
	return 0, errors.New("the body was read")
}
func (u *untouchedBody) Close() error { return nil }

// TestUploadsRefusedUnread: a principal that may not write files — a bill:read token, a
// service granted reading bills — is refused an import or a file upload with the gate's 403
// before the handler reads a byte of the body (which here would be read, and expanded, at
// the server's cost).
func TestUploadsRefusedUnread(t *testing.T) {
	ts := newTestServer(t)
	bills, _, err := ts.auth.CreateToken(bg, ts.alice.in.ID, "bill:read", "bills only")
	if err != nil {
		t.Fatal(err)
	}
	who := map[string]string{"bill:read token": "Bearer " + bills, "read-only service": servicePrincipals(t, ts)["service"]}
	for name, auth := range who {
		for _, path := range []string{"/api/v1/imports?name=export.zip", "/api/v1/files?name=export.zip"} {
			t.Run(name+" "+path, func(t *testing.T) {
				body := &untouchedBody{}
				req := httptest.NewRequest("POST", path, body)
				req.Header.Set("Authorization", auth)
				rec := httptest.NewRecorder()
				ts.srv.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "may not write file") || body.read {
					t.Fatalf("status %d, body read %v: %s", rec.Code, body.read, rec.Body)
				}
			})
		}
	}
}

// TestImportPageSaysWhyAnArchiveIsRefused: the import page names the entry of a refused
// archive and says which bound it passed in the person's language.
func TestImportPageSaysWhyAnArchiveIsRefused(t *testing.T) {
	ts := newTestServer(t)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("zeros.csv")
	w.Write(make([]byte, 1<<20))
	zw.Close()
	for lang, want := range map[string]string{
		"fr": "Ce fichier est compressé plus de 100 fois",
		"en": "This file is compressed more than 100 times",
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", testCSRF)
		fw, _ := mw.CreateFormFile("file", "export.zip")
		fw.Write(zbuf.Bytes())
		mw.Close()
		req, _ := http.NewRequest("POST", ts.http.URL+"/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Accept-Language", lang)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ts.alice.session})
		req.AddCookie(&http.Cookie{Name: csrfCookie, Value: testCSRF})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(page), want) || !strings.Contains(string(page), "<code>zeros.csv</code>") {
			t.Errorf("%s: status %d, want 422 naming zeros.csv and saying %q:\n%s", lang, res.StatusCode, want, page)
		}
	}
}

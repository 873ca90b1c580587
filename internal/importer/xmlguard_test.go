package importer

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestRefuseDTD(t *testing.T) {
	tests := []struct {
		directive string
		refused   bool
	}{
		{`DOCTYPE feed [<!ENTITY x "y">]`, true},
		{` doctype OFX SYSTEM "http://example.org/ofx.dtd"`, true},
		{`ENTITY lol "lol"`, true},
		{`ELEMENT a ANY`, true},
		{`ATTLIST a b CDATA #IMPLIED`, true},
		{`NOTATION n SYSTEM "x"`, true},
		{`[CDATA[text]]`, false},
		{``, false},
	}
	for _, tt := range tests {
		err := RefuseDTD([]byte(tt.directive), 3, "camt.053")
		if (err != nil) != tt.refused {
			t.Errorf("%q: error %v, want refused %v", tt.directive, err, tt.refused)
			continue
		}
		if err != nil && (err.(*Error).Line != 3 || !strings.Contains(err.Error(), "camt.053 needs none")) {
			t.Errorf("%q: %v, want line 3 naming the format", tt.directive, err)
		}
	}
}

func TestXMLRoot(t *testing.T) {
	const atom = "http://www.w3.org/2005/Atom"
	tests := []struct {
		name, head string
		want       xml.Name
		ok         bool
	}{
		{"default namespace", `<feed xmlns="` + atom + `">`, xml.Name{Space: atom, Local: "feed"}, true},
		{"prefix ns1", `<ns1:feed xmlns:ns1="` + atom + `" xmlns:espi="x">`, xml.Name{Space: atom, Local: "feed"}, true},
		{"prefix atom", `<atom:feed xmlns="other" xmlns:atom="` + atom + `">`, xml.Name{Space: atom, Local: "feed"}, true},
		{"no namespace", `<OFX>`, xml.Name{Local: "OFX"}, true},
		{"undeclared prefix", `<p:OFX>`, xml.Name{Local: "OFX"}, true},
		{"prolog", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<?xml-stylesheet href=\"a.xslt\"?>\n<!-- <feed> in a comment -->\n\t<ns0:Document xmlns:ns0=\"urn:x\">",
			xml.Name{Space: "urn:x", Local: "Document"}, true},
		{"doctype skipped", `<!DOCTYPE feed [<!ENTITY x "y">]><feed xmlns="` + atom + `">`, xml.Name{Space: atom, Local: "feed"}, true},
		{"head cut after the root", `<feed xmlns="` + atom + `"><entry><title>cut`, xml.Name{Space: atom, Local: "feed"}, true},
		{"head cut in the root", `<feed xmlns="htt`, xml.Name{}, false},
		{"text first", "OFXHEADER:100\n<OFX>", xml.Name{}, false},
		{"JSON", `{"feed": 1}`, xml.Name{}, false},
		{"empty", ``, xml.Name{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := XMLRoot([]byte(tt.head))
			if got != tt.want || ok != tt.ok {
				t.Errorf("XMLRoot = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

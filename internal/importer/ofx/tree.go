package ofx

import (
	"bytes"
	"strings"

	"selfdata/internal/importer"
	"selfdata/internal/input"
)

// maxDepth bounds nesting: real OFX is about ten levels deep; a hostile file could be deeper.
const maxDepth = 200

// node is one OFX element: a leaf with a value, or an aggregate with children.
type node struct {
	name     string
	value    string
	leaf     bool
	line     int
	children []*node
	stub     *stub // a transaction read when it closed, its children let go (Stream)
}

// child returns the first direct child with that name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// all returns the direct children with that name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// path follows direct children, name by name.
func (n *node) path(names ...string) *node {
	for _, name := range names {
		if n == nil {
			return nil
		}
		n = n.child(name)
	}
	return n
}

// text is the value of a leaf child, or "" when absent.
func (n *node) text(name string) string {
	if c := n.child(name); c != nil {
		return c.value
	}
	return ""
}

// find returns the first descendant with that name (depth first), or nil: investment
// transactions bury the same fields at different depths (BUYSTOCK/INVBUY/INVTRAN/FITID).
func (n *node) find(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
		if f := c.find(name); f != nil {
			return f
		}
	}
	return nil
}

// scanner walks the body of an OFX file, counting lines as it goes.
type scanner struct {
	data    []byte
	pos     int
	line    int
	version string   // from <?OFX VERSION="..."?>
	plan    *planner // when streaming: reads each transaction as it closes
}

func (s *scanner) rest() []byte { return s.data[s.pos:] }

func (s *scanner) advance(n int) {
	s.line += bytes.Count(s.data[s.pos:s.pos+n], []byte{'\n'})
	s.pos += n
}

// buildTree reads the markup that follows the header into a tree and returns its <OFX> root.
func buildTree(s *scanner) (*node, error) {
	root := &node{}
	stack := []*node{root}
	for {
		i := bytes.IndexByte(s.rest(), '<')
		if i < 0 {
			i = len(s.rest())
		}
		if t := bytes.TrimSpace(s.rest()[:i]); len(t) > 0 {
			return nil, importer.Errorf(s.line+leadingLines(s.rest()[:i]), "", "text %s stands outside any element", input.Excerpt(string(t)))
		}
		s.advance(i)
		if s.pos >= len(s.data) {
			break
		}
		var err error
		stack, err = s.markup(stack)
		if err != nil {
			return nil, err
		}
	}
	if len(stack) > 1 {
		open := stack[len(stack)-1]
		return nil, importer.Errorf(s.line, open.name, "the file ends before </%s> (opened at line %d): it looks truncated", input.Cut(open.name), open.line)
	}
	if len(root.children) != 1 || root.children[0].name != "OFX" || root.children[0].leaf {
		return nil, importer.Errorf(0, "OFX", "not an OFX file: expected one <OFX> element holding everything")
	}
	return root.children[0], nil
}

// markup handles one construct starting at '<' and returns the updated stack of open aggregates.
func (s *scanner) markup(stack []*node) ([]*node, error) {
	r := s.rest()
	switch {
	case bytes.HasPrefix(r, []byte("<?")):
		return stack, s.instruction()
	case bytes.HasPrefix(r, []byte("<!--")):
		return stack, s.skipPast("-->", "comment")
	case bytes.HasPrefix(r, []byte("<!")):
		if err := importer.RefuseDTD(r[2:], s.line, "OFX"); err != nil {
			return nil, err
		}
		return nil, importer.Errorf(s.line, "", "unexpected markup %s", input.Excerpt(string(r[:min(len(r), 20)])))
	case bytes.HasPrefix(r, []byte("</")):
		line := s.line
		name, err := s.tag(2)
		if err != nil {
			return nil, err
		}
		return s.closeTag(stack, name, line)
	}
	return s.startTag(stack)
}

// startTag reads <NAME> and its value. Text after the tag makes it a leaf; an immediate </NAME>
// makes it an empty leaf; anything else opens an aggregate.
func (s *scanner) startTag(stack []*node) ([]*node, error) {
	line := s.line
	name, err := s.tag(1)
	if err != nil {
		return nil, err
	}
	value, err := s.value()
	if err != nil {
		return nil, err
	}
	n := &node{name: name, line: line}
	parent := stack[len(stack)-1]
	parent.children = append(parent.children, n)
	value = strings.TrimSpace(value)
	closed := s.closes(name)
	if value != "" || closed {
		n.leaf, n.value = true, value
		if closed {
			_, err = s.tag(2)
		}
		return stack, err
	}
	if len(stack) > maxDepth {
		return nil, importer.Errorf(line, name, "elements are nested more than %d deep", maxDepth)
	}
	return append(stack, n), nil
}

// closeTag pops up to the aggregate it names. Aggregates left open on the way were in fact
// empty SGML leaves: they become leaves and their children move up to their parent. When
// streaming, the aggregate closed is handed to the planner, whole.
func (s *scanner) closeTag(stack []*node, name string, line int) ([]*node, error) {
	j := len(stack) - 1
	for j > 0 && stack[j].name != name {
		j--
	}
	if j == 0 {
		return nil, importer.Errorf(line, name, "closing tag </%s> has no matching opening tag", input.Cut(name))
	}
	for k := len(stack) - 1; k > j; k-- {
		n, parent := stack[k], stack[k-1]
		if s.plan != nil {
			s.plan.moved(n.children)
		}
		parent.children = append(parent.children, n.children...)
		n.children, n.leaf = nil, true
	}
	if s.plan != nil {
		if err := s.plan.closed(stack[:j+1]); err != nil {
			return nil, err
		}
	}
	return stack[:j], nil
}

// tag reads a tag name after skip bytes ("<" or "</") up to '>'.
func (s *scanner) tag(skip int) (string, error) {
	r := s.rest()
	end := bytes.IndexByte(r, '>')
	if end < 0 {
		return "", importer.Errorf(s.line, "", "tag %s is never closed by '>': the file looks truncated", input.Excerpt(string(r)))
	}
	name, ok := localName(string(r[skip:end]))
	if !ok || !validName(name) {
		return "", importer.Errorf(s.line, "", "malformed tag %s", input.Excerpt(string(r[:end+1])))
	}
	s.advance(end + 1)
	return name, nil
}

// closes tells whether the next markup is </name>, without consuming it.
func (s *scanner) closes(name string) bool {
	r := s.rest()
	if !bytes.HasPrefix(r, []byte("</")) {
		return false
	}
	end := bytes.IndexByte(r, '>')
	if end <= 0 {
		return false
	}
	n, ok := localName(string(r[2:end]))
	return ok && n == name
}

// localName is a tag's element name without its namespace prefix (<ofx:STMTTRN> is
// STMTTRN), as a few OFX 2 writers put the elements in a prefixed namespace. The only
// attributes accepted are the namespace declarations (xmlns, xmlns:p); OFX has no others.
func localName(tag string) (string, bool) {
	fields := strings.Fields(tag)
	if len(fields) == 0 {
		return "", false
	}
	for _, a := range fields[1:] {
		if !strings.HasPrefix(a, "xmlns") {
			return "", false
		}
	}
	name := fields[0]
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name, true
}

// value reads the text after a start tag up to the next tag, with entities decoded and
// CDATA sections (which OFX 2 banks use for names) taken literally.
func (s *scanner) value() (string, error) {
	var b strings.Builder
	for {
		r := s.rest()
		i := bytes.IndexByte(r, '<')
		if i < 0 {
			i = len(r)
		}
		b.WriteString(decodeEntities(string(r[:i])))
		s.advance(i)
		const cdata = "<![CDATA["
		if !bytes.HasPrefix(s.rest(), []byte(cdata)) {
			return b.String(), nil
		}
		end := bytes.Index(s.rest(), []byte("]]>"))
		if end < 0 {
			return "", importer.Errorf(s.line, "", "CDATA section is never closed by ]]>")
		}
		b.Write(s.rest()[len(cdata):end])
		s.advance(end + 3)
	}
}

// instruction reads <?...?>; from <?OFX ...?> it keeps the VERSION.
func (s *scanner) instruction() error {
	start := s.pos
	if err := s.skipPast("?>", "processing instruction"); err != nil {
		return err
	}
	pi := string(s.data[start:s.pos])
	if strings.HasPrefix(strings.ToUpper(pi), "<?OFX") {
		s.version = attribute(pi, "VERSION")
	}
	return nil
}

func (s *scanner) skipPast(end, what string) error {
	i := bytes.Index(s.rest(), []byte(end))
	if i < 0 {
		return importer.Errorf(s.line, "", "%s is never closed by %q", what, end)
	}
	s.advance(i + len(end))
	return nil
}

// attribute extracts NAME="value" from a processing instruction.
func attribute(pi, name string) string {
	i := strings.Index(strings.ToUpper(pi), name+"=")
	if i < 0 {
		return ""
	}
	v := pi[i+len(name)+1:]
	v = strings.TrimLeft(v, `"'`)
	if j := strings.IndexAny(v, `"' ?`); j >= 0 {
		v = v[:j]
	}
	return v
}

func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&nbsp;", "\u00a0")

// decodeEntities replaces the predefined XML entities, the only ones OFX uses.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entities.Replace(s)
}

// leadingLines counts the newlines before the first non-space byte, to place stray text.
func leadingLines(b []byte) int {
	t := bytes.TrimLeft(b, " \t\r\n")
	return bytes.Count(b[:len(b)-len(t)], []byte{'\n'})
}

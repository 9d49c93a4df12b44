"""What page tests share: the HTML of a page as a tree, and the contrast of text in a browser."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in (c for c in self.children if isinstance(c, Node)):
            classes = (child.attrs.get("class") or "").split()
            if tag in (None, child.tag) and (cls is None or cls in classes):
                found.append(child)
            found.extend(child.all(tag, cls))
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]


class Tree(HTMLParser):
    """The page as a tree of elements (the standard library parses HTML but builds no tree):
    enough to find elements by tag and class and read their text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.current = self.current if tag in VOID else node

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        self.current = node.parent or self.current

    def handle_data(self, data):
        self.current.children.append(data)


# Contrast ratio (WCAG 2) of an element's text against the first opaque background behind it.
CONTRAST = """(element) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let background = [255, 255, 255];
  for (let node = element; node; node = node.parentElement) {
    const b = rgb(getComputedStyle(node).backgroundColor);
    if (b.length === 3 || (b.length === 4 && b[3] > 0)) { background = b; break; }
  }
  const [high, low] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)]
    .sort((a, b) => b - a);
  return (high + 0.05) / (low + 0.05);
}"""

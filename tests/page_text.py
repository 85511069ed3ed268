"""Reading a rendered page the way a person (or a screen reader) does: its text,
its tables, its links and the ids links can land on."""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

MINUS = "\u2212"
INLINE = r"</?(?:a|abbr|b|em|i|span|strong)\b[^>]*>"


def text_of(response) -> str:
    """The page as a reader sees it: tags gone, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(INLINE, "", html)  # "<i>Title</i>." reads "Title."
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def number(text: str) -> float:
    """The first number in a cell's text, reading a true minus sign as a minus."""
    match = re.search(r"[-+]?\d+(?:\.\d+)?", text.replace(MINUS, "-"))
    assert match, f"no number in {text!r}"
    return float(match.group())


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"[-+]?\d+(?:\.\d+)?", text.replace(MINUS, "-"))]


INLINE_TAGS = {"a", "abbr", "b", "em", "i", "span", "strong"}


@dataclass
class Table:
    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)  # body rows: each cell's text
    header: list[str] = field(default_factory=list)  # the column headings' text


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[Table] = []
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.elements: list[tuple[str, dict]] = []
        self._table: Table | None = None
        self._in = {"caption": False, "thead": False, "tbody": False}
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag not in INLINE_TAGS and self._cell is not None:
            self._cell.append(" ")
        if tag == "table":
            self._table = Table()
        elif tag in self._in:
            self._in[tag] = True
        elif tag == "tr" and (self._in["tbody"] or self._in["thead"]):
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self._link = [attributes.get("href", ""), []]

    def handle_endtag(self, tag):
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag in self._in:
            self._in[tag] = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(_squash("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in["thead"]:
                self._table.header = self._row
            else:
                self._table.rows.append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], _squash("".join(self._link[1]))))
            self._link = None

    def handle_data(self, data):
        if self._in["caption"] and self._table is not None:
            self._table.caption += data
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse(response) -> _Parser:
    parser = _Parser()
    parser.feed(response.content.decode())
    for table in parser.tables:
        table.caption = _squash(table.caption)
    return parser


def table(response, caption: str) -> Table:
    """The table with this caption (exactly), or a failure naming the captions there are."""
    tables = parse(response).tables
    for found in tables:
        if found.caption == caption:
            return found
    raise AssertionError(f"No table captioned {caption!r}: {[t.caption for t in tables]}")

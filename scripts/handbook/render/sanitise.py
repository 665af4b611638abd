"""The last word on addresses: every URL attribute of a finished page is checked here.

Markdown has many spellings of a link (escaped colons, reference definitions split over
lines, lone ``\\r`` line ends…), so the source is not where links are judged: the
rendered HTML is. A link (``<a href>``, a form's action) may use http, https, mailto or
a relative address; anything a page *loads* when viewed (``src``, ``srcset``, a
stylesheet's ``href``, ``poster``, CSS ``url()``…) must be relative: the site loads
nothing from another host. Offending attributes are removed and reported.

This is an ``html.parser`` pass, not nh3 (Ammonia): nh3 re-serialises the whole page
(``&para;`` → ``¶``, self-closed SVG shapes, ``viewBox`` lost, ``data-x`` → ``data-x=""``)
and changed 42 of the site's 43 pages even with every tag and attribute allowed; this pass
rewrites only the start tags it refuses, so a safe page comes out byte for byte.

Almost every page is clean, and parsing it is most of the check's cost: a regex pass several
times cheaper first tries to prove a page clean (``_provably_clean``); only a page it cannot
prove clean is parsed (``_full_scan``), so the results are the parser's.
"""

from __future__ import annotations

import html as html_lib
import re
import string
from dataclasses import dataclass
from html.parser import HTMLParser
from html.parser import attrfind_tolerant as _parser_attribute
from html.parser import tagfind_tolerant as _parser_tag_name

from ..errors import ContentError, show_value

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes that hold a URL (HTML, SVG, and the legacy ones browsers still honour).
URL_ATTRIBUTES = frozenset({
    "href", "xlink:href", "src", "srcset", "imagesrcset", "action", "formaction", "poster", "data",
    "cite", "background", "ping", "longdesc", "manifest", "codebase", "lowsrc", "dynsrc", "usemap",
})
# Followed only when the reader clicks (or submits); every other URL attribute loads at view time.
_ON_CLICK = {("a", "href"), ("a", "xlink:href"), ("area", "href"), ("form", "action"),
             ("button", "formaction"), ("input", "formaction"), ("blockquote", "cite"), ("q", "cite"),
             ("del", "cite"), ("ins", "cite")}
# A <link> whose relations are all among these only names a page (Material writes canonical,
# prev and next from site_url): it loads nothing. Any other <link> is judged as a load.
_NAMING_RELS = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "search",
                          "bookmark", "me", "up"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\s*(['\"])(.*?)\1", re.IGNORECASE)


@dataclass(frozen=True)
class Refused:
    """One attribute taken out of a page: where it was and why."""

    tag: str
    attribute: str
    value: str
    reason: str
    text: str  # the link's text or the image's alt, to find it in the source
    line: int  # line in the HTML


def refusal(tag: str, attribute: str, value: str, rel: str = "") -> str | None:
    """Why ``value`` may not stand in ``tag``'s ``attribute`` (None when it may); ``rel`` is a
    <link>'s relation, which decides whether its href loads."""
    if attribute == "style":
        urls = [m.group(2) for m in _CSS_URL.finditer(value)] + [m.group(2) for m in _CSS_IMPORT.finditer(value)]
        return next((reason for url in urls if (reason := _url_refusal(url, loads=True))), None)
    if attribute not in URL_ATTRIBUTES:
        return None
    loads = (tag, attribute) not in _ON_CLICK
    if tag == "link" and attribute == "href":
        loads = not rel.split() or not set(rel.lower().split()) <= _NAMING_RELS
    urls = _srcset_urls(value) if attribute in ("srcset", "imagesrcset") else \
        value.split() if attribute == "ping" else [value]
    return next((reason for url in urls if (reason := _url_refusal(url, loads))), None)


def _url_refusal(url: str, loads: bool) -> str | None:
    # What a browser does before it parses: strip C0 controls and spaces at the ends, drop
    # every tab and newline inside, read backslashes as slashes.
    cleaned = re.sub(r"[\t\n\r]", "", url).replace("\\", "/")
    cleaned = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", cleaned)
    scheme = _SCHEME.match(cleaned)
    if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
        return f"a {scheme.group(1).lower()}: address"
    if loads and (scheme or cleaned.startswith("//")):
        return "a file from another host"
    return None


def _srcset_urls(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def sanitise(html: str) -> tuple[str, list[Refused]]:
    """``html`` with every refused URL attribute removed, and what was removed."""
    if _provably_clean(html):
        return html, []
    return _full_scan(html)


# An attribute html.parser (Python 3.11) reads with a value: its name, then ``\s*=+\s*`` and a
# value as its ``attrfind_tolerant`` reads one (it reads on in the whole page, as this does).
# Searched over the whole page, markup or not, so it finds every such attribute, and more. A
# match consumes only the name, and no name the parser reads can start inside one of these
# (it follows a quote, a space or a slash).
_ATTRIBUTE_READ = re.compile(
    "(" + "|".join(map(re.escape, sorted(URL_ATTRIBUTES | {"style"}, key=len, reverse=True))) + ")"
    r"""(?=\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))""")
# The grammar _ATTRIBUTE_READ and _LINK_OPENING rely on; another Python may read tags otherwise.
_PARSER_GRAMMAR = (r"""((?<=[\'"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*(\'[^\']*\'|"[^"]*"|(?![\'"])[^>\s]*))?(?:\s|/(?!>))*""",
                   r"""([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*""")
_PARSER_READS_AS_COPIED = (_parser_attribute.pattern, _parser_tag_name.pattern) == _PARSER_GRAMMAR
# A single address can only be refused if, cleaned, it starts with a scheme or "//": its
# first character must be a letter, a slash, a backslash or one _url_refusal strips.
_MAY_BEGIN_AN_ADDRESS = frozenset(string.ascii_letters + "/\\" + "".join(map(chr, range(0x21))))
_SINGLE_ADDRESS = URL_ATTRIBUTES - {"srcset", "imagesrcset", "ping"}
# The text from the last ">" to an href that is an <a>'s first attribute. With no "<" or quote
# in it, the parser reads that <a> there: a tag that began earlier could only hold this ">"
# inside a quoted value, and that value would have to close before the href.
_LINK_OPENING = re.compile(r"""[^<"']*<[aA][\t\n\r\f ]+""")
# Material's head up to the canonical link it writes when site_url is set (always under
# `mkdocs serve`): a doctype, then plain tags with quoted values free of "<" and ">", which the
# parser reads as written. The href is then that <link>'s, and names a page if nothing follows.
_CANONICAL_HEAD = re.compile(r"""\s*<!doctype html>"""
                             r"""(?:\s*<(?:html|head|meta|link)(?:[\t\n\r\f ]+[a-z-]+="[^"<>]*")*[\t\n\r\f ]*>)*"""
                             r"""\s*<link[\t\n\r\f ]+rel="canonical"[\t\n\r\f ]+""")
_TAG_END = re.compile(r"[\t\n\r\f ]*>")


def _provably_clean(html: str) -> bool:
    """True only if the full scan would refuse nothing (False: it may or may not).

    Every attribute the parser judges is found here by its lowercased name, with the value
    the parser reads (entities decoded alike), and judged as if its tag loaded it (the
    strictest reading: the tag and ``rel`` only ever allow more), unless it is plainly an
    <a>'s href (a source's outside link) or Material's canonical link. Text, comments and
    scripts are searched too: that can only send a clean page to the full scan."""
    lowered = html.lower()  # the parser lowercases names; one lower() keeps positions when lengths agree
    if not _PARSER_READS_AS_COPIED or len(lowered) != len(html):
        return False
    for found in _ATTRIBUTE_READ.finditer(lowered):
        attribute = found.group(1)
        start, end = found.span(2)
        value = html[start:end]  # lower() changes no quote, space, = or >: the same span
        if value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        if "&" in value:
            value = html_lib.unescape(value)  # may leave nothing: "&#1;"
        if not value:
            continue
        if attribute in _SINGLE_ADDRESS and value[0] not in _MAY_BEGIN_AN_ADDRESS:
            continue
        reason = refusal("", attribute, value)  # no tag is on the click-only list: judged as a load
        if reason and attribute == "href":
            name = found.start(1)
            if _LINK_OPENING.fullmatch(html, html.rfind(">", 0, name) + 1, name):
                reason = refusal("a", attribute, value)
            elif _CANONICAL_HEAD.fullmatch(html, 0, name) and _TAG_END.match(html, end):
                reason = refusal("link", attribute, value, rel="canonical")
        if reason:
            return False
    return True


def _full_scan(html: str) -> tuple[str, list[Refused]]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    if not scanner.refused:
        return html, []
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", html)]
    pieces, last = [], 0
    for (line, column), raw, tag, attrs, bad in scanner.tags:
        start = line_starts[line - 1] + column
        pieces += [html[last:start], _start_tag(tag, [(k, v) for k, v in attrs if k not in bad], raw)]
        last = start + len(raw)
    pieces.append(html[last:])
    return "".join(pieces), scanner.refused


def _start_tag(tag: str, attrs: list[tuple[str, str | None]], raw: str) -> str:
    parts = [tag] + [name if value is None else f'{name}="{html_lib.escape(value)}"' for name, value in attrs]
    return "<" + " ".join(parts) + ("/>" if raw.rstrip().endswith("/>") else ">")


class _Scanner(HTMLParser):
    """Finds the start tags to rewrite, and the text of refused links (for the report)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[tuple[int, int], str, str, list, set[str]]] = []
        self.refused: list[Refused] = []
        self._open_link: list[int] | None = None  # indexes into refused awaiting their text
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        bad = {}
        rel = dict(attrs).get("rel") or ""
        for name, value in attrs:
            reason = refusal(tag, name, value, rel) if value else None
            if reason:
                bad[name] = (value, reason)
        if not bad:
            return
        line = self.getpos()[0]
        self.tags.append((self.getpos(), self.get_starttag_text(), tag, attrs, set(bad)))
        first = len(self.refused)
        alt = dict(attrs).get("alt") or dict(attrs).get("title") or ""
        self.refused += [Refused(tag, name, value, reason, alt, line) for name, (value, reason) in bad.items()]
        if tag == "a":
            self._open_link, self._text = list(range(first, len(self.refused))), []

    def handle_data(self, data):
        if self._open_link is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open_link is not None:
            text = "".join(self._text).strip()
            for index in self._open_link:
                self.refused[index] = Refused(**{**self.refused[index].__dict__, "text": text})
            self._open_link = None


def content_error(refused: Refused, sources: list[tuple[str, str]], field: str = "body"):
    """A ContentError for ``refused`` at the first source line that holds its address or its
    text (``sources``: (path as shown, text), most likely first; line 0 when none does)."""
    needles = [max(re.split(r"[\r\n]+", refused.value), key=len).strip(), refused.text]
    shown = sources[0][0] if sources else "(generated page)"
    found = next(((path, number) for needle in needles if len(needle) >= 2 for path, text in sources
                  for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1)
                  if needle.lower() in line.replace("\\", "").lower()), (shown, 0))
    what = "image" if refused.tag in ("img", "image", "source", "video", "audio", "picture") else "link"
    expected = "an http(s), mailto or relative link" if what == "link" and "host" not in refused.reason else \
        f"{'an image' if what == 'image' else 'a file'} inside the site (the site loads nothing from another host)"
    return ContentError(found[0], found[1], field,
                        f"expected {expected}, got {refused.reason} {show_value(refused.value)}; the {what} was removed")

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
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

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

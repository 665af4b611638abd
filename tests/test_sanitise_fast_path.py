"""The output check's fast path (render/sanitise.py) gives the full scan's results, always.

``sanitise`` first tries to prove a page clean with a regex pass and parses only the pages it
cannot. Calling a dirty page clean would let a script link or a foreign file through, so every
input here goes through both, ``sanitise`` and ``_full_scan``, and the results must be equal.
"""

from __future__ import annotations

import random

import pytest

from handbook.render import sanitise as check
from handbook.render.sanitise import _full_scan, _provably_clean, sanitise
from test_xss import LINK_PAYLOADS, body_html
from xss_payloads import PAYLOADS

# Shaped like the site's pages: Material's head, a source with an outside link, relative files.
PAGE = """<!doctype html>
<html lang="zh" class="no-js">
  <head>
    <meta charset="utf-8">
    <link rel="icon" href="../../assets/images/favicon.png">
    <link rel="stylesheet" href="../../assets/stylesheets/main.57a0d79d.min.css">
    <script src="../../assets/javascripts/vendor/iframe-worker-shim.js"></script>
    <script>__md_scope=new URL("../..",location)</script>
  </head>
  <body dir="ltr">
    <a href="#__skip" class="md-skip">跳转至</a>
    <form class="md-search__form" name="search" action="../../search/"><input type="text" name="query"></form>
    <nav><a href="../../" class="md-nav__link">首页</a> <a href="#背景与起因">背景与起因</a></nav>
    <article class="md-content__inner md-typeset">
      <h1 id="x">湖北谷城：推行“三百”工程</h1>
      <p>正文 <abbr title="中国共产党">党</abbr>，见<a href="../gucheng/#practice-1">做法一</a>。</p>
      <img src="../../assets/images/x.png" srcset="../../assets/images/x.png 1x, ../../assets/images/x@2.png 2x" alt="图">
      <div style="background:url('../../assets/images/bg.png')"><svg viewBox="0 0 1 1"><rect/></svg></div>
      <ol><li>《谷城县推行“三百”工程》，湖北日报，2023年5月1日，报道。 <a href="https://example.org/news/1.html">原文链接</a></li></ol>
      <!--MARK-->
    </article>
    <script src="../../assets/javascripts/bundle.min.js"></script>
  </body>
</html>
"""
MARK = "<!--MARK-->"

# Each must be refused by the full scan (asserted below, so the list keeps its meaning).
DIRTY = [
    '<a href="java&#115;cript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="javascript&#58alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java&Tab;script:alert(1)">x</a>',
    '<a href="java&NewLine;script:alert(1)">x</a>',
    '<a HREF="javascript:alert(1)">x</a>',
    "<A hReF=JaVaScRiPt:alert(1)>x</A>",
    "<a href = 'javascript:alert(1)'>x</a>",
    '<a\nhref\n=\n"javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscr\ript:alert(1)">x</a>',
    '<a href="\x01 javascript:alert(1)">x</a>',
    '<a href="&#1;javascript:alert(1)">x</a>',
    "<a href==javascript:alert(1)>x</a>",
    "<a href=\u3000javascript:alert(1)>x</a>",
    '<a/href="javascript:alert(1)">x</a>',
    '<a title="x"href="javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="https://evil.example/x.png">',
    '<img src="//evil.example/x.png"/>',
    '<img src="\\\\evil.example/x.png">',
    '<img src="/\\evil.example/x.png">',
    '<img src="&#47;&#47;evil.example/x.png">',
    '<img src="&sol;&sol;evil.example/x.png">',
    '<img src="HTTPS://evil.example/x.png">',
    '<img src="x.png" srcset="a.png 1x, https://evil.example/b.png 2x">',
    '<img src="x.png"\nsrcset="a.png 1x,\n  //evil.example/b.png 2x">',
    '<img srcset="../a.png 1x, https://evil.example/b.png 2x">',
    '<img srcset="#a 1x,javascript:alert(1) 2x">',
    '<link rel="preload" as="image" imagesrcset="x.png 1x, //evil.example/y.png 2x">',
    '<a href="../x/" ping="/ok https://evil.example/p">x</a>',
    '<a href="https://ok.example/" ping="https://evil.example/p">x</a>',
    '<a href="../x/" ping="../ok //evil.example/p">x</a>',
    '<div style="background:url(https://evil.example/a.png)">x</div>',
    "<div style=\"background:URL( 'javascript:alert(1)' )\">x</div>",
    '<div STYLE="@import \'https://evil.example/x.css\'">x</div>',
    '<div style="background:url(&quot;//evil.example/a.png&quot;)">x</div>',
    '<a href="https://ok.example/" style="background:url(//evil.example/x)">x</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><image xlink:href="https://evil.example/x.png"/></svg>',
    '<svg><image xlin\u212a:href="https://evil.example/x.png"/></svg>',  # KELVIN SIGN: lower() gives "k"
    '<svg><image href="https://evil.example/x.png"/></svg>',
    '<link rel="stylesheet" href="https://cdn.example/x.css">',
    '<link rel="canonical stylesheet" href="https://cdn.example/x.css">',
    '<link href="https://cdn.example/x.css">',
    '<LINK REL=ICON HREF=//cdn.example/x.ico>',
    '<base href="javascript:alert(1)//">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="javascript:alert(1)">',
    '<iframe src="data:text/html,x"></iframe>',
    '<video poster="//evil.example/p.png"></video>',
    '<form action="javascript:alert(1)"><button formaction="data:text/html,x">x</button></form>',
    '<table background="https://evil.example/x.png"></table>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    '<html manifest="https://evil.example/x.appcache">',
    '<object codebase="https://evil.example/"></object>',
    '<img longdesc="javascript:alert(1)" lowsrc="//evil.example/l.png" dynsrc="x" usemap="https://evil.example/#m">',
    '<a href="file:///etc/passwd">x</a>',
    "İ" * 12 + '<img src="https://evil.example/x.png">',  # lower() lengthens "İ": positions shift
    # an <a> inside another tag: the parser reads the href as the outer tag's
    '<link rel=stylesheet title="><a class="x" href="https://evil.example/x.css">',
    '<link<a href="https://evil.example/x.css">',
    '<link rel=stylesheet <a href="https://evil.example/x.css">',
    '<link rel=stylesheet x=<a href="https://evil.example/x.css">',
    "<link rel=stylesheet title='>' <a href=\"https://evil.example/x.css\">",
    '<img alt=\'<a \' src="https://evil.example/x.png">',
    '<div title=">"><a title="<a " href="javascript:alert(1)">x</a></div>',
    # the canonical link Material writes: only as the tag it seems, at the top of the head
    '<!doctype html><html><head><link rel="canonical" href="https://cdn.example/x.css" rel="stylesheet">',
    '<!doctype html><html><head><link rel="canonical" href="https://cdn.example/x.css" rel=stylesheet>',
    '<!doctype html><html><head><meta name="x"><link rel="canonical" href="javascript:alert(1)">',
    '<!doctype html><html><head><meta content="a<link rel=&quot;canonical&quot; " href="https://evil.example/x.png">',
    '<!doctype html><img title="><link rel="canonical" href="https://evil.example/x.png">',
    '<!doctype html><html><head><link<link rel="canonical" href="https://evil.example/x.css">',
]
# Clean ones, and ones the parser does not read as attributes (comments, scripts, end tags):
# the fast path may send them to the full scan, the results must still agree.
OTHER = [
    '<p>原文 <a href="https://example.org/x">原文链接</a></p>',
    '<p>“引文” <A\tHREF="mailto:office@example.org">信箱</A></p>',
    '<p>他说"好" <a href="https://example.org/x">原文链接</a></p>',
    '<a class="url" href="https://example.org/x">x</a>',
    '<area href="https://example.org/x">',
    '<link rel="canonical" href="https://example.org/x/">',
    '<link rel="alternate" href="https://example.org/feed.json">',
    '<!doctype html>\n<html lang="zh">\n<head>\n<link rel="canonical" href="https://example.org/x/">\n',
    '<!doctype html><html><head><script><link rel="canonical" href="https://cdn.example/x.css"></script>',
    '<!doctype html><html><head><!-- --><link rel="canonical" href="https://example.org/x/">',
    # the last rel counts: this link names a page
    '<!doctype html><html><head><link rel=stylesheet x=<link rel="canonical" href="https://evil.example/x.css">',
    '<a href="#fn:1">1</a><a href="#w:党">党</a>',
    '<a href="&#0;javascript:alert(1)">x</a>',
    '<a href="javascript&Colon;alert(1)">x</a>',
    '<a href="&#1;">x</a><a href="">y</a><a href>z</a>',
    '<a title="javascript:alert(1)" data-x="//evil.example/">x</a>',
    '<!-- <a href="javascript:alert(1)">x</a> -->',
    '<script>document.write(\'<img src="https://evil.example/x.png">\')</script>',
    '<style>div { background: url(https://evil.example/x.png) }</style>',
    '</a href="javascript:alert(1)">',
    '<img\x0bsrc="https://evil.example/x.png">',
    '<a href="javascript:alert(1)"',
    '<p>İstanbul <img src="https://evil.example/x.png"></p>',  # lower() lengthens "İ": the full scan decides
    '<p>İstanbul <a href="../x/">x</a></p>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0"/></svg>',
    '<img src="../x.png" srcset="../x.png 1x,../y.png 2x" style="fill:#c00">',
]


def agree(html: str) -> None:
    assert sanitise(html) == _full_scan(html), html


@pytest.mark.parametrize("snippet", DIRTY)
def test_each_dirty_input_is_really_refused(snippet):
    assert _full_scan(snippet)[1], snippet


@pytest.mark.parametrize("snippet", DIRTY + OTHER)
def test_tricky_inputs_give_the_full_scans_results(snippet):
    agree(snippet)
    agree(PAGE.replace(MARK, snippet))
    agree(PAGE.replace("</head>", snippet + "</head>").replace("</body>", snippet + "</body>"))


def test_the_sites_pages_are_proven_clean_without_the_parser():
    """Else the fast path is dead code: a page like the site's, outside link included, with
    or without the canonical link (site_url, and `mkdocs serve`, add it to every page)."""
    assert _provably_clean(PAGE)
    canonical = '<meta charset="utf-8">\n    <link rel="canonical" href="http://127.0.0.1:8000/cases/x/">'
    assert _provably_clean(PAGE.replace('<meta charset="utf-8">', canonical))
    assert not _provably_clean(PAGE.replace(MARK, '<img src="https://evil.example/x.png">'))


def test_the_parser_reads_tags_as_the_fast_path_assumes(monkeypatch):
    assert check._PARSER_READS_AS_COPIED, (
        "html.parser reads tags otherwise in this Python: every page takes the full scan until "
        "_ATTRIBUTE_READ and _LINK_OPENING in render/sanitise.py follow the new grammar")
    monkeypatch.setattr(check, "_PARSER_READS_AS_COPIED", False)
    assert not _provably_clean(PAGE)


def test_every_page_of_the_built_handbook(built_handbook):
    pages = sorted((built_handbook / "site").rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        agree(path.read_text(encoding="utf-8"))


def test_every_xss_payload_in_a_page_of_the_handbook(built_handbook):
    page = next((built_handbook / "site" / "cases").glob("*/index.html")).read_text(encoding="utf-8")
    payloads = PAYLOADS + [body_html(p) for p in PAYLOADS] + [body_html(p) for p in LINK_PAYLOADS.values()]
    for payload in payloads:
        agree(payload)
        agree(page.replace("</article>", payload + "</article>", 1))
        agree(page.replace("</head>", payload + "</head>", 1))


# Pieces of start tags, mixed at random: names in any case, odd separators, entities, schemes.
OPENINGS = ["<a ", "<A\t", "<img ", "<link rel=stylesheet ", "<link rel=canonical ", "<link ", "<image ",
            "<div ", "<area ", "<form ", '<a class="x" ', "<a/", "<link<a ", '<link title="', "<link x=",
            "<!-- <a ", "<script><a ", "</a ", "text <a ", '"<a ', "'><a ", '"><a ', "İİİİİİ<img ",
            '<!doctype html><link rel="canonical" ', '<!doctype html><meta x="<"><link rel="canonical" ']
NAMES = ["href", "HREF", "Href", "src", "SrC", "srcset", "imagesrcset", "ping", "style", "STYLE", "xlink:href",
         "xlin\u212a:href", "action", "formaction", "poster", "data", "cite", "background", "title", "rel", "data-x"]
EQUALS = ["=", " = ", "==", "\n=\n", "=\u3000", "\t=", ""]
QUOTES = ['"', "'", ""]
SCHEMES = ["javascript", "java\tscript", "java&#115;cript", "&#106;avascript", "JaVaScRiPt", "https", "HTTP",
           "mailto", "data", "vbscript", "x", ""]
COLONS = [":", "&colon;", "&#58;", "&#x3A;", "&#58", "&Colon;", ""]
RESTS = ["//evil.example/x", "alert(1)", "x.png", "", "../x/"]
RELATIVE = ["#a", "../x/", "x/y.png", "//evil.example", "\\\\evil.example", "/\\evil.example",
            "&#47;&#47;evil.example", " \x01//evil.example", "&#1;", "&#0;//evil.example", ""]
ENDINGS = [">", "/>", " title='x'>", "", ">text</a>", " rel=stylesheet>", '">']


def _random_address(pick) -> str:
    address = pick(SCHEMES) + pick(COLONS) + pick(RESTS) if pick([True, False]) else pick(RELATIVE)
    shape = pick(["plain", "plain", "srcset", "css", "import"])
    return {"plain": address, "srcset": f"{pick(RELATIVE)} 1x, {address} 2x", "css": f"background:url({address})",
            "import": f"@import '{address}'"}[shape]


def _random_tag(pick) -> str:
    attributes = "".join(f"{pick(NAMES)}{pick(EQUALS)}{(q := pick(QUOTES))}{_random_address(pick)}{q} "
                         for _ in range(pick([1, 1, 2, 3])))
    return pick(OPENINGS) + attributes.rstrip(" ") + pick(ENDINGS)


def test_random_start_tags_give_the_full_scans_results():
    rng = random.Random(20261123)
    dirty = proven_clean = 0
    for _ in range(4000):
        html = "".join(_random_tag(rng.choice) for _ in range(rng.choice([1, 2, 3])))
        agree(html)
        dirty += bool(_full_scan(html)[1])
        proven_clean += _provably_clean(html)
    assert dirty > 1000 and proven_clean > 400, (dirty, proven_clean)  # both paths are exercised

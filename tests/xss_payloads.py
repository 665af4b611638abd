"""Hostile text for every free-text field: markup, event handlers, unsafe URLs, Markdown tricks.

Each payload calls alert(N); a browser test fails if any dialog ever opens.
"""

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    '<iframe src="javascript:alert(5)"></iframe>',
    '<a href="javascript:alert(6)">x</a>',
    "[x](javascript:alert(7))",
    "![x](javascript:alert(8))",
    "[x](JaVaScRiPt:alert(9))",
    "[x]( javascript:alert(10) )",
    "<javascript:alert(11)>",
    "[x][ref11]\n\n[ref11]: javascript:alert(12)",
    '{: onclick="alert(13)" }',
    "{ onmouseover=alert(14) }",
    '<div onmouseover="alert(15)">raw block</div>',
    "<details open ontoggle=alert(16)>",
    "<body onload=alert(17)>",
    "<input autofocus onfocus=alert(18)>",
    "<video><source onerror=alert(19)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(20)>",
    "&lt;script&gt;alert(21)&lt;/script&gt;",
    "&#60;script&#62;alert(22)&#60;/script&#62;",
    "<!--<script>alert(23)</script>-->",
    "`<script>alert(24)</script>`",
    "<style>@import 'javascript:alert(25)'</style>",
    '<object data="javascript:alert(26)">',
    '<embed src="javascript:alert(27)">',
    '<form action="javascript:alert(28)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(29)">',
    '<base href="javascript:alert(30)//">',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgzMSk8L3NjcmlwdD4=)",
    '"><script>alert(32)</script>',
    "'><img src=x onerror=alert(33)>",
    "<scr<script>ipt>alert(34)</script>",
    '*[党员]: x" onmouseover="alert(35)',
]

# A Markdown body may use links, so the loader refuses unsafe schemes there (tested in the corpus);
# every other payload must still come out inert.
BODY_PAYLOADS = [p for p in PAYLOADS if "javascript:" not in p.lower() and "data:" not in p]

"""`handbook pdf`: the printed edition and one handout per session plan, printed by Chromium.

The offline edition is built with the one-page print handbook and opened from file://,
so nothing is served or fetched. Chromium embeds the fonts it uses (Noto Sans CJK from
Debian's fonts-noto-cjk) and writes a PDF outline from the headings.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FOOTER = ('<div style="width:100%;text-align:center;font-size:8px;color:#555;font-family:sans-serif">'
          '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页　{edition}</div>')


def build_pdfs(root: Path, out: Path) -> int:
    """dist/handbook.pdf and dist/handouts/<session>.pdf; 1 (and nothing written) on failure."""
    from .build import build_site
    from .errors import ContentErrors
    from .load.loader import load_collection

    root = Path(root).resolve()
    out = out if out.is_absolute() else root / out
    if not Path(CHROMIUM).exists():
        print("error: PDFs are printed by Debian's chromium: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    try:
        collection = load_collection(root)
    except ContentErrors as errors:
        print(errors, file=sys.stderr)
        return 1
    edition = collection.editions.current_edition if collection.editions else None
    stamp = f"{edition.title}（{edition.id}），{edition.date.isoformat()}" if edition else ""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        site = Path(work) / "site"
        os.environ["HANDBOOK_PRINT"] = "true"
        try:
            if build_site(root, site, offline=True) != 0:
                return 1
        finally:
            os.environ.pop("HANDBOOK_PRINT", None)
        staged = Path(work) / "pdf"
        (staged / "handouts").mkdir(parents=True)
        jobs = [(site / "print" / "handbook.html", staged / "handbook.pdf")]
        jobs += [(site / "training" / f"{s.id}.html", staged / "handouts" / f"{s.id}.pdf") for s in collection.sessions]
        _print(jobs, FOOTER.format(edition=stamp))
        for pdf in [staged / "handbook.pdf", *sorted((staged / "handouts").glob("*.pdf"))]:
            target = out / pdf.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            pdf.replace(target)
            print(f"wrote {target}")
    return 0


def _print(jobs: list[tuple[Path, Path]], footer: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
        for html, pdf in jobs:
            page.goto(html.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.pdf(path=str(pdf), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=footer,
                     margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                     outline=True, tagged=True)
        browser.close()

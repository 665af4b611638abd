"""`handbook pdf`: the printed handbook, the session handouts and one PDF per page, by WeasyPrint.

The HTML comes straight from the validated collection (``print_html``); WeasyPrint lays it
out with Pango and embeds subsets of the Noto CJK fonts as CID fonts. Every PDF is cached
under .cache/pdf/ by the hash of what it is made from (its HTML, the stylesheet and the
WeasyPrint version), so an edition reprints only the documents that changed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .print_html import (CSS_PATH, PrintDocument, case_document, handbook_document, handout_document,
                         standard_document)

CACHE_DIR = Path(".cache/pdf")
HANDOUT_PAGES = 2  # a handout is one sheet, printed on both sides


@dataclass(frozen=True)
class PrintedFile:
    path: str  # relative to the output folder, e.g. "handouts/new-secretary-basics.pdf"
    title: str
    kind: str
    subject: str
    cached: bool


def build_pdfs(root: Path, out: Path, cases: bool = False) -> int:
    """out/handbook.pdf, out/handouts/<session>.pdf, out/pages/standards/<id>.pdf and, with
    ``cases``, out/pages/cases/<id>.pdf; 1 (and nothing written) on a content error."""
    from .load.loader import load_project
    from .output_guard import prepare_folder

    root = Path(root).resolve()
    out = prepare_folder(out, root, "pdf")  # never the project, its records or a folder it did not create
    collection = load_project(root)  # content errors are reported by the command line, like every command's
    printed = print_collection(collection, root, out, cases=cases)
    reused = sum(p.cached for p in printed)
    print(f"wrote {len(printed)} PDFs to {out} ({reused} unchanged, from the cache)")
    return 0


def print_collection(collection, root: Path, out: Path, cases: bool = False) -> list[PrintedFile]:
    templates = root / "overrides" / "handbook"
    css = root / "docs" / "assets" / CSS_PATH.name  # a project may restyle its print edition
    printer = Printer(root / CACHE_DIR, css if css.is_file() else CSS_PATH)
    printed = [printer.write(handbook_document(collection, templates), out)]
    for session in collection.sessions:
        printed.append(printer.write_handout(collection, session, templates, out))
    printed += [printer.write(_page(standard_document(collection, s, templates)), out) for s in collection.standards]
    if cases:  # the full set: cached PDFs nothing uses any more can go
        printed += [printer.write(_page(case_document(collection, c, templates)), out) for c in collection.cases]
        printer.prune()
    return printed


def _page(document: PrintDocument) -> PrintDocument:
    return replace(document, path=f"pages/{document.path}")


class Printer:
    """Renders documents with WeasyPrint, reusing a cached PDF when the inputs are unchanged."""

    def __init__(self, cache: Path, css: Path = CSS_PATH):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self.fonts = FontConfiguration()
        self.css_text = css.read_text(encoding="utf-8")
        self.css = weasyprint.CSS(string=self.css_text, font_config=self.fonts)
        self.version = weasyprint.__version__
        self.used: set[Path] = set()

    def key(self, document: PrintDocument) -> str:
        digest = hashlib.sha256()
        for part in (self.version, self.css_text, document.html):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def write(self, document: PrintDocument, out: Path) -> PrintedFile:
        cached = self.cache / f"{self.key(document)}.pdf"
        hit = cached.is_file()
        if not hit:
            self._store(self.render(document), cached)
        return self._publish(document, cached, out, hit)

    def write_handout(self, collection, session, templates: Path, out: Path) -> PrintedFile:
        """A handout at the normal size, or set compact when that runs past HANDOUT_PAGES."""
        document = handout_document(collection, session, templates)
        cached = self.cache / f"{self.key(document)}.pdf"
        if not cached.is_file():
            rendered = self.render(document)
            if len(rendered.pages) > HANDOUT_PAGES:
                compact = self.render(handout_document(collection, session, templates, compact=True))
                if len(compact.pages) < len(rendered.pages):
                    rendered = compact
                if len(rendered.pages) > HANDOUT_PAGES:
                    print(f"warning: handout {session.id} needs {len(rendered.pages)} pages "
                          f"(more than {HANDOUT_PAGES})", file=sys.stderr)
            self._store(rendered, cached)
            return self._publish(document, cached, out, False)
        return self._publish(document, cached, out, True)

    def render(self, document: PrintDocument):
        import weasyprint

        html = weasyprint.HTML(string=document.html, url_fetcher=_no_fetch)
        return html.render(stylesheets=[self.css], font_config=self.fonts)

    def _store(self, rendered, cached: Path) -> None:
        with tempfile.NamedTemporaryFile(dir=self.cache, suffix=".part", delete=False) as part:
            rendered.write_pdf(part.name)
        Path(part.name).replace(cached)

    def prune(self) -> None:
        """Delete cached PDFs this run did not use (older editions, removed records)."""
        for path in self.cache.glob("*.pdf"):
            if path not in self.used:
                path.unlink()

    def _publish(self, document: PrintDocument, cached: Path, out: Path, hit: bool) -> PrintedFile:
        self.used.add(cached)
        target = out / document.path
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(cached, partial)
        partial.replace(target)
        return PrintedFile(document.path, document.title, document.kind, document.subject, hit)


def _no_fetch(url: str, *args, **kwargs):
    """The printed edition needs nothing from outside: fonts are local(), SVGs inline."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"the printed edition fetches nothing; refused {url}")

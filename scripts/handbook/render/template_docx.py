"""A standard's fill-in template as a Word file (.docx), which WPS and Word open directly.

A branch secretary fills templates in Word or WPS; a bare .txt shows mojibake when a server
sends it without a charset. The file is byte-identical from build to build: fixed document
dates and fixed zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

FONT = "宋体"  # present on every Chinese Windows and in WPS


def template_docx(title: str, body: str, date: dt.date) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    stamp = dt.datetime(date.year, date.month, date.day)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, "党建案例与标准手册", ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    heading = document.add_paragraph()
    heading.add_run(title).bold = True
    for line in body.rstrip().splitlines():
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.space_after = Pt(2)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so two builds are identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

"""Open data: the collection as JSON and CSV, plus the JSON Schemas.

One function produces the files; `handbook export` writes them to dist/data/ and the
site publishes the same bytes under /data/ (数据下载).
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

from .model.collection import Collection
from .render.reuse import compute_now
from .schema import SCHEMAS, schema_text

CASE_COLUMNS = ["id", "title", "model", "organisation", "organisation_type", "level", "province", "city", "county",
                "lat", "lon", "start_year", "start_basis", "as_of", "sectors", "mechanisms", "standards", "metrics", "sources", "last_updated"]
METRIC_COLUMNS = ["case_id", "index", "label", "value", "unit", "text", "as_of", "doubt", "source_id", "source_title", "quote"]


def export_files(collection: Collection, remember=compute_now) -> dict[str, bytes]:
    """File name → exact bytes of every exported file, in a stable order.

    CSV files carry a UTF-8 byte-order mark: Excel on Windows (what most offices use)
    needs it to read UTF-8. The site and `handbook export` publish these same bytes.
    Text cells that a spreadsheet would run as a formula are defused (see _cell).
    ``remember(name, compute, record)`` may give back a record's part from an earlier call
    (the preview's ``PageReuse.value``)."""
    cases = [remember("case.json", _case_json, case) for case in collection.cases]
    # what json.dumps(all cases, indent=2) writes, one case at a time
    files = {"cases.json": (("[\n" + ",\n".join(cases) + "\n]" if cases else "[]") + "\n").encode("utf-8")}
    files["cases.csv"] = _csv(CASE_COLUMNS, [_case_row(collection, c) for c in collection.cases]).encode("utf-8-sig")
    files["metrics.csv"] = _csv(METRIC_COLUMNS, [_metric_row(collection, c, i, m) for c in collection.cases for i, m in enumerate(c.metrics, 1)]).encode("utf-8-sig")
    for relative, model in SCHEMAS.items():
        files[relative.rsplit("/", 1)[1]] = schema_text(model).encode("utf-8")
    return files


def write_export(collection: Collection, out_dir: Path, root: Path = Path(".")) -> list[Path]:
    """Write the export atomically into a folder handbook may replace (see output_guard):
    a refusal or a failure leaves everything as it was."""
    from .atomic_output import replace_folder  # not at the top: render imports export_files
    from .output_guard import check_folder

    out_dir = check_folder(out_dir, root)
    files = export_files(collection)

    def write(staging: Path) -> bool:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        return True

    replace_folder(out_dir, "export", write)
    return sorted(out_dir / name for name in files)


def _case_json(case) -> str:
    """One case as an item of the indented JSON list."""
    return textwrap.indent(json.dumps(case.model_dump(mode="json"), ensure_ascii=False, indent=2), "  ")


def _csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """CSV formula injection (OWASP): Excel and WPS run a text cell that starts with = + - @
    TAB or CR, so such text gets a leading apostrophe. Numbers (value, lat, lon, years) are
    written as numbers, negative ones included: a number is never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _case_row(collection: Collection, case) -> dict:
    location = case.location
    return {
        "id": case.id, "title": case.title, "model": case.model,
        "organisation": case.organisation.name, "organisation_type": case.organisation.type, "level": case.organisation.level,
        "province": location.province, "city": location.city or "", "county": location.county or "",
        "lat": location.coordinates.lat, "lon": location.coordinates.lon,
        "start_year": case.period.start, "start_basis": case.period.start_basis, "as_of": case.period.as_of,
        "sectors": "|".join(case.sectors), "mechanisms": "|".join(case.mechanisms),
        "standards": "|".join(s.id for s in collection.standards_of(case)),
        "metrics": len(case.metrics), "sources": "|".join(s.id for s in case.sources),
        "last_updated": case.last_updated.isoformat(),
    }


def _metric_row(collection: Collection, case, index: int, metric) -> dict:
    return {
        "case_id": case.id, "index": index, "label": metric.label, "value": metric.value, "unit": metric.unit,
        "text": metric.text, "as_of": metric.as_of, "doubt": metric.doubt or "",
        "source_id": metric.citation.source, "source_title": collection.sources[metric.citation.source].title,
        "quote": metric.citation.quote,
    }

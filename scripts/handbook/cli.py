"""The ``handbook`` command for editors: validate records, check the schema, build the site."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .config import ConfigError, missing_content_folders, read_options
from .errors import ContentErrors, EditorError, RenderError
from .output_guard import OutputRefused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="handbook", description="党建案例与标准手册 — editor tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    command(sub, "validate", _validate, example="handbook validate --root .",
        help="check every case record and print every error",
        description="Check every record under cases/: fields, dates, figures and that every quote appears in its source.")

    p = command(sub, "schema", _schema, example="handbook schema --check",
        help="write or check the JSON Schemas in docs/schema/",
        description="The JSON Schemas of case records and standard front matter, generated from the models.")
    p.add_argument("--check", action="store_true", help="exit 1 if the published schema is stale")

    p = command(sub, "build", _build, example="handbook build --site-dir site",
        help="build the site atomically (a failed build keeps the previous site)",
        description="Run `mkdocs build --strict` into a temporary folder and swap it into place only on success. "
                    "Only a folder handbook created (it holds .handbook-output) is ever replaced.")
    p.add_argument("--site-dir", type=Path, default=Path("site"))

    p = command(sub, "offline", _offline, example="handbook offline --zip dist/handbook-offline.zip",
        help="build the offline edition as a zip that works from file://",
        description="Build with Material's offline plugin (search included) and pack the site into one zip.")
    p.add_argument("--zip", type=Path, default=Path("dist/handbook-offline.zip"))

    p = command(sub, "new", _new, example="handbook new ningde",
        help="scaffold a commented case record to fill in",
        description="Write cases/<id>.yaml with every field explained. It validates once every 待填写 is replaced. Refuses to overwrite.")
    p.add_argument("id", help="the case id: lowercase letters, digits and hyphens; also the file name and URL")

    p = command(sub, "ingest", _ingest, example="handbook ingest ../shared/sources/ningde-sixia-jiceng.txt --id ningde",
        help="turn a raw article into a draft case",
        description="Normalise a raw article (繁→简, D→党, no ads, paywall or HTML lines), split it at its headings, "
                    "collect every figure with its sentence, and write cases/sources/<file>, "
                    "cases/drafts/<id>.clean.txt and cases/drafts/<id>.yaml. Nothing is written if anything is wrong.")
    p.add_argument("article", type=Path, help="the raw article: .txt (UTF-8 or GB18030), Word .docx or a saved web page .html")
    p.add_argument("--id", dest="case_id", help="the case id (default: from the file name)")

    p = command(sub, "export", _export, example="handbook export --out dist/data",
        help="write the open data: cases.json, cases.csv, metrics.csv and the schemas",
        description="Export the validated collection; the site's 数据下载 page offers the same files. "
                    "Only a folder handbook created (it holds .handbook-output) is ever replaced.")
    p.add_argument("--out", type=Path, default=Path("dist/data"))

    p = command(sub, "release", _release, example="handbook release --dist dist",
        help="build everything for an edition into dist/ with a manifest",
        description="Print the PDFs, export the data, pack the offline zip, then build the site that offers them "
                    "(dist/downloads.json) and write dist/manifest.json (file, size, sha256). The publishing command.")
    p.add_argument("--dist", type=Path, default=Path("dist"))

    p = command(sub, "pdf", _pdf, example="handbook pdf --out dist",
        help="print the handbook and the session handouts to PDF",
        description="Print the handbook (contents with page numbers), a handout per session plan and a PDF per "
                    "standard to A4 with WeasyPrint (Noto CJK fonts embedded as subsets); unchanged PDFs come from .cache/pdf/.")
    p.add_argument("--out", type=Path, default=Path("dist"))
    p.add_argument("--cases", action="store_true", help="also print one PDF per case (the release does)")

    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"error: --root {args.root}: expected the project folder, found no such folder", file=sys.stderr)
        return 1
    # SIGTERM stops us like Ctrl-C does: the mkdocs child is stopped and staging folders removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return args.run(args)
    except (EditorError, OutputRefused, ConfigError, RenderError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ContentErrors as errors:  # capped: the first errors of each file and a count of the rest
        print(errors, file=sys.stderr)
        print(f"{len(errors.errors)} error(s)", file=sys.stderr)
        return 1
    except OSError as error:  # disk full, no permission: the previous outputs are left as they were
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was half-written", file=sys.stderr)
        return 130


def command(sub, name: str, run, *, example: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand with its --help example and the --root every command takes."""
    parser = sub.add_parser(name, help=help, description=description, epilog=f"example: {example}")
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: current directory)")
    parser.set_defaults(run=run)
    return parser


def _validate(args) -> int:
    from .load.loader import load_project

    collection = load_project(args.root)
    print(f"ok: {len(collection.cases)} cases, {collection.metric_count} cited figures, {len(collection.standards)} standards, {len(collection.sessions)} session plans")
    return 0


def _schema(args) -> int:
    from .schema import SCHEMAS, schema_text

    stale = []
    for relative, model in SCHEMAS.items():
        path, text = args.root / relative, schema_text(model)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {relative}")
    for relative in stale:
        print(f"{relative} is stale; run: handbook schema", file=sys.stderr)
    if args.check and not stale:
        print("schemas are up to date")
    return 1 if stale else 0


def _build(args) -> int:
    from .build import build_site

    options = read_options(args.root)
    missing = missing_content_folders(args.root, options.cases_dir, options.standards_dir)
    if missing:  # the plugin says the same, but only after the build has started
        raise ConfigError("\n".join(missing))
    return build_site(args.root, args.site_dir)


def _new(args) -> int:
    from .scaffold import new_case

    path = new_case(args.root, args.id)
    print(f"wrote {path}: replace every 待填写, then run: handbook validate")
    return 0


def _ingest(args) -> int:
    from .ingest import ingest

    for path in ingest(args.root, args.article, args.case_id):
        print(f"wrote {path}")
    print("next: rewrite the draft in your own words, keep the meaningful figures, move it to cases/ and run handbook validate")
    return 0


def _export(args) -> int:
    from .export import write_export
    from .load.loader import load_project
    from .output_guard import check_folder

    check_folder(args.out, args.root)  # refuse before loading anything
    collection = load_project(args.root)
    for path in write_export(collection, args.out, args.root):
        print(f"wrote {path}")
    return 0


def _release(args) -> int:
    from .release import release

    return release(args.root, args.dist)


def _pdf(args) -> int:
    from .pdf import build_pdfs

    return build_pdfs(args.root, args.out, cases=args.cases)


def _offline(args) -> int:
    from .build import build_offline_zip

    return build_offline_zip(args.root, args.zip)


if __name__ == "__main__":
    sys.exit(main())

"""The ``handbook`` command for editors: validate records, check the schema, build the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ContentErrors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="handbook", description="党建案例与标准手册 — editor tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "validate",
        help="check every case record and print every error",
        description="Check every record under cases/: fields, dates, figures and that every quote appears in its source.",
        epilog="example: handbook validate --root .",
    )
    p.add_argument("--root", type=Path, default=Path("."), help="project root (default: current directory)")
    p.set_defaults(run=_validate)

    p = sub.add_parser(
        "schema",
        help="write or check the JSON Schemas in docs/schema/",
        description="The JSON Schemas of case records and standard front matter, generated from the models.",
        epilog="example: handbook schema --check",
    )
    p.add_argument("--root", type=Path, default=Path("."))
    p.add_argument("--check", action="store_true", help="exit 1 if the published schema is stale")
    p.set_defaults(run=_schema)

    p = sub.add_parser(
        "build",
        help="build the site atomically (a failed build keeps the previous site)",
        description="Run `mkdocs build --strict` into a temporary folder and swap it into place only on success.",
        epilog="example: handbook build --site-dir site",
    )
    p.add_argument("--root", type=Path, default=Path("."))
    p.add_argument("--site-dir", type=Path, default=Path("site"))
    p.set_defaults(run=_build)

    p = sub.add_parser(
        "offline",
        help="build the offline edition as a zip that works from file://",
        description="Build with Material's offline plugin (search included) and pack the site into one zip.",
        epilog="example: handbook offline --zip dist/handbook-offline.zip",
    )
    p.add_argument("--root", type=Path, default=Path("."))
    p.add_argument("--zip", type=Path, default=Path("dist/handbook-offline.zip"))
    p.set_defaults(run=_offline)

    args = parser.parse_args(argv)
    return args.run(args)


def _validate(args) -> int:
    from .load.loader import load_collection

    try:
        collection = load_collection(args.root)
    except ContentErrors as errors:
        for error in errors.errors:
            print(error, file=sys.stderr)
        print(f"{len(errors.errors)} error(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(collection.cases)} cases, {collection.metric_count} cited figures, {len(collection.standards)} standards")
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

    return build_site(args.root, args.site_dir)


def _offline(args) -> int:
    from .build import build_offline_zip

    return build_offline_zip(args.root, args.zip)


if __name__ == "__main__":
    sys.exit(main())

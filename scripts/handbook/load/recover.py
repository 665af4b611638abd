"""What a record that cannot be read as YAML still declares, found by reading its lines.

A record with a syntax error, a BOM or a stray byte is reported once, by itself. The
glossary and standards citing its sources must not each report "unknown source" as well,
so its source ids and files are recovered line by line, best effort.
"""

from __future__ import annotations

import re

SOURCE_FILE = re.compile(r"^sources/[A-Za-z0-9._-]+\.txt$")  # as Source.file allows
_TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")
_ID = re.compile(r"""(?:^|[{,\s])id\s*:\s*["']?([a-z0-9]+(?:-[a-z0-9]+)*)["']?\s*(?:[,}#]|$)""")
_FILE = re.compile(r"""(?:^|[{,\s])file\s*:\s*["']?(sources/[A-Za-z0-9._-]+\.txt)["']?\s*(?:[,}#]|$)""")


def scan_sources(text: str) -> dict[str, str]:
    """{source id: file ('' when none is found)} for each item of the top-level `sources:` list."""
    found: dict[str, str] = {}
    inside, item = False, {}
    for line in text.lstrip("\ufeff").splitlines():
        if _TOP_LEVEL_KEY.match(line):
            inside, item = line.startswith("sources:"), {}
            continue
        if not inside:
            continue
        if re.match(r"^\s*-", line):  # a new list item
            item = {}
        for key, pattern in (("id", _ID), ("file", _FILE)):
            match = pattern.search(line)
            if match:
                item.setdefault(key, match.group(1))
        if "id" in item:  # an id whose file is not found is still known; its quotes go unchecked
            found[item["id"]] = item.get("file", "")
    return found

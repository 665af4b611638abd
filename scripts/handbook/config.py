"""The handbook plugin's options, read from mkdocs.yml, for the CLI as for the build.

`handbook validate` and `mkdocs build` must look at the same folders: a cases_dir
renamed in mkdocs.yml must not give "ok: 7 cases" and an empty site. The defaults are
defined once here; the MkDocs plugin declares its options with them. This module does
not import mkdocs (mkdocs.yml holds `!ENV` and `!!python/...` tags: unknown tags are read
as nothing, which is enough for the options we need).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "handbook"
_MAX_BYTES = 1_000_000


class ConfigError(Exception):
    """A problem in mkdocs.yml or the project layout; the message is one line per problem."""


@dataclass(frozen=True)
class HandbookOptions:
    """The `- handbook:` options of mkdocs.yml, with their defaults."""

    cases_dir: str = "cases"
    standards_dir: str = "standards"
    templates_dir: str = "overrides/handbook"
    list_page_size: int = 100  # cases per page of long lists
    # Where `handbook release` leaves the PDFs and the offline zip with their index
    # (downloads.json); the site offers those built for this very content (see downloads.py).
    downloads_dir: str = "dist"
    print_page: bool = False  # print/handbook.md: every record on one web page


DEFAULTS = HandbookOptions()


def read_options(root: Path) -> HandbookOptions:
    """The plugin options in root/mkdocs.yml; the defaults if there is no mkdocs.yml."""
    path = Path(root) / CONFIG_FILE
    if not path.is_file():
        return DEFAULTS
    if path.stat().st_size > _MAX_BYTES:
        raise ConfigError(f"{CONFIG_FILE}: expected at most {_MAX_BYTES // 1000} KB, got {path.stat().st_size // 1000} KB")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except UnicodeDecodeError:
        raise ConfigError(f"{CONFIG_FILE}: expected UTF-8 text, got undecodable bytes") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{CONFIG_FILE}:{line}: expected valid YAML, got {getattr(error, 'problem', error)}") from None
    given = _plugin_entry(data.get("plugins") if isinstance(data, dict) else None)
    types = {f.name: type(f.default) for f in fields(HandbookOptions)}
    problems = []
    for key, value in given.items():
        if key not in types:
            problems.append(f"{CONFIG_FILE}: plugins.{PLUGIN}.{key}: expected one of {', '.join(types)}, got '{key}'")
        elif not isinstance(value, types[key]) or (isinstance(value, bool) and types[key] is not bool):
            problems.append(f"{CONFIG_FILE}: plugins.{PLUGIN}.{key}: expected {types[key].__name__}, got {value!r}")
    if problems:
        raise ConfigError("\n".join(problems))
    return HandbookOptions(**given)


def missing_content_folders(root: Path, cases_dir: str, standards_dir: str) -> list[str]:
    """One line per configured content folder that does not exist: a typo in mkdocs.yml, or a
    folder moved away, must fail instead of publishing an empty handbook."""
    problems = []
    for key, folder in (("cases_dir", cases_dir), ("standards_dir", standards_dir)):
        if not (Path(root) / folder).is_dir():
            problems.append(f"{CONFIG_FILE}: plugins.{PLUGIN}.{key}: expected a folder of records, "
                            f"got '{folder}' (no such folder in {Path(root).resolve()})")
    return problems


def _plugin_entry(plugins) -> dict:
    """The handbook options from `plugins:` (a list of names / one-key mappings, or a mapping)."""
    entries = plugins.items() if isinstance(plugins, dict) else [
        next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None) for p in plugins or []]
    for name, options in entries:
        if name == PLUGIN:
            if options is not None and not isinstance(options, dict):
                raise ConfigError(f"{CONFIG_FILE}: plugins.{PLUGIN}: expected a mapping of options, got {options!r}")
            return options or {}
    return {}


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads `!ENV` as MkDocs does and any other unknown tag as nothing."""


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    default = names.pop() if len(names) > 1 else None
    return next((os.environ[n] for n in names if isinstance(n, str) and n in os.environ), default)


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)

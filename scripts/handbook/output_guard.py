"""What a command may write to: never the project, its records or its code.

Every command that writes a folder or a file (`build --site-dir`, `offline --zip`,
`export --out`, `release --dist`, `pdf --out`) asks here first. A folder is only
replaced if handbook created it: it holds the marker file `.handbook-output`, or it
is new or empty. The project root, its ancestors and the folders holding records,
sources or code are refused whatever they contain. A refusal is one line and nothing
is written.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .config import read_options

MARKER = ".handbook-output"
# Folders of a project that hold records, sources, templates or code.
SOURCE_FOLDERS = ("cases", "standards", "docs", "scripts", "tests", "overrides", ".git")
# A folder holding any of these at its top is a project or a source tree, marker or not
# (a built site has cases/ and standards/ folders of pages, so folder names do not count).
_SOURCE_NAMES = frozenset({"mkdocs.yml", "mkdocs.yaml", "pyproject.toml", "Makefile", ".git"})
_SOURCE_SUFFIXES = (".yaml", ".yml", ".md", ".py")


class OutputRefused(Exception):
    """A target a command must not write to; the message is one line for the editor."""


def output_path(target: Path, root: Path) -> Path:
    """The absolute target (relative to the project root), `..` resolved, the last part not
    followed: a symlink named as the target is judged as a link, not as what it points to."""
    path = Path(os.path.normpath(Path(root).resolve() / target))
    return path.parent.resolve() / path.name if path.name else path.resolve()


def check_folder(target: Path, root: Path, *, protected: tuple[str, ...] = ()) -> Path:
    """The folder `target` as an absolute path if a command may replace it; else OutputRefused.

    `protected` adds folders (relative to the root) such as a configured cases_dir."""
    path = output_path(target, root)
    _outside_sources(path, Path(root).resolve(), protected)
    if path.is_symlink():
        raise OutputRefused(f"{path}: refusing to write through a symbolic link; give the folder itself")
    if not path.exists():
        return path
    if not path.is_dir():
        raise OutputRefused(f"{path}: expected a folder handbook writes, got a file; choose another name")
    names = os.listdir(path)
    sources = sorted(n for n in names if n in _SOURCE_NAMES or n.endswith(_SOURCE_SUFFIXES))
    if sources:
        raise OutputRefused(f"{path}: refusing to replace a folder that holds records or code ({', '.join(sources[:3])})")
    if names and MARKER not in names and not _made_before_markers(path):
        raise OutputRefused(f"{path}: refusing to replace a folder handbook did not create (no {MARKER} in it); "
                            "choose a new folder, or remove this one yourself")
    return path


def check_file(target: Path, root: Path, *, suffix: str = ".zip", protected: tuple[str, ...] = ()) -> Path:
    """The file `target` as an absolute path if a command may (re)write it; else OutputRefused.
    Only a new file, or an earlier file of the same kind (a zip for .zip), is replaced."""
    path = output_path(target, root)
    _outside_sources(path, Path(root).resolve(), protected)
    if path.suffix.lower() != suffix:
        raise OutputRefused(f"{path}: expected a file name ending in {suffix}, got '{path.name}'")
    if path.is_symlink():
        raise OutputRefused(f"{path}: refusing to write through a symbolic link; give the file itself")
    if path.exists():
        if not path.is_file():
            raise OutputRefused(f"{path}: expected a {suffix} file, got a folder")
        if suffix == ".zip" and not zipfile.is_zipfile(path):
            raise OutputRefused(f"{path}: refusing to overwrite a file that is not a zip")
    return path


def mark(folder: Path, command: str) -> None:
    """Claim `folder` as output of `handbook <command>`, so a later run may replace it."""
    (folder / MARKER).write_text(f"written by `handbook {command}`: handbook may replace this folder\n", encoding="utf-8")


def make_folder(folder: Path, command: str) -> None:
    """Create `folder` and its missing parents, marking each one created (dist/ made by
    `handbook export --out dist/data` may later be replaced or filled by `handbook release`)."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        mark(path, command)


def prepare_folder(target: Path, root: Path, command: str) -> Path:
    """A folder that a command writes files into (dist/): checked, created and marked."""
    path = check_folder(target, root)
    make_folder(path, command)
    if not (path / MARKER).is_file():  # an empty folder the editor made for us
        mark(path, command)
    return path


# What handbook wrote before it marked its folders (November 2026): the first builds, exports
# and releases in existing checkouts are still recognised, by files only handbook writes.
_OLDER_OUTPUTS = (
    {"index.html", "sitemap.xml", "assets/javascripts/t2s-map.js"},  # a site (t2s-map.js is generated)
    {"manifest.json", "handbook-offline.zip"},  # a release's dist/
    {"cases.json", "cases.csv", "metrics.csv", "case.schema.json"},  # an export
)


def _made_before_markers(path: Path) -> bool:
    return any(all((path / name).is_file() for name in files) for files in _OLDER_OUTPUTS)


def _outside_sources(path: Path, root: Path, protected: tuple[str, ...]) -> None:
    """Refuse the root, its ancestors and anything inside a source folder (following links),
    including the folders mkdocs.yml gives the plugin (cases_dir may be records/)."""
    options = read_options(root)
    protected = (*protected, options.cases_dir, options.standards_dir, options.templates_dir)
    for candidate in {path, path.resolve()}:
        if candidate == root or root.is_relative_to(candidate):
            where = "the project folder" if candidate == root else f"a folder holding the project {root}"
            raise OutputRefused(f"{path}: refusing to write over {where}")
        for name in (*SOURCE_FOLDERS, *protected):
            folder = (root / name).resolve()
            if candidate.is_relative_to(folder):
                where = "over" if candidate == folder else "inside"
                raise OutputRefused(f"{path}: refusing to write {where} {name}/, which holds the project's records or code")

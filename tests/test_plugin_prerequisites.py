"""The plugin owns its prerequisites: a mkdocs.yml that breaks them fails, or cannot matter."""

from __future__ import annotations

import pytest

from conftest import copy_handbook, run_handbook


def _edit_config(project, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("extension", ["pymdownx.escapeall", "attr_list", "handbook.render.cjk_abbr"])
def test_a_missing_markdown_extension_fails_with_one_message(tmp_path, extension):
    project = copy_handbook(tmp_path / "handbook")
    line = next(l for l in (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True)
                if l.strip().startswith(f"- {extension}"))
    _edit_config(project, line, "")
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if "markdown_extensions" in l]
    assert len(errors) == 1 and extension in errors[0] and "mkdocs.yml" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_the_plugin_order_in_mkdocs_yml_does_not_matter(tmp_path, built_handbook):
    """Listed last, after tags and offline, the plugin still runs its on_config first (event
    priority): the pages and the search index are the same."""
    project = copy_handbook(tmp_path / "handbook")
    line = next(l for l in (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines(keepends=True)
                if l.strip().startswith("- handbook"))
    _edit_config(project, line, "")
    _edit_config(project, "      enabled: !ENV [HANDBOOK_OFFLINE, false]\n",
                 "      enabled: !ENV [HANDBOOK_OFFLINE, false]\n  - handbook\n")
    result = run_handbook("build", "--site-dir", "site", cwd=project)
    assert result.returncode == 0, result.stderr
    moved, first = project / "site" / "search", built_handbook / "site" / "search"
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names and names == sorted(p.relative_to(moved).as_posix() for p in moved.rglob("*") if p.is_file())
    assert all((moved / name).read_bytes() == (first / name).read_bytes() for name in names)

"""The two hand-kept forms an editor starts from, held to the model (issue 13: one list of fields).

`handbook new` writes a complete, commented record and `handbook ingest` a draft from an article.
Both are written by hand, because an editor needs Chinese comments and examples that a schema
cannot give; these tests make sure neither falls behind CaseRecord: the scaffold names every field
of the model (optional ones as comments), the draft every required one.
"""

from __future__ import annotations

import datetime as dt
import re
import typing

import yaml
from pydantic import BaseModel

from handbook.ingest import draft_yaml, parse_article
from handbook.model.case import CaseRecord
from handbook.scaffold import case_template

TODAY = dt.date(2026, 1, 1)
ARTICLE = "某县推行网格化管理\n\n一、建立网格\n全县划分网格120个，覆盖95%以上的村。\n"


def model_paths(model: type[BaseModel], required_only: bool, prefix: str = "") -> set[str]:
    """Dotted paths of the model's fields (a list of models adds no index: metrics.citation.quote)."""
    paths = set()
    for name, field in model.model_fields.items():
        if required_only and not field.is_required():
            continue
        paths.add(prefix + name)
        for nested in _models_in(field.annotation):
            paths |= model_paths(nested, required_only, prefix + name + ".")
    return paths


def _models_in(annotation) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def written_paths(text: str, uncomment: bool) -> set[str]:
    """Dotted paths of the keys a YAML form writes; with uncomment, also its commented-out keys."""
    if uncomment:
        text = re.sub(r"^(\s*)# ?(\s*[a-z_]+:)", r"\1\2", text, flags=re.M)
    paths: set[str] = set()

    def walk(value, prefix: str) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item, prefix)
        elif isinstance(value, dict):
            for key, inner in value.items():
                paths.add(prefix + key)
                walk(inner, prefix + key + ".")

    walk(yaml.safe_load(text), "")
    return paths


def test_paths_are_read_from_the_model():
    paths = model_paths(CaseRecord, required_only=False)
    assert {"period.start_basis", "metrics.citation.quote", "location.coordinates.lat", "training.exercise.task"} <= paths
    assert "metrics" not in model_paths(CaseRecord, required_only=True)  # an empty list is a valid default


def test_the_new_case_scaffold_names_every_field_of_the_model():
    written = written_paths(case_template("new-case", TODAY), uncomment=True)
    assert sorted(model_paths(CaseRecord, required_only=False) - written) == []
    assert sorted(written - model_paths(CaseRecord, required_only=False)) == []


def test_the_ingest_draft_writes_every_required_field():
    draft = draft_yaml("new-case", "new-case.txt", parse_article(ARTICLE), TODAY)
    written = written_paths(draft, uncomment=False)
    assert sorted(model_paths(CaseRecord, required_only=True) - written) == []
    assert sorted(written - model_paths(CaseRecord, required_only=False)) == []


def test_a_field_missing_from_a_form_is_caught():
    text = case_template("new-case", TODAY).replace("  start_basis: source", "")
    assert "period.start_basis" in model_paths(CaseRecord, required_only=False) - written_paths(text, uncomment=True)

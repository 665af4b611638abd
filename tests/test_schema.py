"""The published JSON Schema is generated from the models and never stale."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_handbook
import pytest

from handbook.model.case import CaseRecord
from handbook.schema import SCHEMAS, schema_text

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("relative", SCHEMAS)
def test_published_schema_is_up_to_date(relative):
    published = (REPO / relative).read_text(encoding="utf-8")
    assert published == schema_text(SCHEMAS[relative]), f"run `handbook schema` and commit {relative}"


def test_schema_check_command_detects_staleness(tmp_path):
    (tmp_path / "docs" / "schema").mkdir(parents=True)
    (tmp_path / "docs/schema/case.schema.json").write_text("{}\n", encoding="utf-8")
    assert run_handbook("schema", "--check", cwd=tmp_path).returncode == 1
    assert run_handbook("schema", cwd=tmp_path).returncode == 0
    assert run_handbook("schema", "--check", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("model", SCHEMAS.values(), ids=lambda m: m.__name__)
def test_every_field_has_a_description(model):
    schema = json.loads(schema_text(model))
    missing = []
    for name, definition in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        for field, spec in definition.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
    assert missing == []


@pytest.mark.parametrize("model", SCHEMAS.values(), ids=lambda m: m.__name__)
def test_unknown_fields_are_forbidden_everywhere(model):
    schema = json.loads(schema_text(model))
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects if o.get("type") == "object")
    assert model.model_config["extra"] == "forbid" == CaseRecord.model_config["extra"]

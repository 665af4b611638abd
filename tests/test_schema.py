"""The published JSON Schema is generated from the models and never stale."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_handbook
from handbook.model.case import CaseRecord
from handbook.schema import SCHEMA_PATH, schema_text

REPO = Path(__file__).resolve().parent.parent


def test_published_schema_is_up_to_date():
    published = (REPO / SCHEMA_PATH).read_text(encoding="utf-8")
    assert published == schema_text(), "run `handbook schema` and commit docs/schema/case.schema.json"


def test_schema_check_command_detects_staleness(tmp_path):
    (tmp_path / "docs" / "schema").mkdir(parents=True)
    (tmp_path / SCHEMA_PATH).write_text("{}\n", encoding="utf-8")
    assert run_handbook("schema", "--check", cwd=tmp_path).returncode == 1
    assert run_handbook("schema", cwd=tmp_path).returncode == 0
    assert run_handbook("schema", "--check", cwd=tmp_path).returncode == 0


def test_every_field_has_a_description():
    schema = json.loads(schema_text())
    missing = []
    for name, definition in [("CaseRecord", schema), *schema.get("$defs", {}).items()]:
        for field, spec in definition.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
    assert missing == []


def test_unknown_fields_are_forbidden_everywhere():
    schema = json.loads(schema_text())
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects if o.get("type") == "object")
    assert CaseRecord.model_config["extra"] == "forbid"

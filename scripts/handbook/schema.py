"""The published JSON Schema of case records, generated from the models (never by hand)."""

from __future__ import annotations

import json

from .model.case import CaseRecord

SCHEMA_PATH = "docs/schema/case.schema.json"


def schema_text() -> str:
    schema = CaseRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "case.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

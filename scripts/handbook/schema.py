"""The published JSON Schemas, generated from the models (never written by hand)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from .model.case import CaseRecord
from .model.standard import StandardFrontMatter
from .model.training import SessionPlan

SCHEMAS: dict[str, type[BaseModel]] = {
    "docs/schema/case.schema.json": CaseRecord,
    "docs/schema/standard.schema.json": StandardFrontMatter,
    "docs/schema/session.schema.json": SessionPlan,
}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = next(path.rsplit("/", 1)[1] for path, m in SCHEMAS.items() if m is model)
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

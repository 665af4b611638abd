"""The editor guide's field reference, generated from the models so it can never drift."""

from __future__ import annotations

import datetime as dt
import types
import typing

from pydantic import BaseModel

from ..model.case import CaseRecord
from ..model.edition import EditionFile
from ..model.glossary import Glossary
from ..model.standard import StandardFrontMatter
from ..model.training import SessionPlan

DOCUMENTED: list[tuple[str, type[BaseModel]]] = [
    ("案例记录（cases/<id>.yaml）", CaseRecord),
    ("标准流程 front matter（standards/<id>.md）", StandardFrontMatter),
    ("术语表（standards/glossary.yaml）", Glossary),
    ("版次（cases/edition.yaml）", EditionFile),
    ("培训方案（standards/sessions/<id>.yaml）", SessionPlan),
]


def field_rows(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, bool, str]]:
    """(path, type, required, description) for every field, nested models expanded in place."""
    rows = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        rows.append((path, type_name(annotation), info.is_required(), info.description or ""))
        nested = _nested_model(annotation)
        if nested is not None:
            suffix = "[]." if _is_list(annotation) else "."
            rows += field_rows(nested, path + suffix)
    return rows


def type_name(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a) for a in args if a is not type(None)]
        return " 或 ".join(dict.fromkeys(names)) + ("（可留空）" if type(None) in args else "")
    if origin is typing.Literal:
        return "之一：" + " / ".join(str(a) for a in args)
    if origin is list:
        return f"{type_name(args[0])}的列表"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "字段组"
    return {str: "文本", int: "整数", float: "数", dt.date: "日期 YYYY-MM-DD", bool: "是/否"}.get(annotation, "文本")


def _is_list(annotation) -> bool:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _is_list(args[0])
    return origin is list


def _nested_model(annotation):
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Annotated, list, typing.Union, types.UnionType):
        for arg in args:
            found = _nested_model(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None

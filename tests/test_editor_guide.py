"""The editor guide's 速查 and session plans; the home page's recent updates, newest first."""

from __future__ import annotations

import re

import yaml

from conftest import copy_handbook
from handbook.load.loader import load_collection


def test_guide_has_five_rules_each_with_a_wrong_and_a_right_example(built_handbook):
    html = (built_handbook / "site" / "editor-guide" / "index.html").read_text(encoding="utf-8")
    quick = html[html.index('id="编辑速查"'):html.index('id="从原始文章新增案例"')]
    rules = re.findall(r"<strong>(\d)\. ", quick)
    assert rules == ["1", "2", "3", "4", "5"]
    blocks = quick.split("<strong>")[1:]
    assert all("# 错" in block and "# 对" in block for block in blocks)
    assert 'id="培训方案"' in html and "<code>agenda[].minutes</code>" in html  # session plans are documented


def test_recent_updates_sort_by_date_then_history_order(tmp_path):
    project = copy_handbook(tmp_path / "handbook")
    collection = load_collection(project)
    newest = collection.recent_changes(None)[0].date
    # An update on the newest date, written last in a record's history, is the newest change
    # even though other records changed that day and sort before it by id.
    last = collection.cases[-1]
    path = project / "cases" / f"{last.id}.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["history"].append({"date": newest, "change": "updated", "note": "补充一处说明。"})
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changes = load_collection(project).recent_changes(None)
    assert (changes[0].record.id, changes[0].entry.change) == (last.id, "updated")
    assert [c.date for c in changes] == sorted((c.date for c in changes), reverse=True)

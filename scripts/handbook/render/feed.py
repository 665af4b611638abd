"""A JSON Feed (https://jsonfeed.org/version/1.1) of added and updated cases and standards."""

from __future__ import annotations

import datetime as dt
import json

from ..model.collection import Collection
from .urls import FEED, change_src


def feed_json(collection: Collection, site_url: str | None, page_url) -> str:
    """``page_url(src_uri)`` gives a page's URL relative to the site root."""
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    edition = collection.editions.current_edition if collection.editions else None
    items = []
    for change in collection.recent_changes(limit=50):
        verb = change.entry.verb
        kind = "标准" if change.kind == "standard" else "案例"
        published = dt.datetime.combine(change.date, dt.time(), dt.timezone.utc).isoformat()
        items.append({
            "id": f"{change.kind}:{change.record.id}:{change.date.isoformat()}:{change.entry.change}",
            "url": base + page_url(change_src(change)),
            "title": f"{verb}{kind}：{change.record.title}",
            "content_text": change.entry.note,
            "date_published": published,
            "tags": [kind, verb],
        })
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "党建案例与标准手册：更新",
        "language": "zh-CN",
        "feed_url": base + FEED,
        "items": items,
    }
    if base:
        feed["home_page_url"] = base
    if edition:
        feed["description"] = f"当前版次：{edition.title}（{edition.id}），{edition.date.isoformat()}"
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"

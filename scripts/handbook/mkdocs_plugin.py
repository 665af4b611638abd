"""The thin MkDocs adapter: load the collection, hand its pages to MkDocs as virtual files.

All the work happens in ``load`` and ``render``, which know nothing about MkDocs.
Nothing is ever written into docs/ or cases/ (that would loop ``mkdocs serve``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .errors import ContentErrors
from .load.loader import load_collection
from .render.pages import render_pages

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(Config):
    cases_dir = opt.Type(str, default="cases")
    standards_dir = opt.Type(str, default="standards")
    templates_dir = opt.Type(str, default="overrides/handbook")


class HandbookPlugin(BasePlugin[HandbookConfig]):
    """Adds the home page, the case and standard pages, their indexes and the matrix."""

    def on_config(self, config):
        # jieba (used by the search plugin) logs its dictionary loading at DEBUG to stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        root = Path(config.config_file_path).parent
        try:
            collection = load_collection(root, self.config.cases_dir, self.config.standards_dir)
        except ContentErrors as errors:
            raise PluginError(f"{len(errors.errors)} content error(s):\n{errors}") from None
        for page in render_pages(collection, root / self.config.templates_dir):
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} would hide a generated page; remove or rename it")
            files.append(File.generated(config, page.src_uri, content=page.content))
        log.info("handbook: %d cases, %d figures", len(collection.cases), collection.metric_count)
        return files

    def on_serve(self, server, *, config, builder):
        root = Path(config.config_file_path).parent
        for folder in (self.config.cases_dir, self.config.standards_dir, self.config.templates_dir):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

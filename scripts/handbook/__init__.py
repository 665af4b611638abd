"""党建案例与标准手册 compiler.

The flow is YAML → model → page → search index:

- ``load/``    reads record files, keeping line numbers, into validated models;
- ``model/``   the pydantic models and the in-memory collection;
- ``render/``  Jinja templates that turn the collection into Markdown pages;
- ``mkdocs_plugin`` hands those pages to MkDocs, whose search plugin indexes them.

Nothing outside ``mkdocs_plugin`` (and the ``build`` command) imports mkdocs.
"""

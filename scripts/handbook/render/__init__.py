"""Turn the validated collection into Markdown pages through overridable Jinja templates."""

"""Server-rendered pages (Jinja2), which work without JavaScript."""

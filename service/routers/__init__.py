"""HTTP layer: api/ (JSON) and pages/ (HTML + HTMX)."""

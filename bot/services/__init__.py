"""Plain logic between handlers and the store: repositories and values in, dataclasses out."""

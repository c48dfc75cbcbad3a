"""Plain-language text utilities: readability and markdown-to-prose."""

"""Clinical notes: reading note input and extracting entities with clinical context."""

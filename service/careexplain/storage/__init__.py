"""Storage: the database and the repositories that read and write it."""

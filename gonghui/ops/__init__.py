"""Operations: encrypted, verified backups of the database and uploads, and restore."""

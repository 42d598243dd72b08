class BackupError(Exception):
    """A backup or restore refused, with a message for the operator (Chinese)."""

"""Reads and registered metrics of democratic management, one module per part."""

from gonghui.democracy.queries import (  # noqa: F401  registers metrics
    congress,
    elections,
    evaluation,
    proposals,
)

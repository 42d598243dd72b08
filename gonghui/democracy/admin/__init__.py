"""Back-office screens of democratic management, one module per part."""

from gonghui.democracy.admin import (  # noqa: F401  registers admin classes
    congress,
    elections,
    evaluation,
    proposals,
)

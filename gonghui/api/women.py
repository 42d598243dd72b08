"""女职工工作 endpoints. Every write goes through women.services."""

from ninja import Router

router = Router(tags=["女职工工作"])

"""安全生产 endpoints. Every write goes through safety.services."""

from ninja import Router

router = Router(tags=["安全生产"])

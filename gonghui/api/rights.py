"""维权 endpoints. Every write goes through rights.services."""

from ninja import Router

router = Router(tags=["维权"])

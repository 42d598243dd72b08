"""评先评优 endpoints. Every write goes through honors.services."""

from ninja import Router

router = Router(tags=["评先评优"])

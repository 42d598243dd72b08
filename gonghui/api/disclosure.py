"""厂务公开 endpoints. Every write goes through disclosure.services."""

from ninja import Router

router = Router(tags=["厂务公开"])

"""Election and evaluation endpoints."""

from ninja import Router

router = Router(tags=["选举与民主评议"])

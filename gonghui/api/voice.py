"""职工意见 endpoints. Every write goes through voice.services."""

from ninja import Router

router = Router(tags=["职工意见"])

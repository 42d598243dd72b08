"""Congress and proposal endpoints."""

from ninja import Router

router = Router(tags=["职代会与提案"])

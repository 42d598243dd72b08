"""学习培训 endpoints. Every write goes through learning.services."""

from ninja import Router

router = Router(tags=["学习培训"])

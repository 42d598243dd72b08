"""Plans, goals and drafted reports endpoints."""

from ninja import Router

router = Router(tags=["工作计划与总结报告"])

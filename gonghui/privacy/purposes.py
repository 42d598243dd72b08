"""The purpose texts a member reads before giving separate consent (PIPL art. 29:
sensitive personal information needs the person's separate consent, after
being told why it is needed and what happens if they refuse).

A text never changes in place: a new wording gets a new version, and each
consent keeps the version and the words the member was shown.
"""

from dataclasses import dataclass

from django.db import models


class Category(models.TextChoices):
    HARDSHIP = "hardship", "困难帮扶信息"
    HEALTH = "health", "健康信息"
    FOUR_PERIOD = "four_period", "女职工四期信息"


@dataclass(frozen=True)
class Purpose:
    version: str
    text: str


PURPOSES: dict[str, Purpose] = {
    Category.HARDSHIP: Purpose(
        version="2026-11",
        text=(
            "为认定困难职工、建立困难职工档案并发放帮扶救助，工会需要收集和保存您的家庭人口、"
            "家庭收入和致困原因。这些信息仅由本单位工会负责帮扶工作的人员在认定、复核和救助时使用，"
            "不对外公开，不用于其他目的；档案解除或您离会后按本会规定的期限保存，期满后匿名化处理。"
            "您可以随时撤回同意；撤回后工会不再录入或更新您的困难帮扶信息，但已经发放的救助记录"
            "按财务规定保存。不同意将无法为您建立困难职工档案。"
        ),
    ),
    Category.HEALTH: Purpose(
        version="2026-11",
        text=(
            "为确定医疗救助、大病帮扶的对象和金额，工会需要收集和保存您的健康状况（疾病、残疾等）。"
            "健康信息加密保存，只有经授权的工会干部填写查看理由后才能查看，每次查看都有记录，"
            "您本人可以在会员服务中查看和下载。您可以随时撤回同意；撤回后工会不再录入或更新您的"
            "健康信息。不同意将无法为您办理与健康状况相关的帮扶。"
        ),
    ),
    Category.FOUR_PERIOD: Purpose(
        version="2026-11",
        text=(
            "为落实女职工经期、孕期、产期、哺乳期（四期）劳动保护，为您调整岗位、安排休息和发放"
            "防护用品，女职工委员会需要登记您所处的时期和相应安排。这些信息加密保存，仅女职工委员会"
            "委员和您本人可以查看，每次查看都有记录。您可以随时撤回同意；撤回后不再登记或更新您的"
            "四期信息。不同意将无法通过工会为您登记四期保护。"
        ),
    ),
}


def purpose_of(category: str) -> Purpose:
    return PURPOSES[category]

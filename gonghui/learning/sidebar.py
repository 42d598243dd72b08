"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "学习培训",
    "items": [
        area_item(
            "培训", "school", "admin:learning_trainingsession_changelist", Perm.VIEW_LEARNING
        ),
        area_item("题库", "quiz", "admin:learning_question_changelist", Perm.VIEW_LEARNING),
        area_item(
            "每日一题", "today", "admin:learning_dailyquestion_changelist", Perm.VIEW_LEARNING
        ),
        area_item(
            "考试与知识竞赛", "assignment", "admin:learning_exam_changelist", Perm.VIEW_LEARNING
        ),
        area_item(
            "技能竞赛", "emoji_events", "admin:learning_skillcontest_changelist", Perm.VIEW_LEARNING
        ),
        area_item(
            "资格证书",
            "workspace_premium",
            "admin:learning_qualification_changelist",
            Perm.VIEW_LEARNING,
        ),
    ],
}

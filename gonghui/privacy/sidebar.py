"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "个人信息保护",
    "items": [
        area_item(
            "单独同意", "verified_user", "admin:privacy_consent_changelist", Perm.RECORD_CONSENT
        ),
        area_item("待匿名化会员", "person_off", "privacy:due", Perm.ANONYMISE),
        area_item(
            "匿名化记录", "history", "admin:privacy_anonymisation_changelist", Perm.ANONYMISE
        ),
        area_item("敏感信息查看记录", "policy", "privacy:access_log", Perm.REVIEW_ACCESS_LOG),
    ],
}

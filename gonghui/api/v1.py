"""The JSON API, version 1, mounted at /api/v1/ (schema: /api/v1/openapi.json)."""

from gonghui.api import errors
from gonghui.api.activities import router as activities_router
from gonghui.api.auth import TokenAuth, UserRateThrottle
from gonghui.api.care import router as care_router
from gonghui.api.collection import router as collection_router
from gonghui.api.democracy import router as democracy_router
from gonghui.api.disclosure import router as disclosure_router
from gonghui.api.finance import router as finance_router
from gonghui.api.honors import router as honors_router
from gonghui.api.learning import router as learning_router
from gonghui.api.members import router as members_router
from gonghui.api.newsletter import router as newsletter_router
from gonghui.api.openapi import GonghuiAPI
from gonghui.api.orgs import router as orgs_router
from gonghui.api.reports import router as reports_router
from gonghui.api.rights import router as rights_router
from gonghui.api.safety import router as safety_router
from gonghui.api.transfers import router as transfers_router
from gonghui.api.upper import router as upper_router
from gonghui.api.voice import router as voice_router
from gonghui.api.women import router as women_router

api = GonghuiAPI(
    title="工会工作系统接口",
    version="1",
    description=(
        "基层工会工作系统的 JSON 接口。认证：在请求头中提供 `Authorization: Bearer <令牌>`，"
        "令牌在后台“接口令牌”中创建。每个账号只能看到其有权查看的工会的数据；"
        "敏感信息（身份证号、手机号码）只以脱敏形式返回。"
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[UserRateThrottle()],
    docs_url=None,
)
errors.install(api)
api.add_router("", orgs_router)
api.add_router("", members_router)
api.add_router("", transfers_router)
api.add_router("", activities_router)
api.add_router("", finance_router)
api.add_router("", care_router)
api.add_router("", democracy_router)
api.add_router("", disclosure_router)
api.add_router("", voice_router)
api.add_router("", safety_router)
api.add_router("", women_router)
api.add_router("", learning_router)
api.add_router("", honors_router)
api.add_router("", rights_router)
api.add_router("", reports_router)
api.add_router("", newsletter_router)
api.add_router("", upper_router)
api.add_router("", collection_router)

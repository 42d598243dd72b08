"""Every API error is JSON with a Chinese message and the field it concerns:

    {"detail": "身份证号校验位错误",
     "errors": [{"field": "id_number", "message": "身份证号校验位错误"}]}

Rule violations raised by services (django ValidationError) answer 400,
malformed requests (wrong types, missing fields) 422, bad tokens 401,
missing permissions 403, anything not visible to the caller 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)

NOT_FOUND = "未找到"

FIELD_LABELS = {
    "union": "工会",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "phone": "手机号码",
    "employee_number": "工号",
    "department": "部门",
    "group": "工会小组",
    "position": "岗位/职务",
    "education": "学历",
    "political_status": "政治面貌",
    "ethnicity": "民族",
    "joined_on": "入会日期",
    "joined_year": "入会年份",
    "status": "会籍状态",
    "to": "新状态",
    "on": "日期",
    "reason": "原因",
    "q": "搜索词",
    "cursor": "分页游标",
    "limit": "每页条数",
    "union_id": "工会编号",
    "member_id": "会员编号",
    # Activities and finance (gonghui/api/activities.py, finance.py)
    "title": "活动名称",
    "type": "活动类型",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "place": "地点",
    "organiser": "组织者",
    "audience": "参加对象",
    "audience_groups": "参加的工会小组",
    "capacity": "名额",
    "signup_opens_at": "报名开始",
    "signup_closes_at": "报名截止",
    "description": "活动内容",
    "cost": "费用",
    "club": "社团",
    "member": "会员",
    "token": "签到码",
    "present": "出席名单",
    "absent": "撤销名单",
    "award_level": "奖项等级",
    "rank": "名次",
    "prize": "奖品",
    "starts_from": "开始日期起",
    "starts_until": "开始日期止",
    "open_for_sign_up": "可报名",
    "year": "年度",
    "category": "科目类别",
    "kind": "收支类型",
    "line": "预算科目",
    "planned": "年初预算",
    "delta": "调整金额",
    "amount": "金额",
    "voucher": "凭证号",
    "note": "摘要",
    "payee": "收款方",
    "payer": "付款方",
    "over_budget_reason": "超预算理由",
    "idempotency_key": "防重复提交标识",
    "activity": "活动",
    "on_from": "起始日期",
    "on_until": "截止日期",
    "file": "文件",
    # Dues, allocation and audit reports (gonghui/api/finance.py)
    "month": "所属月份",
    "month_from": "起始月份",
    "month_until": "截止月份",
    "paid_on": "缴纳日期",
    "base": "会费基数",
    "since": "起始月份",
    "rate": "比例",
    "starts_on": "起始日期",
    "ends_on": "截止日期",
    "dues_rate": "会费比例",
    "rounding": "取整规则",
    "allocation_rate": "拨缴经费比例",
    "upward_share": "上解上级比例",
    "payroll_total": "工资总额",
    "recipient": "接收单位",
    "findings": "审查发现",
    "conclusion": "审查结论",
    "filed_by": "报告人",
    "filed_on": "报告日期",
}

# Ninja nests a request body under the view's parameter name; our views call it this.
BODY_PARAM = "payload"
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def label(field: str | None) -> str:
    if not field:
        return "请求"
    last = field.rsplit(".", 1)[-1]
    chinese = FIELD_LABELS.get(last)
    return f"{chinese}（{field}）" if chinese else f"字段“{field}”"


def _field_of(loc) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    return ".".join(parts) or None


def _message(error: dict, field: str | None) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    what = label(field)
    if kind == "missing":
        return f"缺少必填字段：{what}"
    if kind == "extra_forbidden":
        return f"不支持的字段：{what}"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"{what}应为 JSON 对象" if field else "请求体应为 JSON 对象"
    if kind.startswith("string_type") or kind == "string_sub_type":
        return f"{what}应为文本"
    if kind == "string_too_long":
        return f"{what}不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return f"{what}不能少于{ctx.get('min_length')}个字符"
    if kind.startswith("int_") or kind == "int_type":
        return f"{what}应为整数"
    if kind.startswith("bool"):
        return f"{what}应为 true 或 false"
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return f"{what}应为有效的日期时间文本，如 2025-03-01T09:00:00+08:00"
    if kind.startswith("date"):
        return f"{what}应为有效日期，格式为 YYYY-MM-DD 的文本"
    if kind.startswith("time"):
        return f"{what}应为有效时间，格式为 HH:MM 的文本"
    if kind.startswith(("decimal", "float", "finite_number")) or (
        kind == "is_instance_of" and ctx.get("class") == "Decimal"
    ):
        return f'{what}应为数字，金额可写作文本，如 "1280.50"'
    if kind.startswith("uuid"):
        return f"{what}应为 UUID 文本"
    if kind == "greater_than_equal":
        return f"{what}不能小于{ctx.get('ge')}"
    if kind == "greater_than":
        return f"{what}必须大于{ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"{what}不能大于{ctx.get('le')}"
    if kind == "less_than":
        return f"{what}必须小于{ctx.get('lt')}"
    if kind in {"literal_error", "enum"}:
        return f"{what}的取值不在可选范围内（可选：{ctx.get('expected', '')}）"
    if kind == "value_error" and ctx.get("error"):
        return f"{what}{ctx['error']}"
    if kind in {"list_type", "tuple_type"}:
        return f"{what}应为列表"
    return f"{what}的值无效"


def body(errors: list[tuple[str | None, str]], detail: str | None = None) -> dict:
    return {
        "detail": detail or errors[0][1],
        "errors": [{"field": f, "message": m} for f, m in errors],
    }


# What any operation may answer besides what its router lists: the handlers
# below apply to every route, so the schema says so for every route.
COMMON_RESPONSES = {
    400: "业务规则不允许（说明见 detail 与 errors）",
    401: "缺少或无效的接口令牌",
    403: "没有执行此操作的权限",
    404: "未找到，或不在您可查看的范围内",
    409: "数据已被同时修改，请刷新后重试",
    422: "请求格式不正确：字段类型、必填字段或取值范围有误",
    429: "请求过于频繁，请稍后再试",
}


def document_common_responses(schema: dict) -> dict:
    """Add the error answers every operation can give to each operation of `schema`."""
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_RESPONSES.items():
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": description, "content": body}
    return schema


def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def respond(request, payload, status, **headers):
        response = api.create_response(request, payload, status=status)
        for key, value in headers.items():
            response[key.replace("_", "-")] = value
        return response

    @api.exception_handler(ValidationError)
    def malformed(request, exc):
        pairs = []
        for error in exc.errors:
            field = _field_of(error.get("loc", ()))
            pairs.append((field, _message(error, field)))
        if not pairs:
            pairs = [(None, "请求格式不正确")]
        return respond(request, body(pairs), 422)

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        if hasattr(exc, "error_dict"):
            pairs = [
                (None if field == "__all__" else field, message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            pairs = [(None, message) for message in exc.messages]
        return respond(request, body(pairs or [(None, "请求被拒绝")]), 400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        message = "缺少或无效的接口令牌：请在请求头中提供 Authorization: Bearer <令牌>"
        return respond(request, {"detail": message}, 401, WWW_Authenticate="Bearer")

    @api.exception_handler(AuthorizationError)
    def unauthorised(request, exc):
        return respond(request, {"detail": "您没有执行此操作的权限"}, 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, {"detail": NOT_FOUND}, 404)

    @api.exception_handler(IntegrityError)
    def conflict(request, exc):
        return respond(request, {"detail": "数据已被同时修改，请刷新后重试"}, 409)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        headers = {"Retry_After": str(int(exc.wait) + 1)} if exc.wait else {}
        return respond(request, {"detail": "请求过于频繁，请稍后再试"}, 429, **headers)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            return respond(request, body([(None, "请求体不是有效的 JSON")]), 400)
        if exc.status_code == 429:
            message = "请求过于频繁，请稍后再试"
        return respond(request, {"detail": message}, exc.status_code)

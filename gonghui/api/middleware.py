"""Answers in Chinese JSON for what happens before an API view runs.

django-ninja answers a wrong method on a known address with its English
text/plain "Method not allowed", and an address no route matches falls to
Django's HTML 404 page. A program calling the API reads neither; both become
the API's own error shape (`{"detail": …}`, gonghui/api/errors.py), the 405
keeping its Allow header.
"""

from django.http import JsonResponse

PREFIX = "/api/"
DOCUMENT = "/api/v1/openapi.json"


def method_not_allowed(method: str, allowed: list[str]) -> str:
    return f"此地址不支持 {method} 方法（可用：{'、'.join(allowed)}）"


def unknown_address(path: str) -> str:
    return f"接口地址不存在：{path}（全部地址见 {DOCUMENT}）"


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class ApiErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or _is_json(response):
            return response
        if response.status_code == 405:
            allowed = sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip())
            answer = _json(method_not_allowed(request.method, allowed), 405)
            answer["Allow"] = ", ".join(allowed)
            return answer
        if response.status_code == 404:
            return _json(unknown_address(request.path), 404)
        return response

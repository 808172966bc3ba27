"""The pure envelope decoders: TCA's {data, code, msg} and TAPD's {status, data, info}.

Bodies are modelled on real TCA captures (open-source server behind its nginx) and on
TAPD's documented answers; each test builds its own ``RawResponse``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import pytest

from tca_tapd._envelope import RawResponse
from tca_tapd._ratelimit import RateLimit
from tca_tapd.errors import (
    APIError,
    AuthenticationError,
    DecodeError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from tca_tapd.tapd._envelope import decode_tapd, parse_rate_limit
from tca_tapd.tca._envelope import decode_tca

JSON = "application/json"
HTML = "text/html; charset=utf-8"
TCA_URL = "http://tca.test/server/main/api/orgs/org1/teams/t1/repos/"
TAPD_URL = "http://tapd.test/stories?workspace_id=10104801"
RECEIVED_AT = 1_700_000_000.0

NGINX_401 = (
    b"<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
    b"<center><h1>401 Authorization Required</h1></center>\r\n"
    b"<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
)
NGINX_403 = (
    b"<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    b"<center><h1>403 Forbidden</h1></center>\r\n"
    b"<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
)
NGINX_502 = b"<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>"


def raw(
    status: int,
    body: Any = None,
    *,
    content: bytes | None = None,
    content_type: str | None = JSON,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    url: str = TCA_URL,
    received_at: float = RECEIVED_AT,
) -> RawResponse:
    """A RawResponse with a JSON body (or the exact ``content`` given)."""
    if content is None:
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
    all_headers = dict(headers or {})
    if content_type is not None:
        all_headers["content-type"] = content_type
    return RawResponse(
        status_code=status,
        content=content,
        headers=all_headers,
        method=method,
        url=url,
        received_at=received_at,
    )


def tca_ok(data: Any, *, status: int = 200, code: Any = 0) -> RawResponse:
    return raw(status, {"data": data, "code": code, "msg": "请求成功", "status_code": status})


def tapd(status: int, body: Any, **kwargs: Any) -> RawResponse:
    kwargs.setdefault("url", TAPD_URL)
    return raw(status, body, **kwargs)


def tapd_ok(data: Any) -> RawResponse:
    return tapd(200, {"status": 1, "data": data, "info": "success"})


def tapd_error(status: int, info: str, **kwargs: Any) -> RawResponse:
    body = {"status": status, "data": "", "info": info, "meta": {"request_id": "req-42"}}
    return tapd(status, body, **kwargs)


REPO = {"id": 1, "name": "CodeAnalysis", "scm_type": "git", "scm_auth": None}
PAGE = {"count": 1, "next": None, "previous": None, "results": [REPO]}


# == TCA success =============================================================================


@pytest.mark.parametrize("code", [0, "0"])
def test_tca_success_with_code_zero_as_int_or_string(code: Any) -> None:
    assert decode_tca(tca_ok(PAGE, code=code), dict) == PAGE


def test_tca_paginated_dict_payload() -> None:
    data = decode_tca(tca_ok(PAGE), dict)
    assert data["count"] == 1
    assert data["results"][0]["name"] == "CodeAnalysis"


def test_tca_bare_list_payload() -> None:
    branches = [{"branch": "master", "schemes": []}, {"branch": "dev", "schemes": []}]
    assert decode_tca(tca_ok(branches), list) == branches


def test_tca_either_shape_accepted_with_tuple_expect() -> None:
    assert decode_tca(tca_ok([REPO]), (list, dict)) == [REPO]
    assert decode_tca(tca_ok(PAGE), (list, dict)) == PAGE


def test_tca_expect_none_accepts_any_payload() -> None:
    assert decode_tca(tca_ok(None), None) is None
    assert decode_tca(tca_ok("text"), None) == "text"


def test_tca_201_create_returns_data() -> None:
    created = {"id": 7, "name": "CodeAnalysis", "labels": []}
    assert decode_tca(tca_ok(created, status=201), dict) == created


def test_tca_204_empty_body_is_none() -> None:
    response = raw(204, content=b"", content_type=None, method="DELETE")
    assert decode_tca(response, None) is None
    assert decode_tca(response, dict) is None


def test_tca_expect_list_with_dict_payload_is_decode_error() -> None:
    with pytest.raises(DecodeError) as info:
        decode_tca(tca_ok(PAGE), list)
    err = info.value
    assert "expected a list" in err.reason
    assert "dict" in err.reason
    assert err.status_code == 200
    assert json.loads(err.body)["data"] == PAGE


def test_tca_expect_dict_with_list_payload_is_decode_error() -> None:
    with pytest.raises(DecodeError, match="expected an object"):
        decode_tca(tca_ok([REPO]), dict)


# == TCA failure inside a success status =====================================================


def test_tca_nonzero_code_on_http_200_is_api_error() -> None:
    response = raw(200, {"data": None, "code": 1000, "msg": "操作失败", "status_code": 200})
    with pytest.raises(APIError) as info:
        decode_tca(response, dict)
    err = info.value
    assert type(err) is APIError
    assert err.status_code == 200
    assert err.api_code == 1000
    assert err.message == "操作失败"
    assert err.url == TCA_URL
    assert "API code 1000" in str(err)


def test_tca_nonzero_code_as_numeric_string_is_normalised() -> None:
    response = raw(200, {"data": None, "code": "120", "msg": "job create error"})
    with pytest.raises(APIError) as info:
        decode_tca(response, None)
    assert info.value.api_code == 120


def test_tca_non_numeric_code_is_kept_as_sent() -> None:
    response = raw(200, {"data": None, "code": "E_FAIL", "msg": ""})
    with pytest.raises(APIError) as info:
        decode_tca(response, None)
    assert info.value.api_code == "E_FAIL"
    assert info.value.message == "request failed"


@pytest.mark.parametrize(
    "body",
    [{"code": 0, "msg": "ok"}, {"data": [], "msg": "ok"}, [1, 2, 3], "just a string"],
)
def test_tca_2xx_without_envelope_is_decode_error(body: Any) -> None:
    with pytest.raises(DecodeError, match="not a TCA envelope"):
        decode_tca(raw(200, body), None)


# == TCA error statuses ======================================================================


@pytest.mark.parametrize(
    ("status", "cls", "code", "msg"),
    [
        (400, ValidationError, 1000, "name 该字段是必填项。"),
        (401, AuthenticationError, 1000, "身份认证信息未提供。"),
        (403, PermissionDeniedError, 1000, "您没有执行该操作的权限。"),
        (404, NotFoundError, 1000, "未找到。"),
        (429, RateLimitError, 1000, "请求超过了限速。"),
        (500, ServerError, 1000, "服务器内部错误"),
        (502, ServerError, 1000, "bad gateway"),
        (503, ServerError, 1000, "service unavailable"),
        (504, ServerError, 1000, "gateway timeout"),
    ],
)
def test_tca_error_status_maps_to_typed_error(
    status: int, cls: type[APIError], code: int, msg: str
) -> None:
    body = {"status_code": status, "code": code, "msg": msg}
    response = raw(status, body, headers={"x-request-id": "rid-123"}, method="POST")
    with pytest.raises(APIError) as info:
        decode_tca(response, dict)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.api_code == code
    assert err.message == msg
    assert err.method == "POST"
    assert err.url == TCA_URL
    assert err.request_id == "rid-123"
    assert err.body == response.content
    assert json.loads(err.body) == body
    text = str(err)
    assert f"HTTP {status}" in text
    assert "request_id=rid-123" in text


def test_tca_error_without_request_id_header_has_none() -> None:
    with pytest.raises(NotFoundError) as info:
        decode_tca(raw(404, {"status_code": 404, "code": 1000, "msg": "未找到。"}), dict)
    assert info.value.request_id is None
    assert "request_id" not in str(info.value)


def test_tca_ticket_expired_code_sent_as_string() -> None:
    # DRF turns dict details into strings: the hosted server's expired-ticket answer.
    body = {"status_code": 401, "code": "-3", "msg": "ticket过期"}
    with pytest.raises(AuthenticationError) as info:
        decode_tca(raw(401, body), dict)
    assert info.value.api_code == -3
    assert info.value.message == "ticket过期"


def test_tca_error_message_falls_back_to_detail_then_reason() -> None:
    with pytest.raises(NotFoundError) as info:
        decode_tca(raw(404, {"detail": "Not found."}), dict)
    assert info.value.message == "Not found."
    assert info.value.api_code is None
    with pytest.raises(PermissionDeniedError) as info2:
        decode_tca(raw(403, {"status_code": 403}), dict)
    assert info2.value.message == "Forbidden"


def test_tca_429_carries_retry_after_seconds() -> None:
    response = raw(429, {"code": 1000, "msg": "throttled"}, headers={"retry-after": "30"})
    with pytest.raises(RateLimitError) as info:
        decode_tca(response, dict)
    assert info.value.retry_after == 30.0
    assert info.value.limit is None


def test_tca_repo_already_registered_code_1040() -> None:
    body = {"status_code": 400, "code": 1040, "msg": "代码库已接入"}
    with pytest.raises(ValidationError) as info:
        decode_tca(raw(400, body, method="POST"), dict)
    err = info.value
    assert err.api_code == 1040
    assert err.message == "代码库已接入"
    assert err.invalid_fields == ()


def test_tca_400_invalid_fields_with_message_lists() -> None:
    body = {
        "status_code": 400,
        "code": 1000,
        "msg": "dir_path 该字段是必填项。",
        "invalid_fields": [
            {"field": "dir_path", "message": ["该字段是必填项。"]},
            {"field": "path_type", "message": ["“99” 不是合法选项。", "second"]},
        ],
    }
    with pytest.raises(ValidationError) as info:
        decode_tca(raw(400, body, method="POST"), dict)
    err = info.value
    assert err.invalid_fields == (
        FieldError("dir_path", ("该字段是必填项。",)),
        FieldError("path_type", ("“99” 不是合法选项。", "second")),
    )
    assert "invalid fields: dir_path: 该字段是必填项。" in str(err)


def test_tca_400_invalid_fields_with_plain_string_message() -> None:
    body = {
        "status_code": 400,
        "code": 1000,
        "msg": "cd_error 代码库地址不存在",
        "invalid_fields": [{"field": "cd_error", "message": "代码库地址不存在"}],
    }
    with pytest.raises(ValidationError) as info:
        decode_tca(raw(400, body, method="POST"), dict)
    assert info.value.invalid_fields == (FieldError("cd_error", ("代码库地址不存在",)),)
    assert all(isinstance(f, FieldError) for f in info.value.invalid_fields)


def test_tca_400_malformed_invalid_fields_entries_are_skipped() -> None:
    body = {
        "code": 1000,
        "msg": "bad",
        "invalid_fields": ["oops", {"field": "name", "message": None}],
    }
    with pytest.raises(ValidationError) as info:
        decode_tca(raw(400, body), dict)
    assert info.value.invalid_fields == (FieldError("name", ("",)),)


@pytest.mark.parametrize(
    ("status", "page", "cls", "title"),
    [
        (401, NGINX_401, AuthenticationError, "401 Authorization Required"),
        (403, NGINX_403, PermissionDeniedError, "403 Forbidden"),
        (502, NGINX_502, ServerError, "502 Bad Gateway"),
    ],
)
def test_tca_nginx_html_error_pages_are_typed_errors_not_decode_errors(
    status: int, page: bytes, cls: type[APIError], title: str
) -> None:
    response = raw(status, content=page, content_type=HTML, headers={"www-authenticate": "Token"})
    with pytest.raises(APIError) as info:
        decode_tca(response, dict)
    err = info.value
    assert type(err) is cls
    assert not isinstance(err, DecodeError)
    assert err.status_code == status
    assert err.message == title
    assert err.api_code is None
    assert err.body == page


def test_tca_django_debug_500_without_title_uses_reason_phrase() -> None:
    page = b"<html><body>TypeError at /api/authen/scmallaccounts/</body></html>"
    with pytest.raises(ServerError) as info:
        decode_tca(raw(500, content=page, content_type="text/html"), dict)
    assert info.value.message == "Internal Server Error"
    assert info.value.body == page


def test_tca_301_redirect_is_an_api_error() -> None:
    with pytest.raises(APIError) as info:
        decode_tca(raw(301, content=b"", content_type="text/html"), dict)
    assert info.value.status_code == 301
    assert info.value.message == "Moved Permanently"


# == TCA undecodable success bodies ==========================================================


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (b'{"data": {"count": 1, "next": null, "res', JSON, "truncated or malformed JSON"),
        (b"<html><head><title>Welcome</title></head></html>", "text/html", "body is not JSON"),
        (b"", JSON, "empty body where JSON was expected"),
        (b"", None, "empty body where JSON was expected"),
    ],
)
def test_tca_undecodable_200_body_is_decode_error(
    content: bytes, content_type: str | None, reason: str
) -> None:
    response = raw(200, content=content, content_type=content_type, url=TCA_URL)
    with pytest.raises(DecodeError) as info:
        decode_tca(response, dict)
    err = info.value
    assert err.reason == reason
    assert err.body == content
    assert err.content_type == content_type
    assert err.status_code == 200
    assert err.method == "GET"
    assert err.url == TCA_URL
    assert err.snippet == content.decode()
    assert f"body starts {content.decode()!r}" in str(err)
    assert f"content-type {content_type!r}" in str(err)


def test_decode_error_message_shows_only_a_snippet_of_a_long_body() -> None:
    content = b"<html>" + b"x" * 5000 + b"TAIL-MARKER</html>"
    with pytest.raises(DecodeError) as info:
        decode_tca(raw(200, content=content, content_type="text/html"), dict)
    err = info.value
    assert err.body == content
    assert len(err.snippet) == DecodeError.SNIPPET_BYTES
    assert "<html>xxx" in str(err)
    assert "TAIL-MARKER" not in str(err)


def test_tca_201_with_empty_body_is_decode_error() -> None:
    with pytest.raises(DecodeError, match="empty body"):
        decode_tca(raw(201, content=b""), dict)


# == TAPD success ============================================================================


def test_tapd_list_data() -> None:
    stories = [{"Story": {"id": "1110104801000000001"}}]
    assert decode_tapd(tapd_ok(stories), list) == stories


def test_tapd_object_data() -> None:
    assert decode_tapd(tapd_ok({"count": 120}), dict) == {"count": 120}


@pytest.mark.parametrize("data", ["ok", True, None, [], {}])
def test_tapd_any_data_with_expect_none(data: Any) -> None:
    assert decode_tapd(tapd_ok(data), None) == data


def test_tapd_string_and_boolean_data_with_matching_expect() -> None:
    assert decode_tapd(tapd_ok("2025-06-16"), str) == "2025-06-16"
    assert decode_tapd(tapd_ok(True), bool) is True


def test_tapd_status_sent_as_string_one_is_success() -> None:
    response = tapd(200, {"status": "1", "data": {"count": 3}, "info": "success"})
    assert decode_tapd(response, dict) == {"count": 3}


@pytest.mark.parametrize(
    ("data", "expect", "shape"),
    [(None, list, "a list"), (True, dict, "an object"), ({"a": 1}, list, "a list")],
)
def test_tapd_data_of_the_wrong_shape_is_decode_error(data: Any, expect: type, shape: str) -> None:
    with pytest.raises(DecodeError, match=f"expected {shape}"):
        decode_tapd(tapd_ok(data), expect)


def test_tapd_hello_world_string_where_list_expected_is_decode_error() -> None:
    body = {
        "status": 1,
        "data": "Hello world from TAPD API. Good luck!",
        "info": "Documents can be found in https://www.tapd.cn/help/show#1120003271001000103",
    }
    response = tapd(200, body, url="http://tapd.test/storiez?workspace_id=1")
    with pytest.raises(DecodeError) as info:
        decode_tapd(response, list)
    err = info.value
    assert "expected a list" in err.reason
    assert "got str" in err.reason
    assert b"Hello world from TAPD API" in err.body
    assert "Hello world" in str(err)
    assert err.url == "http://tapd.test/storiez?workspace_id=1"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"status":1,"data":[{"Story":{"id":"11', JSON),
        (b"<html><title>TAPD</title></html>", "text/html"),
        (b"", JSON),
    ],
)
def test_tapd_undecodable_200_body_is_decode_error(content: bytes, content_type: str) -> None:
    response = tapd(200, None, content=content, content_type=content_type)
    with pytest.raises(DecodeError) as info:
        decode_tapd(response, list)
    assert info.value.body == content
    assert info.value.content_type == content_type
    assert info.value.status_code == 200


def test_tapd_200_without_status_is_decode_error() -> None:
    with pytest.raises(DecodeError, match="not a TAPD envelope"):
        decode_tapd(tapd(200, {"data": [], "info": "success"}), list)
    with pytest.raises(DecodeError, match="not a TAPD envelope"):
        decode_tapd(tapd(200, [1, 2]), list)


# == TAPD errors =============================================================================


def test_tapd_http_200_with_status_0_is_api_error() -> None:
    response = tapd(200, {"status": 0, "data": "", "info": "something failed"})
    with pytest.raises(APIError) as info:
        decode_tapd(response, list)
    err = info.value
    assert type(err) is APIError
    assert err.status_code == 200
    assert err.api_code == 0
    assert err.message == "something failed"


def test_tapd_http_200_with_error_status_in_envelope_uses_that_status() -> None:
    response = tapd(200, {"status": 404, "data": "", "info": "workspace 9 not existed"})
    with pytest.raises(NotFoundError) as info:
        decode_tapd(response, list)
    assert info.value.status_code == 200
    assert info.value.api_code == 404


def test_tapd_401_with_www_authenticate_is_authentication_error() -> None:
    response = tapd_error(
        401, "401 Unauthorized", headers={"www-authenticate": "Basic realm='TAPD API'"}
    )
    with pytest.raises(AuthenticationError) as info:
        decode_tapd(response, list)
    err = info.value
    assert err.status_code == 401
    assert err.api_code == 401
    assert err.message == "401 Unauthorized"
    assert err.request_id == "req-42"
    assert err.url == TAPD_URL


def test_tapd_422_invalid_access_token_is_authentication_error() -> None:
    with pytest.raises(AuthenticationError) as info:
        decode_tapd(tapd_error(422, "The access token provided is invalid"), list)
    assert info.value.status_code == 422
    assert not isinstance(info.value, ValidationError)


def test_tapd_other_422_is_validation_error() -> None:
    response = tapd_error(422, "workspace_id is required and must be an integer")
    with pytest.raises(ValidationError) as info:
        decode_tapd(response, list)
    err = info.value
    assert type(err) is ValidationError
    assert err.message == "workspace_id is required and must be an integer"
    assert err.api_code == 422
    assert err.invalid_fields == ()


def test_tapd_404_unknown_workspace_is_not_found() -> None:
    with pytest.raises(NotFoundError) as info:
        decode_tapd(tapd_error(404, "workspace 1 not existed"), list)
    assert info.value.message == "workspace 1 not existed"
    assert info.value.request_id == "req-42"
    assert (
        info.value.body
        == json.dumps(
            {
                "status": 404,
                "data": "",
                "info": "workspace 1 not existed",
                "meta": {"request_id": "req-42"},
            }
        ).encode()
    )


RATE_INFO = "To many requests, api account x max request rates is 6000req/10min"


def test_tapd_429_is_rate_limit_error_with_stated_limit() -> None:
    with pytest.raises(RateLimitError) as info:
        decode_tapd(tapd_error(429, RATE_INFO), list)
    err = info.value
    assert err.limit == RateLimit(6000, 600.0)
    assert err.retry_after is None
    assert err.message == RATE_INFO
    assert err.status_code == 429


def test_tapd_429_retry_after_in_seconds() -> None:
    response = tapd_error(429, RATE_INFO, headers={"retry-after": "45"})
    with pytest.raises(RateLimitError) as info:
        decode_tapd(response, list)
    assert info.value.retry_after == 45.0
    assert info.value.limit == RateLimit(6000, 600.0)


def test_tapd_429_retry_after_http_date_is_measured_from_received_at() -> None:
    when = datetime.fromtimestamp(RECEIVED_AT + 120, tz=timezone.utc)
    header = format_datetime(when, usegmt=True)
    response = tapd_error(429, RATE_INFO, headers={"retry-after": header}, received_at=RECEIVED_AT)
    with pytest.raises(RateLimitError) as info:
        decode_tapd(response, list)
    assert info.value.retry_after == pytest.approx(120.0)
    # the same answer received 100 s later asks for a 20 s wait
    later = tapd_error(
        429, RATE_INFO, headers={"retry-after": header}, received_at=RECEIVED_AT + 100
    )
    with pytest.raises(RateLimitError) as info2:
        decode_tapd(later, list)
    assert info2.value.retry_after == pytest.approx(20.0)


def test_tapd_429_without_a_stated_limit() -> None:
    with pytest.raises(RateLimitError) as info:
        decode_tapd(tapd_error(429, "slow down"), list)
    assert info.value.limit is None


def test_tapd_429_stating_a_zero_limit_is_still_a_rate_limit_error() -> None:
    info_text = "To many requests, api account x max request rates is 0req/10min"
    with pytest.raises(RateLimitError) as info:
        decode_tapd(tapd_error(429, info_text), list)
    assert info.value.limit is None


def test_tapd_request_id_from_meta_wins_over_header() -> None:
    response = tapd_error(404, "workspace 1 not existed", headers={"x-request-id": "hdr-1"})
    with pytest.raises(NotFoundError) as info:
        decode_tapd(response, list)
    assert info.value.request_id == "req-42"


def test_tapd_request_id_falls_back_to_header_without_meta() -> None:
    body = {"status": 404, "data": "", "info": "workspace 1 not existed"}
    response = tapd(404, body, headers={"x-request-id": "hdr-1"})
    with pytest.raises(NotFoundError) as info:
        decode_tapd(response, list)
    assert info.value.request_id == "hdr-1"


@pytest.mark.parametrize("status", [500, 502])
def test_tapd_5xx_json_is_server_error(status: int) -> None:
    with pytest.raises(ServerError) as info:
        decode_tapd(tapd_error(status, "server busy"), list)
    assert info.value.status_code == status
    assert info.value.message == "server busy"


@pytest.mark.parametrize(
    ("status", "page", "message"),
    [
        (502, NGINX_502, "502 Bad Gateway"),
        (500, b"<html><body>oops</body></html>", "Internal Server Error"),
    ],
)
def test_tapd_5xx_html_is_server_error(status: int, page: bytes, message: str) -> None:
    response = tapd(status, None, content=page, content_type="text/html")
    with pytest.raises(ServerError) as info:
        decode_tapd(response, list)
    err = info.value
    assert not isinstance(err, DecodeError)
    assert err.message == message
    assert err.body == page
    assert err.api_code is None


def test_tapd_error_with_empty_info_uses_reason_phrase() -> None:
    with pytest.raises(NotFoundError) as info:
        decode_tapd(tapd(404, {"status": 404, "data": "", "info": ""}), list)
    assert info.value.message == "Not Found"


# == parse_rate_limit ========================================================================


@pytest.mark.parametrize(
    ("info", "limit"),
    [
        (RATE_INFO, RateLimit(6000, 600.0)),
        (
            "To many requests, api account xxxxxx! max request rates is 1800req/10min",
            RateLimit(1800, 600.0),
        ),
        ("max request rates is 60req/1min", RateLimit(60, 60.0)),
        ("max request rates is 60req/min", RateLimit(60, 60.0)),
        ("60 req / 1 minute", RateLimit(60, 60.0)),
        ("100req/s", RateLimit(100, 1.0)),
        ("30req/sec", RateLimit(30, 1.0)),
        ("5req/30second", RateLimit(5, 30.0)),
        ("3000req/h", RateLimit(3000, 3600.0)),
        ("10req/2hour", RateLimit(10, 7200.0)),
        ("600REQ/10MIN", RateLimit(600, 600.0)),
    ],
)
def test_parse_rate_limit_known_forms(info: str, limit: RateLimit) -> None:
    assert parse_rate_limit(info) == limit


@pytest.mark.parametrize(
    "info",
    [
        "",
        "To many requests",
        "max request rates is many",
        "6000/10min",
        "0req/10min",
        "10req/0min",
    ],
)
def test_parse_rate_limit_without_a_usable_limit_is_none(info: str) -> None:
    assert parse_rate_limit(info) is None

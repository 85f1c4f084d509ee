"""The JSON API: OpenAPI document, token and session auth, translated errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import get_args

import pytest
from django.test import Client
from pydantic import BaseModel

from qingfu.conftest import World
from qingfu.core.models import ApiToken
from qingfu.core.services import api_token_create


def test_openapi_document_lists_every_endpoint(world: World) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    paths = set(doc["paths"])
    for path in (
        "/api/v1/me",
        "/api/v1/schools",
        "/api/v1/classes/{class_id}/students",
        "/api/v1/students/{student_id}",
        "/api/v1/schools/{school_id}/roster",
        "/api/v1/schools/{school_id}/calendar",
        "/api/v1/policy/check/class-day",
        "/api/v1/districts/{district_id}/overview",
    ):
        assert path in paths, path
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_api_docs_load_without_internet(world: World) -> None:
    body = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    # Nothing loaded from elsewhere (a bare "cdn" could be part of a random CSRF token).
    assert not re.search(r'(src|href)="(https?:)?//', body) and "jsdelivr" not in body


def test_bearer_token_authenticates_and_only_hash_is_stored(world: World) -> None:
    token, key = api_token_create(user=world.users["head31"], name="家校通对接")
    assert key not in token.key_hash and ApiToken.hash_key(key) == token.key_hash
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert set(response.json()["roles"]) == {"head_teacher", "subject_teacher"}
    ApiToken.objects.filter(pk=token.pk).update(is_active=False)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_unauthenticated_error_is_chinese(world: World) -> None:
    response = Client().get("/api/v1/schools")
    assert response.status_code == 401
    assert "请先登录" in response.json()["message"]


def test_session_auth_needs_csrf_for_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["head31"])
    response = client.post(
        "/api/v1/me/language", {"language": "en"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_an_anonymous_write_is_told_to_sign_in(world: World) -> None:
    """No session and no token: 401 ``unauthenticated`` (it was a 403 "CSRF check Failed",
    which sent a client that had forgotten its token looking for a CSRF problem)."""
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/me/language", {"language": "en"}, content_type="application/json"
    )
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_validation_errors_name_the_field_in_chinese(world: World) -> None:
    client = world.client("head31")
    response = client.get(f"/api/v1/schools/{world.a.pk}/calendar?start=2026-09-01&end=oops")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "end" in body["errors"] and "日期" in body["errors"]["end"][0]
    response = client.post(
        "/api/v1/policy/check/class-day",
        {"class_id": world.c31.pk, "date": "2026-11-23", "items": [{"subject": "math"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["items.0.minutes"] == ["必填"]


def test_missing_and_forbidden_look_the_same(world: World) -> None:
    client = world.client("guardian1")
    forbidden = client.get(f"/api/v1/students/{world.s2.pk}")
    missing = client.get("/api/v1/students/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


@pytest.mark.clock
def test_language_switch_per_user(world: World) -> None:
    client = world.client("head31")
    assert (
        client.post(
            "/api/v1/me/language", {"language": "en"}, content_type="application/json"
        ).status_code
        == 200
    )
    page = client.get("/").content.decode()
    assert "My classes" in page or "Head teacher" in page
    response = client.post(
        "/api/v1/me/language", {"language": "fr"}, content_type="application/json"
    )
    assert response.status_code == 422
    # The refusal, and a schema error, are in the reader's language.
    assert response.json()["errors"]["language"] == ["Not one of the allowed values"]
    bad = client.post("/api/v1/me/language", {}, content_type="application/json").json()
    assert bad["message"] == "Field language: Required"


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_api_docs_need_sign_in_unless_public(world: World, settings: object, path: str) -> None:
    settings.QINGFU_API_DOCS_PUBLIC = False  # type: ignore[attr-defined]  # production's default
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    signed_in = Client()
    signed_in.force_login(world.users["math3"])
    assert signed_in.get(path).status_code == 200
    settings.QINGFU_API_DOCS_PUBLIC = True  # type: ignore[attr-defined]  # development's
    assert Client().get(path).status_code == 200


def _models_of(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for info in annotation.model_fields.values():
            yield from _models_of(info.annotation)
    for arg in get_args(annotation):
        yield from _models_of(arg)


def test_schema_names_are_unique() -> None:
    """Two schemas of one name: the OpenAPI document keeps one and every operation that
    used the other is documented wrong (homework's ItemIn was shown as the policy check's).
    """
    from qingfu.config.api import api

    seen: dict[str, type[BaseModel]] = {}
    clashes = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = [*operation.models, *operation.response_models.values()]
                for model in models:
                    for found in _models_of(model):
                        if found.__name__.startswith(("Ninja", "Body", "Query", "Path", "File")):
                            continue
                        if seen.setdefault(found.__name__, found) is not found:
                            clashes.append(f"{found.__module__}.{found.__name__}")
    assert not clashes, clashes


def test_every_refusal_has_the_one_error_shape(world: World) -> None:
    _token, key = api_token_create(user=world.users["admin_a"], name="形状")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answers = [
        Client().get("/api/v1/schools"),  # 401
        Client().get("/api/v1/students/999999", **auth),  # 404
        Client().post(  # 422 from the schema
            "/api/v1/me/language", {"language": "fr"}, content_type="application/json", **auth
        ),
        Client().post(  # 400: not JSON
            "/api/v1/me/language", "{", content_type="application/json", **auth
        ),
        Client().post(  # 400: a multipart body without its boundary
            f"/api/v1/schools/{world.a.pk}/roster",
            b"--x\r\n",
            content_type="multipart/form-data",
            **auth,
        ),
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 400, 400]
    for answer in answers:
        body = answer.json()
        assert set(body) >= {"code", "message"} and "detail" not in body, body
    assert answers[3].json()["code"] == answers[4].json()["code"] == "malformed"

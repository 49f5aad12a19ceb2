"""What reaches the log: a caller's own mistakes as one INFO line with the request id (no traceback, no
document, no literal from it); unexpected errors with their traceback; no secret from a query string.

(A row that is not found is no error: queries answer null and mutations an error member of their union.)
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.logs import redact_target
from parking.common.database import Database
from tests.factories import build_world

SECRET = "hunter2-Secret"


async def post(client: httpx.AsyncClient, query: str, request_id: str, token: str | None = None) -> dict[str, Any]:
    headers = {"X-Request-Id": request_id}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def records(caplog: pytest.LogCaptureFixture, request_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if request_id in r.getMessage()]


CALLER_ERRORS = {
    "syntax": (f'mutation {{ login(username: "admin", password: "{SECRET}" ', "GRAPHQL_VALIDATION_FAILED"),
    "unknown argument": (
        f'mutation {{ login(username: "admin", password: "{SECRET}", otp: "{SECRET}") {{ __typename }} }}',
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "wrong type": (
        'mutation { login(username: "admin", password: 73195502) { __typename } }',
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "permission": ('{ lot(id: "1") { name } }', "PERMISSION_DENIED"),
    "unauthenticated": ('{ lot(id: "1") { name } }', "UNAUTHENTICATED"),
    "bad id": (f'{{ lot(id: "{SECRET}") {{ name }} }}', "INVALID"),
}


@pytest.mark.parametrize("case", sorted(CALLER_ERRORS))
async def test_a_callers_mistake_is_one_info_line_without_the_document(
    db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    world = await build_world(db)
    query, code = CALLER_ERRORS[case]
    token = {"permission": world.tokens["viewer"], "unauthenticated": None}.get(case, world.tokens["platform"])
    caplog.set_level(logging.INFO)
    request_id = "req-" + case.replace(" ", "-")
    body = await post(client, query, request_id, token)
    lines = records(caplog, request_id)
    assert body.get("errors") or body["data"] is None, body
    # One line, at INFO, naming the request and the error's code, with no traceback
    assert [(r.levelname, r.exc_info) for r in lines] == [("INFO", None)], caplog.text
    assert code in lines[0].getMessage()
    # And nothing the caller typed reaches any log line
    assert SECRET not in caplog.text
    assert "73195502" not in caplog.text


async def test_an_unexpected_error_keeps_its_traceback(
    db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(db)

    async def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("schema.tenancy.queries.load_one", broken)
    caplog.set_level(logging.INFO)
    body = await post(client, f'{{ lot(id: "{world.id("lot:A1a")}") {{ name }} }}', "req-bug", world.tokens["platform"])
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL", "requestId": "req-bug"}
    lines = records(caplog, "req-bug")
    assert [r.levelname for r in lines] == ["ERROR"]
    exc_info = lines[0].exc_info
    assert exc_info is not None
    assert isinstance(exc_info[1], RuntimeError)


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        ("/devices/vzenith/push?key=s3cret&lot=7", "/devices/vzenith/push?key=***&lot=7"),
        ("/devices/vzenith/push?KEY=s3cret", "/devices/vzenith/push?KEY=***"),
        ("/graphql?query=mutation%7Blogin(password%3A%22x%22)%7D", "/graphql?query=***"),
        ("/images/1.jpg?token=abc&exp=9", "/images/1.jpg?token=***&exp=9"),
        ("/healthz", "/healthz"),
        ("/healthz?s3cret", "/healthz?***"),
    ],
)
def test_access_log_targets_lose_their_secrets(target: str, logged: str) -> None:
    assert redact_target(target) == logged


SECRET_VALUES = st.text(alphabet=st.characters(codec="ascii", exclude_characters="&=#% +"), min_size=6, max_size=30)


@given(
    name=st.sampled_from(["key", "KEY", "token", "secret", "password", "query", "sign"]),
    secret=SECRET_VALUES,
    others=st.lists(
        st.tuples(st.sampled_from(["lot", "page", "t"]), st.text(alphabet="abc123", max_size=5)), max_size=3
    ),
)
def test_no_secret_value_survives_redaction(name: str, secret: str, others: list[tuple[str, str]]) -> None:
    pairs = [*others, (name, secret)]
    target = "/devices/x/push?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)
    logged = redact_target(target)
    assert quote(secret, safe="") not in logged.partition("?")[2].replace(f"{name}=***", "")
    assert f"{name}=***" in logged


async def test_a_forged_request_id_is_replaced(
    db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    await build_world(db)
    caplog.set_level(logging.INFO)
    forged = "x\nINFO fake line"
    body = await post(client, '{ lot(id: "1") { name } }', forged)
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    lines = [r.getMessage() for r in caplog.records if "refused at lot" in r.getMessage()]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert "fake line" not in caplog.text

"""The dashboard's files over HTTP: the precompressed copy the client accepts, with Content-Encoding and Vary;
hashed assets cached for a year, index.html revalidated each time, the favicon there."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.web_assets import IMMUTABLE, REVALIDATE, accepted_encodings
from config.settings import Settings

SCRIPT = b"console.log('parkcloud');\n" * 200
# Python has no brotli here: a stand-in whose bytes say which copy came back (the server never decodes it).
BROTLI_STAND_IN = b"brotli copy"


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><script type="module" src="/assets/index-Ab12Cd34.js"></script>')
    (dist / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    script = dist / "assets" / "index-Ab12Cd34.js"
    script.write_bytes(SCRIPT)
    script.with_name(script.name + ".gz").write_bytes(gzip.compress(SCRIPT))
    script.with_name(script.name + ".br").write_bytes(BROTLI_STAND_IN)
    return replace(settings, web_dist=dist)


async def _get(client: httpx.AsyncClient, path: str, accept: str) -> httpx.Response:
    # Raw bytes as sent: httpx would otherwise decode gzip itself.
    async with client.stream("GET", path, headers={"accept-encoding": accept}) as response:
        response._content = b"".join([chunk async for chunk in response.aiter_raw()])
    return response


async def test_hashed_script_comes_precompressed_by_accept_encoding_and_cached_for_a_year(
    client: httpx.AsyncClient,
) -> None:
    path = "/assets/index-Ab12Cd34.js"
    brotli = await _get(client, path, "gzip, deflate, br")
    assert brotli.status_code == 200
    assert brotli.headers["content-encoding"] == "br"
    assert brotli.content == BROTLI_STAND_IN
    assert int(brotli.headers["content-length"]) == len(BROTLI_STAND_IN)

    gzipped = await _get(client, path, "gzip")
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == SCRIPT

    plain = await _get(client, path, "identity")
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT

    # a refused coding (q=0) is not sent
    assert (await _get(client, path, "br;q=0, gzip")).headers["content-encoding"] == "gzip"
    for response in (brotli, gzipped, plain):
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["vary"] == "Accept-Encoding"
    # each copy has its own validator, so a cache never answers one coding's 304 with another's body
    assert len({r.headers["etag"] for r in (brotli, gzipped, plain)}) == 3


async def test_index_is_revalidated_and_the_favicon_is_served(client: httpx.AsyncClient) -> None:
    for path in ("/", "/index.html"):
        index = await _get(client, path, "gzip, br")
        assert index.status_code == 200
        assert index.headers["content-type"].startswith("text/html")
        assert index.headers["cache-control"] == REVALIDATE
        # and an unchanged one costs a 304
        again = await client.get(path, headers={"if-none-match": index.headers["etag"]})
        assert again.status_code == 304
    favicon = await client.get("/favicon.svg")
    assert favicon.status_code == 200
    assert favicon.headers["content-type"] == "image/svg+xml"
    assert "immutable" not in favicon.headers["cache-control"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", set()),
        ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
        ("br;q=0, gzip;q=0.5", {"gzip"}),
        ("*", {"*", "br", "gzip"}),
        ("GZIP ; q=1", {"gzip"}),
        ("br;q=nonsense", set()),
    ],
)
def test_accept_encoding_is_read_as_the_http_spec_says(header: str, expected: set[str]) -> None:
    assert accepted_encodings(header) == expected


@given(st.text(max_size=200))
def test_any_accept_encoding_header_is_read_without_error(header: str) -> None:
    assert accepted_encodings(header) <= {p.strip().partition(";")[0].strip().lower() for p in header.split(",")} | {
        "br",
        "gzip",
    }

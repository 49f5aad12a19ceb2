"""Hostile and broken camera pushes, generated with hypothesis: never a 5xx, never a stay with an invalid plate.

Messages are generated first (hypothesis, one message per example), then sent through the whole app in-process
(httpx.ASGITransport) as one camera of each protocol, registered on a lane: what reaches the lane flow is real.
Every kind gets at least ``FUZZ_MESSAGES`` (10,000 unless PARKCLOUD_FUZZ_MESSAGES says otherwise) per run; the
counts are printed in the terminal summary ("camera push fuzz").
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device, DeviceKind
from parking.models import Base
from parking.plates import NO_PLATE, is_valid_plate
from parking.sessions.models import ParkingSession
from tests.cameras.conftest import FUZZ_COUNTS
from tests.lanes.site import Site, build_site

pytestmark = pytest.mark.anyio

SHM = Path("/dev/shm")
SHM_WRITABLE = SHM.is_dir() and os.access(SHM, os.W_OK)
FUZZ_MESSAGES = int(os.environ.get("PARKCLOUD_FUZZ_MESSAGES", "10000"))
HIK_MAC = "24:0f:9b:5a:31:c2"
GENERIC_SERIAL = "gen-fuzz-1"
SECRET = "fuzz-secret"

# Values firmware sends, and the values broken or hostile senders send in their place.
_PLATES = st.sampled_from(["京A12345", "粤Z9065澳", "沪AD12345", "浙A12345", "_无_", "", "无车牌", "unknown"])
_TEXT = st.text(max_size=12)
_NOISE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_B64 = st.sampled_from(["", base64.b64encode(b"\xff\xd8jpeg").decode(), "not base64!", "QUJ", "////"])


def _maybe(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly what firmware sends, sometimes anything at all."""
    return st.one_of(good, good, good, _NOISE)


def _timestamp() -> st.SearchStrategy[Any]:
    timeval = st.fixed_dictionaries(
        {},
        optional={
            "sec": _maybe(st.integers(0, 2**33)),
            "usec": _maybe(st.integers(0, 999_999)),
            "decyear": _maybe(st.integers(1990, 2100)),
            "decmon": _maybe(st.integers(0, 13)),
            "decday": _maybe(st.integers(0, 32)),
            "dechour": _maybe(st.integers(0, 24)),
            "decmin": _maybe(st.integers(0, 60)),
            "decsec": _maybe(st.integers(0, 60)),
        },
    )
    return _maybe(st.fixed_dictionaries({"Timeval": _maybe(timeval)}))


def _vzenith_plate(serial: str) -> st.SearchStrategy[bytes]:
    result = st.fixed_dictionaries(
        {"license": _maybe(_PLATES | _TEXT)},
        optional={
            "colorType": _maybe(st.integers(0, 8)),
            "confidence": _maybe(st.integers(0, 100)),
            "plateid": _maybe(st.integers(1, 2**31)),
            "isoffline": _maybe(st.sampled_from([0, 1, "0", "1"])),
            "triggerType": _maybe(st.sampled_from([1, 2, 4, 8, 64, 65, 66])),
            "timeStamp": _timestamp(),
            "imageFile": _maybe(_B64),
            "imageFragmentFile": _maybe(_B64),
        },
    )
    alarm = st.fixed_dictionaries(
        {"serialno": _maybe(st.just(serial)), "result": _maybe(st.fixed_dictionaries({"PlateResult": _maybe(result)}))},
        optional={"deviceName": _maybe(_TEXT), "ipaddr": _maybe(_TEXT), "channel": _NOISE},
    )
    return st.fixed_dictionaries({"AlarmInfoPlate": alarm}).map(_json)


def _vzenith_other(serial: str) -> st.SearchStrategy[bytes]:
    gio = st.fixed_dictionaries(
        {
            "AlarmGioIn": st.fixed_dictionaries(
                {
                    "serialno": _maybe(st.just(serial)),
                    "result": _maybe(
                        st.fixed_dictionaries(
                            {"TriggerResult": _maybe(st.fixed_dictionaries({"source": _NOISE, "value": _NOISE}))}
                        )
                    ),
                }
            )
        }
    )
    serial_data = st.fixed_dictionaries(
        {
            "SerialData": st.fixed_dictionaries(
                {"serialno": _maybe(st.just(serial)), "serialChannel": _NOISE, "data": _maybe(_B64), "dataLen": _NOISE}
            )
        }
    )
    snapshot = st.fixed_dictionaries(
        {"ipaddr": _TEXT, "TriggerImage": st.fixed_dictionaries({"imageFile": _maybe(_B64)})}
    )
    unknown = st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.fixed_dictionaries({"serialno": _maybe(st.just(serial))}) | _NOISE,
        max_size=3,
    )
    return st.one_of(gio, serial_data, snapshot, unknown).map(_json)


def _multipart(fields: dict[str, str], boundary: str = "fuzzb") -> bytes:
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    return ("".join(chunks) + f"--{boundary}--\r\n").encode("utf-8", errors="surrogatepass")


def _vzenith_heartbeat(serial: str) -> st.SearchStrategy[tuple[bytes, str]]:
    fields = st.fixed_dictionaries(
        {"serialno": st.sampled_from([serial, serial, ""]) | _TEXT},
        optional={"port": st.sampled_from(["80", "²", "-1", "99999"]) | _TEXT, "ipaddr": _TEXT, "device_name": _TEXT},
    )
    form = fields.map(lambda f: (_multipart(f), "multipart/form-data; boundary=fuzzb"))
    broken = st.binary(max_size=64).map(lambda b: (b, "multipart/form-data; boundary=fuzzb"))
    return st.one_of(form, form, broken)


def _hikvision(mac: str) -> st.SearchStrategy[tuple[bytes, str]]:
    def alert(plate: str, colour: str, confidence: str, when: str, event: str, retrans: str) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?><EventNotificationAlert version="2.0" '
            'xmlns="http://www.isapi.org/ver20/XMLSchema">'
            f"<ipAddress>192.168.1.64</ipAddress><macAddress>{mac}</macAddress><dateTime>{when}</dateTime>"
            f"<eventType>{event}</eventType><eventState>active</eventState>"
            f"<isDataRetransmission>{retrans}</isDataRetransmission>"
            f"<ANPR><licensePlate>{plate}</licensePlate><confidenceLevel>{confidence}</confidenceLevel>"
            f"<plateColor>{colour}</plateColor></ANPR></EventNotificationAlert>"
        )

    xml_text = st.builds(
        alert,
        _PLATES | _TEXT.map(lambda t: t.replace("<", "").replace("&", "")),
        st.sampled_from(["blue", "yellow", "green", "purple", ""]),
        st.sampled_from(["98", "101", "-3", "x", ""]),
        st.sampled_from(["2024-03-18T08:15:02+08:00", "2024-03-18T08:15:02", "yesterday", ""]),
        st.sampled_from(["ANPR", "ANPR", "videoloss", "VMD"]),
        st.sampled_from(["false", "true", "maybe"]),
    )
    bare = xml_text.map(lambda x: (x.encode("utf-8"), "application/xml"))
    multipart = xml_text.map(
        lambda x: (
            b'--MIME_boundary\r\nContent-Disposition: form-data; name="anpr.xml"; filename="anpr.xml"\r\n'
            b"Content-Type: application/xml\r\n\r\n" + x.encode("utf-8") + b"\r\n--MIME_boundary--\r\n",
            "multipart/form-data; boundary=MIME_boundary",
        )
    )
    hostile = st.sampled_from(
        [
            (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "application/xml"),
            (b"<a>" * 5000, "application/xml"),
            (b"\xff\xfe<", "application/xml"),
        ]
    ) | st.binary(max_size=64).map(lambda b: (b, "application/xml"))
    return st.one_of(bare, bare, multipart, hostile)


def _generic(serial: str) -> st.SearchStrategy[bytes]:
    doc = st.fixed_dictionaries(
        {
            "version": _maybe(st.just(1)),
            "type": _maybe(st.sampled_from(["reading", "heartbeat"])),
            "serial": _maybe(st.just(serial)),
        },
        optional={
            "plate": _maybe(_PLATES | _TEXT),
            "color": _maybe(st.sampled_from(["blue", "green", "unknown"])),
            "confidence": _maybe(st.floats(0, 1)),
            "taken_at": _maybe(st.sampled_from(["2026-05-01T09:30:00.25+08:00", "2026-05-01T09:30:00"])),
            "event_id": _maybe(_TEXT),
            "offline": _maybe(st.booleans()),
            "full_image_b64": _maybe(_B64),
        },
    )
    return doc.map(_json)


def _json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


def _draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` examples of ``strategy`` (hypothesis generates; nothing is sent while it does)."""
    drawn: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(example: Any) -> None:
        drawn.append(example)

    while len(drawn) < count:  # hypothesis may stop early once it has seen a small space whole
        collect()
    return drawn[:count]


async def _fuzz_site(db: Database) -> Site:
    site = await build_site(db)
    async with db.transaction(Scope.internal()) as s:
        # Back-to-back heartbeats would look like comet polling, each held: the hold has tests of its own.
        await s.execute(update(Device).where(Device.id == site.ids["device:in"]).values(config={"heartbeat": "normal"}))
        for serial, protocol, lane in ((HIK_MAC, "hikvision", "out"), (GENERIC_SERIAL, "generic", "in2")):
            s.add(
                Device(
                    agent_id=site.ids["agent"],
                    customer_id=site.ids["customer"],
                    lot_id=site.lot_id,
                    lane_id=site.ids[lane],
                    kind=DeviceKind.CAMERA,
                    name=f"fuzz {protocol}",
                    serial=serial,
                    protocol=protocol,
                    secret_hash=hash_secret(SECRET),
                )
            )
    return site


@pytest.fixture
async def memory_db(tmp_path: Path) -> AsyncIterator[Database]:
    """SQLite in shared memory when there is any: tens of thousands of commits, none of them waiting on a disk."""
    folder = Path(tempfile.mkdtemp(dir=SHM)) if SHM_WRITABLE else tmp_path
    # Pooled: a connection per transaction would start a thread per transaction (aiosqlite).
    database = Database.from_url(f"sqlite+aiosqlite:///{folder / 'fuzz.sqlite3'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()
    shutil.rmtree(folder, ignore_errors=True)


async def test_fuzzed_pushes_never_get_a_5xx_nor_leave_an_invalid_plate(
    memory_db: Database, settings: Settings
) -> None:
    await _fuzz(memory_db, settings, FUZZ_MESSAGES, "")


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_fuzzed_pushes_on_postgres(db: Database, settings: Settings) -> None:
    # Fewer, for what only PostgreSQL refuses (NUL in text, integers beyond 32 or 64 bits).
    await _fuzz(db, settings, max(FUZZ_MESSAGES // 10, 1), "postgres ")


async def _fuzz(db: Database, settings: Settings, count: int, label: str) -> None:
    site = await _fuzz_site(db)
    vz_serial = next(s for s in site.secrets if s.endswith("-in"))
    vz_key = site.secrets[vz_serial]
    kinds: dict[str, tuple[str, str, Callable[[Any], tuple[bytes, str]], st.SearchStrategy[Any]]] = {
        "vzenith plate result": ("vzenith", vz_key, lambda b: (b, "application/json"), _vzenith_plate(vz_serial)),
        "vzenith other message": ("vzenith", vz_key, lambda b: (b, "application/json"), _vzenith_other(vz_serial)),
        "vzenith heartbeat": ("vzenith", vz_key, lambda t: t, _vzenith_heartbeat(vz_serial)),
        "hikvision alert": ("hikvision", SECRET, lambda t: t, _hikvision(HIK_MAC)),
        "generic push": ("generic", SECRET, lambda b: (b, "application/json"), _generic(GENERIC_SERIAL)),
    }
    statuses: Counter[int] = Counter()
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for kind, (protocol, key, shape, strategy) in kinds.items():
            sent = 0
            for example in _draw(strategy, count):
                body, content_type = shape(example)
                response = await http.post(
                    f"/devices/{protocol}/push",
                    content=body,
                    headers={"content-type": content_type, "x-device-key": key},
                )
                statuses[response.status_code] += 1
                assert response.status_code < 500, (kind, body[:300], response.text[:300])
                sent += 1
            FUZZ_COUNTS[label + kind] = sent
    async with db.session(Scope.internal()) as s:
        plates = list(await s.scalars(select(ParkingSession.plate)))
    invalid = [p for p in plates if p != NO_PLATE and not is_valid_plate(p)]
    FUZZ_COUNTS[label + "stays"] = len(plates)
    FUZZ_COUNTS[label + "stays with an invalid plate"] = len(invalid)
    FUZZ_COUNTS[label + "5xx responses"] = sum(n for code, n in statuses.items() if code >= 500)
    assert invalid == []
    assert all(FUZZ_COUNTS[label + kind] >= count for kind in kinds)

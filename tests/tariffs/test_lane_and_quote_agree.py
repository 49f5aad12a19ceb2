"""Cars driven through a lane over HTTP pay exactly what ``quoteFee`` quotes for them: exempt vehicles leave free.

The lot publishes the 钟祥 notice (military, police, fire, ambulance... free), with a new-energy class at half
price, the lot's own tricycle class and sanitation trucks exempt. Each car enters and leaves through the
Vzenith push endpoint (the camera's own JSON); its entry is moved back in the database, as time passes.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.lanes import context
from parking.lanes.decisions import Reason
from parking.plates import PlateColor
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tariffs import Tariff, samples, service
from parking.tariffs.exemptions import REASONS
from parking.tariffs.vehicle import tariff_vehicle
from parking.tenancy.enums import VehicleClass as VehicleClassRow
from parking.tenancy.models import Lane
from parking.vehicles.enums import ExemptKind
from parking.vehicles.models import Vehicle
from tests.conftest import GraphQL
from tests.lanes.site import Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio

QUOTE = """
query($lot: ID!, $entry: DateTime!, $exit: DateTime!, $plate: String, $color: PlateColor!) {
  quoteFee(lotId: $lot, entryAt: $entry, exitAt: $exit, plate: $plate, plateColor: $color) {
    vehicleClass tariffClass amountFen dueFen lines { kind label amountFen repeat }
  }
}
"""
CREATE_VEHICLE = """
mutation($input: VehicleCreateInput!) {
  vehicleCreate(input: $input) { __typename ... on VehicleSuccess { vehicle { plate tariffClass exemptKind } } }
}
"""
PARKED = timedelta(hours=5, minutes=30)
_PLATE_IDS = itertools.count(1)


def _lot_tariff() -> Tariff:
    doc: dict[str, Any] = samples.zhongxiang_tourist_centre().model_dump(mode="json")
    doc["classes"]["new_energy"] = {"same_as": "small", "multiplier_percent": 50}
    doc["classes"]["tricycle"] = {"same_as": "small", "multiplier_percent": 60, "label": "三轮车"}
    doc["exempt"]["sanitation"] = REASONS[ExemptKind.SANITATION]
    return Tariff.model_validate(doc)


def _serial(site: Site, lane: str) -> str:
    return next(serial for serial in site.secrets if serial.rsplit("-", 1)[1] == lane)


async def _push(client: httpx.AsyncClient, site: Site, lane: str, plate: str, color: PlateColorName) -> bool:
    serial = _serial(site, lane)
    body = vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=plate,
            color=color,
            confidence=0.95,
            taken_at=utcnow(),
            camera_plate_id=next(_PLATE_IDS),  # the camera numbers its readings; a repeated number is a resend
        )
    )
    response = await client.post(
        f"/devices/vzenith/push?key={site.secrets[serial]}", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    return vzenith.decode_reply(response.content).open


async def _drive_through(
    client: httpx.AsyncClient, site: Site, plate: str, color: PlateColorName
) -> tuple[ParkingSession, LaneEvent, bool, int | None]:
    """Enter, park ``PARKED`` (the entry moved back), present at the exit; the stay, the exit event, whether the
    barrier opened, and what the exit's pay code asks when it did not."""
    assert await _push(client, site, "in", plate, color)
    (stay,) = await site.open_sessions(plate)
    await site.update_session(stay.id, entry_at=stay.entry_at - PARKED)
    opened = await _push(client, site, "out", plate, color)
    async with site.db.session(Scope.internal()) as s:
        event = await s.scalar(select(LaneEvent).where(LaneEvent.plate == plate).order_by(LaneEvent.id.desc()))
        assert event is not None
        code = await s.scalar(select(Lane.qr_token).where(Lane.id == site.ids["out"]))
    due = None
    if not opened:
        # What the driver is asked when scanning the exit's pay code (the lane's own bill).
        due = (await client.get(f"/api/driver/lanes/{code}/waiting")).json()["waiting"]["feeFen"]
    return await site.session(stay.id), event, opened, due


async def _quote(gql: GraphQL, token: str, site: Site, stay: ParkingSession, event: LaneEvent) -> dict[str, Any]:
    variables = {
        "lot": str(site.lot_id),
        "entry": stay.entry_at.isoformat(),
        "exit": event.at.isoformat(),
        "plate": stay.plate,
        "color": stay.plate_color.name,
    }
    body = await gql(QUOTE, variables, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["quoteFee"]
    return result


@pytest.fixture
async def site(db: Database) -> Site:
    return await build_site(db, tariff=_lot_tariff(), inner_tariff=False)


@pytest.mark.parametrize(
    ("plate", "color", "vehicle_class", "tariff_class", "fee_fen"),
    [
        ("鄂H12345", PlateColorName.BLUE, "SMALL", "small", 500 + 4 * 200),  # 2 h, then 4 started hours
        ("鄂HD12345", PlateColorName.GREEN, "NEW_ENERGY", "new_energy", (500 + 4 * 200) // 2),  # half
        ("鄂H12345D", PlateColorName.YELLOW_GREEN, "LARGE", "large", 800 + 4 * 300),  # large prices
        ("鄂H12345", PlateColorName.YELLOW, "LARGE", "large", 800 + 4 * 300),
    ],
)
async def test_a_paying_car_is_asked_at_the_exit_what_quote_fee_quotes(
    client: httpx.AsyncClient,
    gql: GraphQL,
    site: Site,
    plate: str,
    color: PlateColorName,
    vehicle_class: str,
    tariff_class: str,
    fee_fen: int,
) -> None:
    token = (await seat_tokens(site))["seat"]
    # When the car drives in, parks 5 h 30 min and presents itself at the exit
    stay, event, opened, due = await _drive_through(client, site, plate, color)
    # Then the exit holds it for the fee, and quoteFee for the same plate and times quotes the same fee
    assert not opened
    assert event.decision_reason == Reason.FEE_DUE.value
    assert due == fee_fen
    quoted = await _quote(gql, token, site, stay, event)
    assert (quoted["vehicleClass"], quoted["tariffClass"], quoted["amountFen"]) == (
        vehicle_class,
        tariff_class,
        fee_fen,
    )
    assert stay.state is SessionState.IN_LOT


async def test_a_police_car_leaves_free_with_its_reason_as_quote_fee_quotes(
    client: httpx.AsyncClient, gql: GraphQL, site: Site
) -> None:
    token = (await seat_tokens(site))["seat"]
    # When a police car (white plate, red 警) drives through after 5 h 30 min
    stay, event, opened, due = await _drive_through(client, site, "鄂H1234警", PlateColorName.WHITE)
    # Then the barrier opens, nothing is due, the stay is closed at 0 and the event says why
    assert opened
    assert due is None
    assert event.decision_reason == Reason.TARIFF_EXEMPT.value
    assert (stay.state, stay.fee_due_fen) == (SessionState.EXITED, 0)
    # And quoteFee quotes the same stay at 0 with the notice's reason
    quoted = await _quote(gql, token, site, stay, event)
    assert (quoted["amountFen"], quoted["dueFen"]) == (0, 0)
    assert quoted["lines"] == [{"kind": "EXEMPT", "label": "警车", "amountFen": 0, "repeat": 1}]


async def test_registered_vehicles_are_priced_by_their_record_at_the_lane_and_in_the_quote(
    client: httpx.AsyncClient, gql: GraphQL, site: Site
) -> None:
    token = (await seat_tokens(site))["seat"]
    # Given a tricycle (the lot's own class) and a sanitation truck registered through the API
    for plate, fields in (
        ("鄂H33333", {"tariffClass": "tricycle"}),
        ("鄂H44444", {"vehicleClass": "LARGE", "exemptKind": "SANITATION"}),
    ):
        body = await gql(CREATE_VEHICLE, {"input": {"lotId": str(site.lot_id), "plate": plate, **fields}}, token=token)
        assert body["data"]["vehicleCreate"]["__typename"] == "VehicleSuccess", body
    # When the tricycle drives through, it is asked 60 % of a small car's fee, as quoteFee quotes it
    stay, event, opened, due = await _drive_through(client, site, "鄂H33333", PlateColorName.YELLOW)
    assert (opened, due) == (False, 300 + 4 * 120)
    quoted = await _quote(gql, token, site, stay, event)
    assert (quoted["vehicleClass"], quoted["tariffClass"], quoted["amountFen"]) == ("SMALL", "tricycle", 780)
    # And the sanitation truck leaves free with its catalogue reason, as quoteFee quotes it
    stay, event, opened, due = await _drive_through(client, site, "鄂H44444", PlateColorName.YELLOW)
    assert opened
    assert event.decision_reason == Reason.TARIFF_EXEMPT.value
    assert stay.fee_due_fen == 0
    quoted = await _quote(gql, token, site, stay, event)
    assert quoted["lines"] == [{"kind": "EXEMPT", "label": "环卫车辆", "amountFen": 0, "repeat": 1}]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ('plate: "京A1234"', "plate"),
        ('plate: "hello world"', "plate"),
        ('tariffClass: "Tri cycle"', "tariffClass"),
    ],
)
async def test_quote_fee_refuses_a_bad_plate_or_class_on_its_field(
    gql: GraphQL, site: Site, arguments: str, field: str
) -> None:
    token = (await seat_tokens(site))["seat"]
    query = (
        f'query {{ quoteFee(lotId: "{site.lot_id}", entryAt: "2026-05-06T10:00:00+08:00",'
        f' exitAt: "2026-05-06T12:00:00+08:00", {arguments}) {{ amountFen }} }}'
    )
    body = await gql(query, token=token)
    assert body["data"] is None
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("INVALID", field)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tariffClass": "三轮车"}, "tariffClass"),
        ({"tariffClass": "Tricycle"}, "tariffClass"),
        # Monthly parking is a pass with dates; a record saying so would park free for ever.
        ({"exemptKind": "MONTHLY"}, "exemptKind"),
    ],
)
async def test_a_vehicle_with_a_bad_class_or_kind_is_refused_and_nothing_stored(
    gql: GraphQL, site: Site, db: Database, fields: dict[str, str], field: str
) -> None:
    token = (await seat_tokens(site))["seat"]
    body = await gql(
        CREATE_VEHICLE.replace("__typename", "__typename ... on VehicleError { code field }"),
        {"input": {"lotId": str(site.lot_id), "plate": "鄂H55555", **fields}},
        token=token,
    )
    result = body["data"]["vehicleCreate"]
    assert (result["__typename"], result["code"], result["field"]) == ("VehicleError", "INVALID", field)
    async with db.session(Scope.internal()) as s:
        assert await s.scalar(select(Vehicle).where(Vehicle.plate == "鄂H55555")) is None


async def test_the_simulator_prices_a_plate_as_the_lane_does(gql: GraphQL, site: Site) -> None:
    token = (await seat_tokens(site))["seat"]
    query = """
    query($lot: ID!, $plate: String) {
      simulateFees(lotId: $lot, plate: $plate, entryAt: "2026-05-06T10:00:00+08:00", durations: [330]) {
        vehicleClass tariffClass feeFen
      }
    }"""
    rows = {}
    for plate in ("鄂H12345", "鄂HD12345", "鄂H1234警"):
        body = await gql(query, {"lot": str(site.lot_id), "plate": plate}, token=token)
        assert body.get("errors") is None, body
        rows[plate] = body["data"]["simulateFees"]
    # 5 h 30 min, as the cars above were asked at the exit
    assert rows == {
        "鄂H12345": [{"vehicleClass": "SMALL", "tariffClass": "small", "feeFen": 1300}],
        "鄂HD12345": [{"vehicleClass": "NEW_ENERGY", "tariffClass": "new_energy", "feeFen": 650}],
        "鄂H1234警": [{"vehicleClass": "SMALL", "tariffClass": "small", "feeFen": 0}],
    }


# Every plate kind, every reported colour, with and without a record of each shape.
_PLATES = ("鄂H12345", "鄂HD12345", "鄂H12345D", "鄂H1234警", "鄂H1234学", "鄂H1234挂", "粤Z1234港", "使014578")
_RECORDS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"vehicle_class": VehicleClassRow.MOTORCYCLE},
    {"vehicle_class": VehicleClassRow.SMALL, "tariff_class": "tricycle", "plate_color": PlateColor.YELLOW},
    {"vehicle_class": VehicleClassRow.LARGE, "exempt_kind": ExemptKind.FUNERAL},
)


@pytest.mark.parametrize("record", _RECORDS)
async def test_quote_and_lane_read_the_vehicle_record_alike(
    db: Database, site: Site, record: dict[str, Any] | None
) -> None:
    # Given every plate kind, registered at the lot with the record's shape (or not at all)
    if record is not None:
        async with db.transaction(Scope.internal()) as s:
            tenant = await site._tenant(s)
            s.add_all([Vehicle(**tenant, plate=plate, **record) for plate in _PLATES])
    async with db.session(Scope.internal()) as s:
        for plate in _PLATES:
            facts = await context.load_plate(s, site.lot_id, plate)
            for color in PlateColor:
                # When quoteFee's service and the lane each infer the vehicle
                quoted = await service.vehicle_of(s, site.lot_id, plate, color)
                billed = tariff_vehicle(plate, color, facts.registration)
                # Then they agree, and the class the lane records the stay with is the quote's built-in class
                assert quoted == billed, (plate, color)
                assert context.class_of(facts, color).value == quoted.builtin_class.value


async def test_a_version_declaring_lot_classes_is_published_and_quoted_by_class_name(gql: GraphQL, site: Site) -> None:
    token = (await seat_tokens(site))["seat"]
    # Given a new version of the lot's tariff that prices its own 三轮车 class at 40 %, published over the API
    doc = _lot_tariff().model_dump(mode="json")
    doc.update(name="zhongxiang-2027", effective_from="2026-05-01T00:00:00+08:00")
    doc["classes"]["tricycle"]["multiplier_percent"] = 40
    create = """
    mutation($input: TariffVersionCreateInput!) {
      tariffVersionCreate(input: $input) {
        __typename ... on TariffSuccess { tariffVersion { version document } }
      }
    }"""
    variables = {"input": {"lotId": str(site.lot_id), "vehicleClass": "SMALL", "document": doc}}
    created = (await gql(create, variables, token=token))["data"]["tariffVersionCreate"]
    assert created["__typename"] == "TariffSuccess", created
    assert created["tariffVersion"]["document"]["classes"]["tricycle"]["label"] == "三轮车"
    # When a tricycle's 5 h 30 min is quoted by class name
    query = """
    query($lot: ID!) {
      quoteFee(lotId: $lot, tariffClass: "tricycle", entryAt: "2026-05-06T10:00:00+08:00",
               exitAt: "2026-05-06T15:30:00+08:00") { tariffVersion vehicleClass tariffClass amountFen }
    }"""
    body = await gql(query, {"lot": str(site.lot_id)}, token=token)
    # Then the new version prices it: (5 + 4 × 2) × 40 %
    assert body["data"]["quoteFee"] == {
        "tariffVersion": 2,
        "vehicleClass": "SMALL",
        "tariffClass": "tricycle",
        "amountFen": 200 + 4 * 80,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (
            'quoteFee(lotId: "{lot}", entryAt: "2026-05-06T10:00:00+08:00", exitAt: "9999-12-31T00:00:00+08:00")'
            " { amountFen }",
            "exitAt",
        ),
        (
            'simulateFees(lotId: "{lot}", entryAt: "2026-05-06T10:00:00+08:00", durations: [60, 2147483647])'
            " { feeFen }",
            "durations",
        ),
    ],
)
async def test_a_stay_of_centuries_is_refused_not_computed(gql: GraphQL, site: Site, query: str, field: str) -> None:
    token = (await seat_tokens(site))["seat"]
    body = await gql("query { " + query.replace("{lot}", str(site.lot_id)) + " }", token=token)
    assert body["data"] is None
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]] == [("INVALID", field)]

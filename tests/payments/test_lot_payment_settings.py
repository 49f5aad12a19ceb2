"""A lot's payment settings: the model's defaults and bounds, the settings mutation (scope, refusals, audit), and
the lane flow, frictionless parking and the entry notification acting on what the mutation set."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from fakes.wechatpay import FakeWeChatPay
from parking.alarms.models import AlarmKind
from parking.common.database import Database
from parking.common.scope import Scope
from parking.lanes.decisions import Reason
from parking.payments.frictionless.settings import FrictionlessSettings
from parking.payments.messages.entry import EntryTemplate
from parking.payments.statement import lot_fee_rate
from parking.tenancy.models import Lot
from parking.tenancy.payment_settings import (
    DEFAULT_RATE_PPM,
    EntryTemplateFields,
    LotPaymentSettings,
    LotPaymentSettingsChange,
)
from tests.api.helpers import audits, dump, reread
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.lanes.site import T0, build_site
from tests.payments.flow import Flow
from tests.payments.test_frictionless import enrol, new_plate, registration
from tests.payments.test_frictionless import enter as enter_frictionless

UPDATE = """
mutation($lotId: ID!, $input: LotPaymentSettingsInput!) {
  x: lotPaymentSettingsUpdate(lotId: $lotId, input: $input) {
    __typename
    ... on LotPaymentSettingsSuccess {
      lot { id name }
      paymentSettings {
        frictionless frictionlessAdvance frictionlessFreeMinutes feeRatePpm noEntryFeeFen minConfidence
        entryTemplateId entryTemplatePage entryTemplateFields { plate lot time }
      }
    }
    ... on TenancyError { code message field }
  }
}
"""
READ = "query($id: ID!) { lot(id: $id) { paymentSettings { frictionless feeRatePpm entryTemplateFields { plate } } } }"
DEFAULTS: dict[str, Any] = {
    "frictionless": False,
    "frictionless_advance": False,
    "frictionless_free_minutes": 0,
    "fee_rate_ppm": DEFAULT_RATE_PPM,
    "no_entry_fee_fen": 0,
    "min_confidence": 0.7,
    "double_payment_auto_refund": True,
    "entry_template_id": "",
    "entry_template_fields": {"plate": "car_number1", "lot": "thing2", "time": "time3"},
    "entry_template_page": "",
    "paid_template_id": "",
    "paid_template_fields": {"plate": "car_number1", "lot": "thing2", "amount": "amount3", "time": "time4"},
}


async def change(gql: GraphQL, token: str, lot_id: str, **values: Any) -> dict[str, Any]:
    body = await gql(UPDATE, {"lotId": lot_id, "input": values}, token=token)
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["x"]
    return result


async def stored(db: Database, lot_id: int | str) -> dict[str, Any]:
    lot = await reread(db, Lot, lot_id)
    assert lot is not None
    return dict(lot.payment_settings)


async def store(db: Database, lot_id: int, settings: dict[str, Any]) -> None:
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == lot_id).values(payment_settings=settings))


# The model: defaults, lenient reading of what is stored, strict checking of what is changed.


def test_an_empty_column_reads_as_the_defaults() -> None:
    assert LotPaymentSettings.of(None).model_dump() == DEFAULTS
    assert LotPaymentSettings.of({}).model_dump() == DEFAULTS


def test_a_stored_value_breaking_its_rule_reads_as_its_default_and_the_others_stand() -> None:
    settings = LotPaymentSettings.of(
        {
            "frictionless": "yes",
            "fee_rate_ppm": True,
            "frictionless_free_minutes": -5,
            "min_confidence": 0.9,
            "entry_template_id": "TPL_1",
            "entry_template_fields": {"plate": "car_number9"},
            "merchant_id": "1900000109",
        }
    )
    assert settings.model_dump() == {
        **DEFAULTS,
        "min_confidence": 0.9,
        "entry_template_id": "TPL_1",
        "entry_template_fields": {"plate": "car_number9", "lot": "thing2", "time": "time3"},
    }


def test_a_change_keeps_what_it_leaves_out_and_the_unknown_keys_and_writes_no_defaults() -> None:
    before = {
        "merchant_id": "1900000109",
        "fee_rate_ppm": 3800,
        "min_confidence": 0.8,
        "entry_template_fields": {"lot": "thing7"},
    }
    change = LotPaymentSettingsChange(frictionless=True, min_confidence=0.7, entry_template_fields={"time": "time9"})
    after = change.applied_to(LotPaymentSettings.of(before))
    stored = after.stored(before)
    # min_confidence went back to its default, so it is no longer written down.
    assert stored == {
        "merchant_id": "1900000109",
        "frictionless": True,
        "fee_rate_ppm": 3800,
        "entry_template_fields": {"lot": "thing7", "time": "time9"},
    }
    assert LotPaymentSettings.of(stored) == after
    assert after.model_dump()["entry_template_fields"] == {"plate": "car_number1", "lot": "thing7", "time": "time9"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"frictionless_free_minutes": 1441}, "frictionless_free_minutes"),
        ({"frictionless_free_minutes": -1}, "frictionless_free_minutes"),
        ({"fee_rate_ppm": 50_001}, "fee_rate_ppm"),
        ({"no_entry_fee_fen": 100_001}, "no_entry_fee_fen"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"entry_template_id": "not a template!"}, "entry_template_id"),
        ({"entry_template_page": "pages/a b"}, "entry_template_page"),
        ({"entry_template_fields": {"plate": "9lives"}}, "entry_template_fields.plate"),
    ],
)
def test_a_value_out_of_bounds_is_refused(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        LotPaymentSettingsChange.model_validate(values)
    assert ".".join(str(p) for p in err.value.errors()[0]["loc"]) == field


def test_the_template_keywords_must_differ() -> None:
    change = LotPaymentSettingsChange.model_validate({"entry_template_fields": {"lot": "car_number1"}})
    with pytest.raises(ValidationError) as err:
        change.applied_to(LotPaymentSettings())
    assert err.value.errors()[0]["loc"] == ("entry_template_fields",)
    with pytest.raises(ValidationError):
        EntryTemplateFields(plate="x1", lot="x1", time="x2")


@pytest.mark.parametrize(
    "raw",
    [
        None,
        {},
        {"frictionless": True, "frictionless_advance": True, "frictionless_free_minutes": 15},
        {"frictionless": 1, "frictionless_free_minutes": "15", "fee_rate_ppm": 2.5},
        {"fee_rate_ppm": 3800, "entry_template_id": "TPL", "entry_template_page": "pages/stay"},
        {"entry_template_id": "TPL", "entry_template_fields": {"plate": "car_number4", "time": "date5"}},
    ],
)
def test_every_reader_agrees_with_the_model(raw: dict[str, Any] | None) -> None:
    settings = LotPaymentSettings.of(raw)
    assert FrictionlessSettings.of(settings) == FrictionlessSettings(
        settings.frictionless, settings.frictionless_advance, settings.frictionless_free_minutes
    )
    assert lot_fee_rate(raw) == settings.fee_rate_ppm
    template = EntryTemplate.of(settings)
    if settings.entry_template_id:
        assert template == EntryTemplate(
            settings.entry_template_id,
            settings.entry_template_fields.model_dump(),
            settings.entry_template_page or None,
        )
    else:
        assert template is None


# The mutation.


async def test_the_mutation_stores_the_settings_and_records_the_change(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    lot_id = world.ids["lot:A1a"]
    await store(db, lot_id, {"merchant_id": "1900000109"})
    result = await change(
        gql,
        world.tokens["custA1"],
        str(lot_id),
        frictionless=True,
        frictionlessFreeMinutes=15,
        feeRatePpm=3800,
        entryTemplateId="TPL_ENTRY_1",
        entryTemplateFields={"lot": "thing5"},
    )
    assert result == {
        "__typename": "LotPaymentSettingsSuccess",
        "lot": {"id": str(lot_id), "name": "Lot A1a"},
        "paymentSettings": {
            "frictionless": True,
            "frictionlessAdvance": False,
            "frictionlessFreeMinutes": 15,
            "feeRatePpm": 3800,
            "noEntryFeeFen": 0,
            "minConfidence": 0.7,
            "entryTemplateId": "TPL_ENTRY_1",
            "entryTemplatePage": "",
            "entryTemplateFields": {"plate": "car_number1", "lot": "thing5", "time": "time3"},
        },
    }
    after = {
        "merchant_id": "1900000109",
        "frictionless": True,
        "frictionless_free_minutes": 15,
        "fee_rate_ppm": 3800,
        "entry_template_id": "TPL_ENTRY_1",
        "entry_template_fields": {"lot": "thing5"},
    }
    assert await stored(db, lot_id) == after
    [entry] = await audits(db)
    assert (entry.action, entry.entity, entry.entity_id, entry.actor_name, entry.lot_id) == (
        "lot.payment_settings_update",
        "lot",
        lot_id,
        "custA1",
        lot_id,
    )
    assert (entry.before, entry.after) == (
        {"payment_settings": {"merchant_id": "1900000109"}},
        {"payment_settings": after},
    )

    # A second change leaves the first one's values as they are.
    await change(gql, world.tokens["custA1"], str(lot_id), frictionless=False)
    assert await stored(db, lot_id) == {k: v for k, v in after.items() if k != "frictionless"}
    body = await gql(READ, {"id": str(lot_id)}, token=world.tokens["lotA1a"])
    assert body["data"]["lot"]["paymentSettings"] == {
        "frictionless": False,
        "feeRatePpm": 3800,
        "entryTemplateFields": {"plate": "car_number1"},
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"frictionless": True, "feeRatePpm": 500_000}, "feeRatePpm"),
        ({"frictionless": True, "entryTemplateId": "模板 一"}, "entryTemplateId"),
        ({"noEntryFeeFen": -100}, "noEntryFeeFen"),
        ({"minConfidence": 2.0}, "minConfidence"),
        ({"entryTemplateFields": {"time": "car_number1"}}, "entryTemplateFields"),
    ],
)
async def test_an_invalid_value_changes_nothing(db: Database, gql: GraphQL, values: dict[str, Any], field: str) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await change(gql, world.tokens["platform"], world.id("lot:A1a"), **values)
    assert (result["__typename"], result["code"], result["field"]) == ("TenancyError", "INVALID", field)
    assert await dump(db) == before


@pytest.mark.parametrize(("operator", "lot"), [("agentB", "lot:A1a"), ("lotA1a", "lot:A1b"), ("custA1", "lot:A2a")])
async def test_a_lot_outside_the_operators_scope_is_not_found(
    db: Database, gql: GraphQL, operator: str, lot: str
) -> None:
    world = await build_world(db)
    before = await dump(db)
    result = await change(gql, world.tokens[operator], world.id(lot), frictionless=True)
    assert result == {"__typename": "TenancyError", "code": "NOT_FOUND", "message": "Lot not found", "field": "lotId"}
    assert await dump(db) == before


async def test_without_lots_manage_the_mutation_is_refused(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    before = await dump(db)
    body = await gql(
        UPDATE, {"lotId": world.id("lot:A1a"), "input": {"frictionless": True}}, token=world.tokens["viewer"]
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await dump(db) == before


# What the readers do with the settings the mutation set.


async def test_the_lane_flow_uses_the_no_entry_fee_and_least_confidence_that_were_set(
    db: Database, gql: GraphQL
) -> None:
    world = await build_world(db)
    site = await build_site(db)
    result = await change(gql, world.tokens["platform"], str(site.lot_id), noEntryFeeFen=3500, minConfidence=0.9)
    assert result["__typename"] == "LotPaymentSettingsSuccess"
    # A reading below the lot's 0.9 raises a low-confidence alarm (the default 0.7 would not).
    await site.read("in", "沪A11111", T0, confidence=0.85)
    await site.read("in", "沪A22222", T0, confidence=0.95)
    assert [a.plate for a in await site.alarms(AlarmKind.LOW_CONFIDENCE)] == ["沪A11111"]
    held = await site.read("out", "沪B33333", T0)
    assert (held.decision.reason, held.decision.fee_fen) == (Reason.EXIT_WITHOUT_ENTRY, 3500)


async def test_frictionless_set_through_the_api_registers_the_entry_with_the_free_period(
    flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    world = await build_world(flow.db)
    body = (
        await flow.http.post(
            "/graphql",
            json={
                "query": UPDATE,
                "variables": {
                    "lotId": str(flow.site.lot_id),
                    "input": {"frictionless": True, "frictionlessFreeMinutes": 20},
                },
            },
            headers={"Authorization": f"Bearer {world.tokens['platform']}"},
        )
    ).json()
    assert body["data"]["x"]["__typename"] == "LotPaymentSettingsSuccess"
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter_frictionless(flow, plate)
    entry = await registration(flow, session_id)
    assert entry is not None
    assert wechat_fake[0].parkings[entry.parking_id]["free_duration"] == 20 * 60


def test_a_lots_parsed_settings_follow_its_column() -> None:
    lot = Lot(payment_settings={"min_confidence": 0.9})
    first = lot.settings
    assert first.min_confidence == 0.9
    assert lot.settings is first  # parsed once while the column holds the same value
    lot.payment_settings = {"min_confidence": 0.5}
    assert lot.settings.min_confidence == 0.5

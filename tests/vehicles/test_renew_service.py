"""Renewal of a lapsed pass restarts from the given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.vehicles import inputs, service
from tests.factories import build_world


async def test_lapsed_pass_renews_from_now(db: Database) -> None:
    # given a monthly pass for January 2030, long lapsed
    world = await build_world(db)
    actor = Actor.system()
    async with db.transaction(Scope.internal()) as s:
        product = await service.create_product(
            s, actor, inputs.PassProductCreate(lot_id=world.id("lot:A1a"), name="月卡", period="month", price_fen=100)
        )
        vehicle = await service.create_vehicle(
            s, actor, inputs.VehicleCreate(lot_id=world.id("lot:A1a"), plate="京A12345")
        )
        pass_ = await service.create_pass(
            s,
            actor,
            inputs.PassCreate(
                product_id=str(product.id), vehicle_id=str(vehicle.id), starts_at=datetime(2029, 12, 31, 16, tzinfo=UTC)
            ),
        )
        pass_id = str(pass_.id)
    # when it is renewed on Mar 31 2030, 10:00 in Shanghai
    now = datetime(2030, 3, 31, 2, tzinfo=UTC)
    async with db.transaction(Scope.internal()) as s:
        renewed = await service.renew_pass(s, actor, pass_id, inputs.PassRenew(periods=1, method="cash"), now=now)
        ends_at = renewed.ends_at
    # then it runs one month from now: Apr 30, 10:00 Shanghai, not from the lapsed end
    assert ends_at == datetime(2030, 4, 30, 2, tzinfo=UTC)

"""Tariff mutations: a new version per change, refused documents reported problem by problem."""

from __future__ import annotations

from typing import Annotated

import strawberry
from pydantic import ValidationError
from strawberry.scalars import JSON

from parking.accounts.permissions import Perm
from parking.tariffs import service
from parking.tariffs.errors import TariffErrorCode
from parking.tariffs.inputs import TariffVersionCreate
from parking.tariffs.validation import validate_tariff
from parking.tenancy.enums import VehicleClass
from schema.core.context import Info
from schema.core.errors import Error, error_codes, error_from
from schema.core.mutations import run, validation_error
from schema.core.permissions import describe, requires
from schema.tariffs.types import TariffProblemType, TariffVersionType

error_codes(TariffErrorCode, "a tariff")


@strawberry.type
class TariffError(Error):
    code: TariffErrorCode
    message: str
    field: str | None = None
    problems: list[TariffProblemType] = strawberry.field(default_factory=list)


@strawberry.type
class TariffSuccess:
    tariff_version: TariffVersionType


TariffResult = Annotated[TariffSuccess | TariffError, strawberry.union("TariffResult")]


@strawberry.input
class TariffVersionCreateInput:
    lot_id: strawberry.ID
    area_id: strawberry.ID | None = None
    vehicle_class: VehicleClass
    document: JSON = strawberry.field(description="The tariff document (see docs/tariffs.md).")


def _refused(err: service.InvalidTariffDocument) -> TariffError:
    problems = [TariffProblemType(path=p.path, reason=p.reason) for p in err.problems]
    return error_from(err, TariffError, problems=problems)


@strawberry.type
class TariffsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.TARIFFS_MANAGE),
        description=describe("Add a tariff version (an update is always a new version).", Perm.TARIFFS_MANAGE),
    )
    async def tariff_version_create(self, info: Info, input: TariffVersionCreateInput) -> TariffResult:
        document = input.document
        if not isinstance(document, dict):
            return TariffError(code=TariffErrorCode.INVALID, message="document must be a JSON object", field="document")
        # Checked here too, before the transaction, so every problem reaches the client (run keeps one field).
        if problems := validate_tariff(document):
            return _refused(service.InvalidTariffDocument(problems))
        try:
            data = TariffVersionCreate(
                lot_id=input.lot_id, area_id=input.area_id, vehicle_class=input.vehicle_class, document=document
            )
        except ValidationError as err:
            return validation_error(err, TariffError)
        return await run(
            info,
            lambda s, a: service.create_version(s, a, data),
            TariffError,
            lambda row: TariffSuccess(tariff_version=TariffVersionType.of(row)),
        )

"""The root schema: one query and one mutation class per domain, limits on, SDL printed for clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import strawberry
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig

from schema.accounts.mutations import AccountsMutation
from schema.accounts.queries import AccountsQuery
from schema.alarms.mutations import AlarmsMutation
from schema.alarms.queries import AlarmsQuery
from schema.codes.mutations import CodesMutation
from schema.codes.queries import CodesQuery
from schema.core.errors import LoggedSchema, MaskUnexpectedErrors
from schema.core.execution import PlainFieldsExecutionContext
from schema.core.limits import limit_extensions
from schema.core.money import SCALAR_MAP
from schema.devices.mutations import DevicesMutation
from schema.devices.queries import DevicesQuery
from schema.drivers.mutations import DriversMutation
from schema.drivers.queries import DriversQuery
from schema.faults.mutations import FaultsMutation
from schema.faults.queries import FaultsQuery
from schema.invoices.mutations import InvoicesMutation
from schema.invoices.queries import InvoicesQuery
from schema.lanes.mutations import LanesMutation
from schema.lanes.queries import LanesQuery
from schema.live.subscriptions import LiveSubscription
from schema.merchants.mutations import MerchantsMutation
from schema.merchants.queries import MerchantsQuery
from schema.merchants.statistics import MerchantStatisticsQuery
from schema.merchants.subscriptions import MerchantsSubscription
from schema.overview.queries import OverviewQuery
from schema.payments.mutations import PaymentsMutation
from schema.payments.queries import PaymentsQuery
from schema.payments.subscriptions import PaymentsSubscription
from schema.recognition.mutations import RecognitionMutation
from schema.recognition.queries import RecognitionQuery
from schema.reports.details import DetailReportsQuery
from schema.reports.invoices import InvoiceReportQuery
from schema.reports.my_shift import MyShiftQuery
from schema.reports.queries import ReportsQuery
from schema.reports.shifts import ShiftsMutation, ShiftsQuery
from schema.retention.mutations import RetentionMutation
from schema.retention.queries import RetentionQuery
from schema.sessions.queries import SessionsQuery
from schema.tariffs.mutations import TariffsMutation
from schema.tariffs.queries import TariffsQuery
from schema.tenancy.mutations import TenancyMutation
from schema.tenancy.queries import TenancyQuery
from schema.vehicles.mutations import VehiclesMutation
from schema.vehicles.queries import VehiclesQuery


@strawberry.type
class Query(
    AccountsQuery,
    TenancyQuery,
    VehiclesQuery,
    SessionsQuery,
    AlarmsQuery,
    InvoicesQuery,
    MerchantsQuery,
    MerchantStatisticsQuery,
    CodesQuery,
    FaultsQuery,
    TariffsQuery,
    LanesQuery,
    PaymentsQuery,
    DevicesQuery,
    RecognitionQuery,
    OverviewQuery,
    DriversQuery,
    RetentionQuery,
    ReportsQuery,
    DetailReportsQuery,
    InvoiceReportQuery,
    ShiftsQuery,
    MyShiftQuery,
):
    pass


@strawberry.type
class Mutation(
    AccountsMutation,
    TenancyMutation,
    VehiclesMutation,
    MerchantsMutation,
    CodesMutation,
    FaultsMutation,
    TariffsMutation,
    LanesMutation,
    PaymentsMutation,
    DevicesMutation,
    AlarmsMutation,
    RecognitionMutation,
    DriversMutation,
    RetentionMutation,
    InvoicesMutation,
    ShiftsMutation,
):
    pass


@strawberry.type
class Subscription(LiveSubscription, PaymentsSubscription, MerchantsSubscription):
    pass


class CloseSession(SchemaExtension):
    """Closes the request's read session when the operation ends, whatever happened."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.close()


def build_schema(
    *, introspection: bool = True, max_depth: int = 10, max_aliases: int = 30, max_tokens: int = 2000
) -> strawberry.Schema:
    extensions: list[Any] = [
        *limit_extensions(max_depth=max_depth, max_aliases=max_aliases, max_tokens=max_tokens),
        MaskUnexpectedErrors,
        CloseSession,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return LoggedSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=PlainFieldsExecutionContext.for_schema(),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )


def print_sdl() -> str:
    return build_schema().as_str() + "\n"

"""The statements each main GraphQL operation costs: the dashboard's own documents (clients/web/src/graphql),
a fee quote and the cloud seat's mutations, pinned in tests/query_counts/pinned.py and the same for 2 rows per
list as for 5 (a dataloader per nested field, never a query per row)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from parking.common.database import Database
from tests.conftest import GraphQL
from tests.lanes.site import T0, flat_tariff
from tests.query_counts.counting import check, statements
from tests.query_counts.seed import DAY, Seeded, add_rows, seed_lot

pytestmark = pytest.mark.anyio

Variables = Callable[[Seeded, int], dict[str, Any]]


def _none(_: Seeded, __: int) -> dict[str, Any]:
    return {}


def _page(_: Seeded, __: int) -> dict[str, Any]:
    return {"first": 50}


def _lot(seeded: Seeded, _: int) -> dict[str, Any]:
    return {"lotId": seeded.id("lot")}


@dataclass(frozen=True)
class Operation:
    document: str
    # Variables of the first run (row 0 exists) and the second (row 2 exists): a mutation acts on a fresh row.
    variables: Variables = _none
    # "customer": a cloud seat over the lot's customer; "platform": for lists only the platform sees in full.
    who: str = "customer"


PAGE = "pageInfo { hasNextPage endCursor }"

OPERATIONS: dict[str, Operation] = {
    "me": Operation("query Me { me { name permissions scopeLevel agentId customerId lotIds } }"),
    "overview": Operation(
        """query Overview($from: Date!, $to: Date!) {
          occupancy { lotId name capacity occupied freeSpaces }
          revenueByDay(from: $from, to: $to) { day channel paidFen }
          traffic(from: $from, to: $to, bucket: HOUR) { day hour entries exits }
          openAlarmsByKind { kind open acknowledged }
        }""",
        lambda s, _: {"from": str(DAY), "to": str(DAY)},
    ),
    "lot_map": Operation(
        """query LotMap { occupancy {
          lotId name capacity occupied freeSpaces latitude longitude tariffs { id name vehicleClass }
        } }"""
    ),
    "agents": Operation(
        f"""query Agents($first: Int!) {{ agents(first: $first) {{
          items {{ id name contactName phone isActive createdAt }} {PAGE} }} }}""",
        _page,
        who="platform",
    ),
    "customers": Operation(
        f"""query Customers($first: Int!) {{ customers(first: $first) {{
          items {{ id name contactName phone isActive createdAt agent {{ id name }} }} {PAGE} }} }}""",
        _page,
        who="platform",
    ),
    "lots": Operation(
        f"""query Lots($first: Int!) {{ lots(first: $first) {{
          items {{ id name code address capacity occupied freeSpaces isActive timezone customer {{ id name }} }}
          {PAGE} }} }}""",
        _page,
    ),
    "lot_detail": Operation(
        """query LotDetail($id: ID!) { lot(id: $id) {
          id name code capacity occupied freeSpaces
          areas { id name capacity occupied freeSpaces isInner parent { id name } }
          lanes { id name direction mode isActive qrToken area { id name } }
        } }""",
        lambda s, _: {"id": s.id("lot")},
    ),
    "lanes": Operation(
        f"""query Lanes($first: Int!) {{ lanes(first: $first) {{
          items {{ id name direction mode isActive qrToken lot {{ id name }} area {{ id name }} }} {PAGE} }} }}""",
        _page,
    ),
    "devices": Operation(
        f"""query Devices($first: Int!) {{ devices(first: $first) {{
          items {{ id kind name model serial ip protocol status firmware lastSeenAt errorCount supportedCommands
                  lane {{ id name }} }}
          {PAGE} }} }}""",
        _page,
    ),
    "owners": Operation(
        f"""query Owners($first: Int!) {{ owners(first: $first) {{
          items {{ id name phone address createdAt vehicles {{ id plate }} wallet {{ id balanceFen }} }}
          {PAGE} }} }}""",
        _page,
    ),
    "vehicles": Operation(
        f"""query Vehicles($first: Int!) {{ vehicles(first: $first) {{
          items {{ id plate plateColor vehicleClass note owner {{ id name }} group {{ id name }} }} {PAGE} }} }}""",
        _page,
    ),
    "passes": Operation(
        f"""query Passes($first: Int!) {{ passes(first: $first) {{
          items {{ id startsAt endsAt status product {{ id name priceFen period }} vehicle {{ id plate }}
                  group {{ id name }} renewals {{ id at periods amountFen method newEndsAt }} }}
          {PAGE} }} }}""",
        _page,
    ),
    "tariff_versions": Operation(
        "query T($lotId: ID!) { tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId } }",
        _lot,
    ),
    "simulate_fees": Operation(
        """query S($lotId: ID!) { simulateFees(lotId: $lotId, vehicleClass: SMALL, durations: [10, 60, 600]) {
          minutes feeFen capped vehicleClass } }""",
        _lot,
    ),
    "quote_fee": Operation(
        """query Q($lotId: ID!, $entryAt: DateTime!, $exitAt: DateTime!) {
          quoteFee(lotId: $lotId, vehicleClass: SMALL, entryAt: $entryAt, exitAt: $exitAt) {
            tariffName tariffVersion durationS amountFen paidFen dueFen
            lines { kind label amountFen units unitMinutes rateFen startAt endAt repeat }
          } }""",
        lambda s, _: {"lotId": s.id("lot"), "entryAt": T0.isoformat(), "exitAt": T0.replace(hour=5).isoformat()},
    ),
    # The tariff editor's live view: a draft priced without the database (only the caller is looked up).
    "tariff_preview": Operation(
        """query P($document: JSON!) {
          tariffPreview(document: $document, curveMinutes: [30, 60, 600], exampleMinutes: [120]) {
            problems { path reason } curve { minutes feeFen capped }
            quotes { amountFen lines { kind amountFen units unitMinutes rateFen startAt endAt } }
          } }""",
        lambda s, _: {"document": flat_tariff().model_dump(mode="json")},
    ),
    "quote_fee_by_plate": Operation(
        """query Q($lotId: ID!, $entryAt: DateTime!, $exitAt: DateTime!) {
          quoteFee(lotId: $lotId, plate: "京V0000A", entryAt: $entryAt, exitAt: $exitAt) {
            tariffName amountFen dueFen lines { kind label amountFen }
          } }""",
        lambda s, _: {"lotId": s.id("lot"), "entryAt": T0.isoformat(), "exitAt": T0.replace(hour=5).isoformat()},
    ),
    "parking_sessions": Operation(
        f"""query Sessions($first: Int!) {{ parkingSessions(first: $first) {{
          items {{ id lotId plate plateColor vehicleClass category state entryAt exitAt
                  feeDueFen paidFen discountFen releaseMethod releaseReason
                  lot {{ id name }} entryLane {{ id name }} exitLane {{ id name }}
                  entryImageRef exitImageRef plateCropRef couponFen coupons {{ couponId kind label discountFen }} }}
          {PAGE} }} }}""",
        _page,
    ),
    # The parking record drawer: one stay's readings with their lanes, its orders and their refunds.
    "stay_events": Operation(
        f"""query StayEvents($sessionId: ID!) {{
          laneEvents(filter: {{ sessionId: $sessionId }}, direction: ASC, first: 100) {{
            items {{ id kind at plate plateColor confidence source imageRef opened decisionReason lane {{ id name }} }}
            {PAGE} }} }}""",
        lambda s, run: {"sessionId": s.id(f"stay:{2 * run}")},
    ),
    "stay_payments": Operation(
        f"""query StayPayments($sessionId: ID!) {{
          paymentOrders(filter: {{ sessionId: $sessionId }}, first: 100) {{ items {{ id status amountFen }} {PAGE} }}
          refunds(filter: {{ sessionId: $sessionId }}, first: 100) {{ items {{ id status amountFen }} {PAGE} }} }}""",
        lambda s, run: {"sessionId": s.id(f"stay:{2 * run}")},
    ),
    "lane_events": Operation(
        f"""query LaneEvents($first: Int!) {{ laneEvents(first: $first) {{
          items {{ id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened
                  decisionReason }}
          {PAGE} }} }}""",
        _page,
    ),
    "gate_commands": Operation(
        f"""query GateCommands($first: Int!) {{ gateCommands(first: $first) {{
          items {{ id lotId laneId kind status issuedAt completedAt operatorId reason result }} {PAGE} }} }}""",
        _page,
    ),
    "alarms": Operation(
        f"""query Alarms($first: Int!) {{ alarms(first: $first) {{
          items {{ id lotId laneId deviceId sessionId kind severity status raisedAt plate message
                  acknowledgedAt resolvedAt resolution }}
          {PAGE} }} }}""",
        _page,
    ),
    "operators": Operation(
        f"""query Operators($first: Int!) {{ operators(first: $first) {{
          items {{ id username displayName phone isActive scopeLevel lastLoginAt
                  role {{ id name }} lots {{ id name }} }}
          {PAGE} }} }}""",
        _page,
    ),
    "roles": Operation(
        f"""query Roles($first: Int!) {{
          roles(first: $first) {{ items {{ id name description permissions scopeLevel }} {PAGE} }}
          permissionCatalogue {{ menu permissions }} }}""",
        _page,
    ),
    "audit_log": Operation(
        f"""query Audit($first: Int!) {{ auditLog(first: $first) {{
          items {{ id at actorName action entity entityId lotId ip }} {PAGE} }} }}""",
        _page,
    ),
    "console_lanes": Operation(
        f"""query ConsoleLanes($lotId: ID!) {{
          lot(id: $lotId) {{ id name lanes {{ id name direction mode isActive devices {{ id kind status }} }} }}
          laneEvents(filter: {{ lotId: $lotId }}, first: 100) {{
            items {{ id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened
                    decisionReason }}
            {PAGE} }}
          alarms(filter: {{ lotId: $lotId, status: OPEN }}, first: 100) {{
            items {{ id lotId laneId sessionId kind severity status raisedAt plate message }} {PAGE} }}
        }}""",
        _lot,
    ),
    "open_stays": Operation(
        f"""query OpenStays($lotId: ID!) {{
          parkingSessions(filter: {{ lotId: $lotId, inside: true }}, first: 100) {{
            items {{ id plate entryAt }} {PAGE} }}
        }}""",
        _lot,
    ),
    "payment_orders": Operation(
        f"""query PaymentOrders($first: Int!) {{ paymentOrders(first: $first) {{
          items {{ id lotId outTradeNo channel purpose status plate amountFen channelFeeFen refundedFen
                  channelTradeNo paidAt createdAt doublePayment }}
          {PAGE} }} }}""",
        _page,
    ),
    "refunds": Operation(
        f"""query Refunds($first: Int!) {{ refunds(first: $first) {{
          items {{ id lotId orderId outRefundNo amountFen reason status requestedBy approvedBy decisionNote
                  completedAt createdAt }}
          {PAGE} }} }}""",
        _page,
    ),
    "invoices": Operation(
        f"""query Invoices($first: Int!) {{ invoices(first: $first) {{
          items {{ id lotId orderId plate amountFen title taxNumber status issuedAt number createdAt }} {PAGE} }} }}""",
        _page,
    ),
    "settlement_statements": Operation(
        f"""query SettlementStatements($day: Date!, $first: Int!) {{
          settlementStatements(dayFrom: $day, dayTo: $day, first: $first) {{
            items {{
              id lotId customerId day timezone feeRatePpm producedAt
              totals {{ paymentsCount grossFen refundsCount refundsFen feeFen netFen }}
              byChannel {{ channel totals {{ paymentsCount grossFen refundsCount refundsFen feeFen netFen }} }}
            }}
            {PAGE} }} }}""",
        lambda s, _: {"day": str(DAY), "first": 50},
    ),
    "customer_settlement": Operation(
        """query CustomerSettlement($customerId: ID!, $day: Date!) {
          customerSettlement(customerId: $customerId, day: $day) {
            customerId day lotsSettled
            totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen }
            byChannel { channel totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen } }
          } }""",
        lambda s, _: {"customerId": s.id("customer"), "day": str(DAY)},
    ),
    "merchant_statistics": Operation(
        """query MerchantStatistics($f: MerchantStatisticsFilter!) { merchantStatistics(filter: $f) {
          merchantId merchantName issued redeemed expired voided discountFen soldFen boughtFen chargedFen
          stockRemaining } }""",
        lambda s, _: {"f": {"lotId": s.id("lot"), "from": str(DAY), "to": str(DAY)}},
    ),
    "lot_coupon_statistics": Operation(
        """query LotCouponStatistics($f: LotCouponStatisticsFilter!) { lotCouponStatistics(filter: $f) {
          lotId lotName issued redeemed expired voided discountFen soldFen stockRemaining } }""",
        lambda s, _: {"f": {"from": str(DAY), "to": str(DAY)}},
    ),
    "device_commands": Operation(
        f"""query DeviceCommands($first: Int!) {{ deviceCommands(first: $first) {{
          items {{ id deviceId kind status reason result operatorId issuedAt sentAt completedAt }} {PAGE} }} }}""",
        _page,
    ),
    "device_refusals": Operation(
        f"""query DeviceRefusals($first: Int!) {{ deviceRefusals(first: $first) {{
          items {{ id at protocol serial ip reason detail }} {PAGE} }} }}""",
        _page,
        who="platform",
    ),
    "lane_remote_open": Operation(
        """mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {
          laneRemoteOpen(laneId: $laneId, reason: $reason) {
            __typename
            ... on GateCommandSuccess { command { id laneId status reason } }
            ... on LaneError { code message field }
          } }""",
        lambda s, run: {"laneId": s.id(f"lane:{2 * run}"), "reason": "driver called"},
    ),
    "session_waive_fee": Operation(
        """mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {
          sessionWaiveFee(sessionId: $sessionId, reason: $reason) {
            __typename ... on SessionSuccess { session { id plate } } ... on LaneError { code message field }
          } }""",
        lambda s, run: {"sessionId": s.id(f"stay:{2 * run}"), "reason": "goodwill"},
    ),
    "session_correct_plate": Operation(
        """mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {
          sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {
            __typename ... on SessionSuccess { session { id plate } } ... on LaneError { code message field }
          } }""",
        lambda s, run: {"sessionId": s.id(f"stay:{2 * run}"), "plate": f"京R{run:04d}Z", "reason": "misread"},
    ),
    "alarm_acknowledge": Operation(
        """mutation AlarmAcknowledge($id: ID!) {
          alarmAcknowledge(id: $id) {
            __typename ... on AlarmSuccess { alarm { id status acknowledgedAt } } ... on AlarmError { code message }
          } }""",
        lambda s, run: {"id": s.id(f"alarm:{2 * run}")},
    ),
    # A merchant's hot path: the merchant and template in one scoped read, then the take from stock, the coupon and
    # its audit entry (one statement of CTEs on PostgreSQL, three on SQLite).
    "coupon_issue": Operation(
        """mutation CouponIssue($input: CouponIssueInput!) {
          couponIssue(input: $input) {
            __typename ... on CouponSuccess { coupon { id plate status stockId } } ... on MerchantError { code message }
          } }""",
        lambda s, run: {"input": {"merchantId": s.id("merchant"), "templateId": s.id("template"), "plate": "京A12345"}},
    ),
    # The mini-program's 交接班 page (a cashier with no open shift yet): lots, then their lanes in one query.
    "my_shift": Operation(
        """query MyShift {
          myOpenShift { id lotName laneName openedAt cashRecordedFen cashPayments }
          shiftPlaces { lotId lotName lanes { id name } }
        }"""
    ),
    "refund_request": Operation(
        """mutation RefundRequest($orderId: ID!, $amountFen: Fen!, $reason: String!) {
          refundRequest(orderId: $orderId, amountFen: $amountFen, reason: $reason) {
            __typename ... on RefundSuccess { refund { id amountFen status } } ... on PaymentError { code message }
          } }""",
        lambda s, run: {"orderId": s.id(f"order:{2 * run}"), "amountFen": 100, "reason": "counts"},
    ),
}


async def _run(gql: GraphQL, seeded: Seeded, operation: Operation, run: int) -> None:
    body = await gql(operation.document, operation.variables(seeded, run), token=seeded.tokens[operation.who])
    assert body.get("errors") is None, body
    for payload in body["data"].values():
        # A mutation that answered with its error type did not do the work being counted.
        if isinstance(payload, dict) and "__typename" in payload:
            assert not payload["__typename"].endswith("Error"), payload


@pytest.mark.parametrize("name", sorted(OPERATIONS))
async def test_an_operation_costs_its_pinned_statements_whatever_the_rows(
    name: str, db: Database, gql: GraphQL, backend: str
) -> None:
    operation = OPERATIONS[name]
    seeded = await seed_lot(db)
    await add_rows(seeded, 0, 2)
    with statements(db) as few:
        await _run(gql, seeded, operation, 0)
    await add_rows(seeded, 2, 5)
    with statements(db) as many:
        await _run(gql, seeded, operation, 1)
    check(name, backend, few, many)

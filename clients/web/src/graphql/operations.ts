// Every operation the dashboard sends; graphql-codegen types them from ../../schema/schema.graphql.
import { graphql } from '../gql'

export const LoginDocument = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      __typename
      ... on LoginSuccess { token expiresIn operator { id displayName } }
      ... on AccountError { code message field }
    }
  }
`)

export const OverviewDocument = graphql(`
  query Overview(
    $from: Date!
    $to: Date!
    $withRevenue: Boolean!
    $withTraffic: Boolean!
    $withLots: Boolean!
    $withAlarms: Boolean!
  ) {
    occupancy @include(if: $withLots) { lotId name capacity occupied freeSpaces }
    revenueByDay(from: $from, to: $to) @include(if: $withRevenue) { day channel paidFen }
    traffic(from: $from, to: $to, bucket: HOUR) @include(if: $withTraffic) { day hour entries exits }
    openAlarmsByKind @include(if: $withAlarms) { kind open acknowledged }
  }
`)

export const LotMapDocument = graphql(`
  query LotMap($withTariffs: Boolean!) {
    occupancy {
      lotId name capacity occupied freeSpaces latitude longitude
      tariffs @include(if: $withTariffs) { id name vehicleClass }
    }
  }
`)

export const AgentsDocument = graphql(`
  query Agents($filter: AgentFilter, $first: Int!, $after: String) {
    agents(filter: $filter, first: $first, after: $after) {
      items { id name contactName phone isActive createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const AgentCreateDocument = graphql(`
  mutation AgentCreate($input: AgentCreateInput!) {
    agentCreate(input: $input) {
      __typename
      ... on AgentSuccess { agent { id name } }
      ... on TenancyError { code message field }
    }
  }
`)

export const CustomersDocument = graphql(`
  query Customers($filter: CustomerFilter, $first: Int!, $after: String) {
    customers(filter: $filter, first: $first, after: $after) {
      items { id name contactName phone isActive createdAt agent { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CustomerCreateDocument = graphql(`
  mutation CustomerCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      __typename
      ... on CustomerSuccess { customer { id name } }
      ... on TenancyError { code message field }
    }
  }
`)

export const LotsDocument = graphql(`
  query Lots($filter: LotFilter, $first: Int!, $after: String) {
    lots(filter: $filter, first: $first, after: $after) {
      items {
        id name code address region capacity occupied freeSpaces isActive timezone
        customer { id name }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const LotOptionsDocument = graphql(`
  query LotOptions {
    lots(first: 100) { items { id name } pageInfo { hasNextPage endCursor } }
  }
`)

export const LotDetailDocument = graphql(`
  query LotDetail($id: ID!) {
    lot(id: $id) {
      id name code capacity occupied freeSpaces address region latitude longitude isActive
      areas { id name capacity occupied freeSpaces isInner parent { id name } }
      lanes { id name direction mode isActive booth qrToken area { id name } }
    }
  }
`)

export const LotCreateDocument = graphql(`
  mutation LotCreate($input: LotCreateInput!) {
    lotCreate(input: $input) {
      __typename
      ... on LotSuccess { lot { id name code } }
      ... on TenancyError { code message field }
    }
  }
`)

export const AreaCreateDocument = graphql(`
  mutation AreaCreate($input: AreaCreateInput!) {
    areaCreate(input: $input) {
      __typename
      ... on AreaSuccess { area { id name } }
      ... on TenancyError { code message field }
    }
  }
`)

export const LaneCreateDocument = graphql(`
  mutation LaneCreate($input: LaneCreateInput!) {
    laneCreate(input: $input) {
      __typename
      ... on LaneSuccess { lane { id name direction qrToken } }
      ... on TenancyError { code message field }
    }
  }
`)

export const LaneRotateQrDocument = graphql(`
  mutation LaneRotateQr($id: ID!) {
    laneRotateQr(id: $id) {
      __typename
      ... on LaneSuccess { lane { id qrToken } }
      ... on TenancyError { code message field }
    }
  }
`)

export const LanesDocument = graphql(`
  query Lanes($filter: LaneFilter, $first: Int!, $after: String) {
    lanes(filter: $filter, first: $first, after: $after) {
      items { id name direction mode isActive booth qrToken lot { id name } area { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const DevicesDocument = graphql(`
  query Devices($filter: DeviceFilter, $first: Int!, $after: String) {
    devices(filter: $filter, first: $first, after: $after) {
      items { id lotId kind name model serial ip protocol status firmware lastSeenAt errorCount supportedCommands config lane { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const OwnersDocument = graphql(`
  query Owners($filter: OwnerFilter, $first: Int!, $after: String) {
    owners(filter: $filter, first: $first, after: $after) {
      items { id name phone address createdAt vehicles { id plate } wallet { id balanceFen } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const VehiclesDocument = graphql(`
  query Vehicles($filter: VehicleFilter, $first: Int!, $after: String) {
    vehicles(filter: $filter, first: $first, after: $after) {
      items { id plate plateColor vehicleClass note owner { id name } group { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const PassesDocument = graphql(`
  query Passes($filter: PassFilter, $first: Int!, $after: String) {
    passes(filter: $filter, first: $first, after: $after) {
      items {
        id startsAt endsAt status
        product { id name priceFen period }
        vehicle { id plate }
        group { id name }
        renewals { id at periods amountFen method newEndsAt }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const TariffVersionsDocument = graphql(`
  query TariffVersions($lotId: ID!) {
    tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId }
  }
`)

export const SimulateFeesDocument = graphql(`
  query SimulateFees($lotId: ID!, $vehicleClass: VehicleClass!, $durations: [Int!]) {
    simulateFees(lotId: $lotId, vehicleClass: $vehicleClass, durations: $durations) {
      minutes feeFen capped vehicleClass
    }
  }
`)

export const QuoteFeeDocument = graphql(`
  query QuoteFee($lotId: ID!, $vehicleClass: VehicleClass!, $entryAt: DateTime!, $exitAt: DateTime!) {
    quoteFee(lotId: $lotId, vehicleClass: $vehicleClass, entryAt: $entryAt, exitAt: $exitAt) {
      tariffName tariffVersion durationS amountFen paidFen dueFen
      lines { kind label amountFen units unitMinutes rateFen startAt endAt repeat }
    }
  }
`)

export const SessionsDocument = graphql(`
  query Sessions($filter: ParkingSessionFilter, $first: Int!, $after: String) {
    parkingSessions(filter: $filter, first: $first, after: $after) {
      items {
        id lotId plate plateColor vehicleClass category state entryAt exitAt
        feeDueFen paidFen discountFen releaseMethod releaseReason
        lot { id name } entryLane { id name } exitLane { id name }
        entryImageRef exitImageRef plateCropRef couponFen coupons { couponId kind label discountFen }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const LaneEventsDocument = graphql(`
  query LaneEvents($filter: LaneEventFilter, $first: Int!, $after: String) {
    laneEvents(filter: $filter, first: $first, after: $after) {
      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const GateCommandsDocument = graphql(`
  query GateCommands($filter: GateCommandFilter, $first: Int!, $after: String) {
    gateCommands(filter: $filter, first: $first, after: $after) {
      items { id lotId laneId kind status issuedAt completedAt operatorId reason result }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const AlarmsDocument = graphql(`
  query Alarms($filter: AlarmFilter, $first: Int!, $after: String) {
    alarms(filter: $filter, first: $first, after: $after) {
      items {
        id lotId laneId deviceId sessionId kind severity status raisedAt plate message
        acknowledgedAt resolvedAt resolution
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const OperatorsDocument = graphql(`
  query Operators($filter: OperatorFilter, $first: Int!, $after: String) {
    operators(filter: $filter, first: $first, after: $after) {
      items { id username displayName phone isActive scopeLevel lastLoginAt role { id name } lots { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const RolesDocument = graphql(`
  query Roles($first: Int!, $after: String) {
    roles(first: $first, after: $after) {
      items { id name description permissions scopeLevel }
      pageInfo { hasNextPage endCursor }
    }
    permissionCatalogue { menu permissions }
  }
`)

export const AuditDocument = graphql(`
  query Audit($filter: AuditFilter, $first: Int!, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      items { id at actorName action entity entityId lotId ip }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const ConsoleLanesDocument = graphql(`
  query ConsoleLanes($lotId: ID!) {
    lot(id: $lotId) {
      id name
      lanes { id name direction mode isActive devices { id kind status } }
    }
    laneEvents(filter: { lotId: $lotId }, first: 100) {
      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }
      pageInfo { hasNextPage endCursor }
    }
    alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {
      items { id lotId laneId sessionId kind severity status raisedAt plate message }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const LaneRemoteOpenDocument = graphql(`
  mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {
    laneRemoteOpen(laneId: $laneId, reason: $reason) {
      __typename
      ... on GateCommandSuccess { command { id laneId status reason } }
      ... on LaneError { code message field }
    }
  }
`)

export const SessionCorrectPlateDocument = graphql(`
  mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {
    sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {
      __typename
      ... on SessionSuccess { session { id plate } }
      ... on LaneError { code message field }
    }
  }
`)

export const ExitMatchSessionDocument = graphql(`
  mutation ExitMatchSession($eventId: ID!, $sessionId: ID!) {
    exitMatchSession(eventId: $eventId, sessionId: $sessionId) {
      __typename
      ... on SessionSuccess { session { id plate } }
      ... on LaneError { code message field }
    }
  }
`)

export const SessionWaiveFeeDocument = graphql(`
  mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {
    sessionWaiveFee(sessionId: $sessionId, reason: $reason) {
      __typename
      ... on SessionSuccess { session { id plate } }
      ... on LaneError { code message field }
    }
  }
`)

export const OpenStaysDocument = graphql(`
  query OpenStays($lotId: ID!) {
    parkingSessions(filter: { lotId: $lotId, inside: true }, first: 100) {
      items { id plate entryAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const ConsolePollDocument = graphql(`
  query ConsolePoll($lotId: ID!) {
    laneEvents(filter: { lotId: $lotId }, first: 100) {
      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }
      pageInfo { hasNextPage endCursor }
    }
    open: alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {
      items { id lotId laneId sessionId kind severity status raisedAt plate message }
      pageInfo { hasNextPage endCursor }
    }
    acknowledged: alarms(filter: { lotId: $lotId, status: ACKNOWLEDGED }, first: 100) {
      items { id lotId laneId sessionId kind severity status raisedAt plate message }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const LaneCodesDocument = graphql(`
  query LaneCodes($filter: ParkingCodeFilter, $first: Int!) {
    parkingCodes(filter: $filter, first: $first) {
      items { id kind laneId label url expiresAt }
    }
  }
`)

export const ParkingCodeCreateDocument = graphql(`
  mutation ParkingCodeCreate($input: ParkingCodeCreateInput!) {
    parkingCodeCreate(input: $input) {
      __typename
      ... on ParkingCodeSuccess { parkingCode { id kind laneId url } }
      ... on CodeError { code message field }
    }
  }
`)

export const ParkingCodeRotateDocument = graphql(`
  mutation ParkingCodeRotate($id: ID!) {
    parkingCodeRotate(id: $id) {
      __typename
      ... on ParkingCodeSuccess { parkingCode { id url } }
      ... on CodeError { code message field }
    }
  }
`)

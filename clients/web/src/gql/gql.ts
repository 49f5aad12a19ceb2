/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn operator { id displayName } }\n      ... on AccountError { code message field }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Me {\n    me { name permissions scopeLevel agentId customerId lotIds }\n  }\n": typeof types.MeDocument,
    "\n  query Overview($since: DateTime!) {\n    lots(first: 100) { items { id name capacity occupied freeSpaces } pageInfo { hasNextPage endCursor } }\n    alarms(filter: { status: OPEN }, first: 100) { items { id } pageInfo { hasNextPage endCursor } }\n    parkingSessions(filter: { entryFrom: $since }, first: 100) {\n      items { id entryAt exitAt paidFen }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query Agents($filter: AgentFilter, $first: Int!, $after: String) {\n    agents(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AgentsDocument,
    "\n  mutation AgentCreate($input: AgentCreateInput!) {\n    agentCreate(input: $input) {\n      __typename\n      ... on AgentSuccess { agent { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.AgentCreateDocument,
    "\n  query Customers($filter: CustomerFilter, $first: Int!, $after: String) {\n    customers(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt agent { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.CustomersDocument,
    "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      __typename\n      ... on CustomerSuccess { customer { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.CustomerCreateDocument,
    "\n  query Lots($filter: LotFilter, $first: Int!, $after: String) {\n    lots(filter: $filter, first: $first, after: $after) {\n      items {\n        id name code address capacity occupied freeSpaces isActive timezone\n        customer { id name }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.LotsDocument,
    "\n  query LotOptions {\n    lots(first: 100) { items { id name } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.LotOptionsDocument,
    "\n  query LotDetail($id: ID!) {\n    lot(id: $id) {\n      id name code capacity occupied freeSpaces\n      areas { id name capacity occupied freeSpaces isInner parent { id name } }\n      lanes { id name direction mode isActive qrToken area { id name } }\n    }\n  }\n": typeof types.LotDetailDocument,
    "\n  mutation LotCreate($input: LotCreateInput!) {\n    lotCreate(input: $input) {\n      __typename\n      ... on LotSuccess { lot { id name code } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.LotCreateDocument,
    "\n  mutation AreaCreate($input: AreaCreateInput!) {\n    areaCreate(input: $input) {\n      __typename\n      ... on AreaSuccess { area { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.AreaCreateDocument,
    "\n  mutation LaneCreate($input: LaneCreateInput!) {\n    laneCreate(input: $input) {\n      __typename\n      ... on LaneSuccess { lane { id name direction qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.LaneCreateDocument,
    "\n  mutation LaneRotateQr($id: ID!) {\n    laneRotateQr(id: $id) {\n      __typename\n      ... on LaneSuccess { lane { id qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n": typeof types.LaneRotateQrDocument,
    "\n  query Lanes($filter: LaneFilter, $first: Int!, $after: String) {\n    lanes(filter: $filter, first: $first, after: $after) {\n      items { id name direction mode isActive qrToken lot { id name } area { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.LanesDocument,
    "\n  query Devices($filter: DeviceFilter, $first: Int!, $after: String) {\n    devices(filter: $filter, first: $first, after: $after) {\n      items { id kind name model serial ip protocol status firmware lastSeenAt errorCount lane { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.DevicesDocument,
    "\n  query Owners($filter: OwnerFilter, $first: Int!, $after: String) {\n    owners(filter: $filter, first: $first, after: $after) {\n      items { id name phone address createdAt vehicles { id plate } wallet { id balanceFen } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OwnersDocument,
    "\n  query Vehicles($filter: VehicleFilter, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items { id plate plateColor vehicleClass note owner { id name } group { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.VehiclesDocument,
    "\n  query Passes($filter: PassFilter, $first: Int!, $after: String) {\n    passes(filter: $filter, first: $first, after: $after) {\n      items {\n        id startsAt endsAt status\n        product { id name priceFen period }\n        vehicle { id plate }\n        group { id name }\n        renewals { id at periods amountFen method newEndsAt }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.PassesDocument,
    "\n  query TariffVersions($lotId: ID!) {\n    tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId }\n  }\n": typeof types.TariffVersionsDocument,
    "\n  query SimulateFees($lotId: ID!, $vehicleClass: VehicleClass!, $durations: [Int!]) {\n    simulateFees(lotId: $lotId, vehicleClass: $vehicleClass, durations: $durations) {\n      minutes feeFen capped vehicleClass\n    }\n  }\n": typeof types.SimulateFeesDocument,
    "\n  query QuoteFee($lotId: ID!, $vehicleClass: VehicleClass!, $entryAt: DateTime!, $exitAt: DateTime!) {\n    quoteFee(lotId: $lotId, vehicleClass: $vehicleClass, entryAt: $entryAt, exitAt: $exitAt) {\n      tariffName tariffVersion durationS amountFen paidFen dueFen\n      lines { kind label amountFen units unitMinutes rateFen }\n    }\n  }\n": typeof types.QuoteFeeDocument,
    "\n  query Sessions($filter: ParkingSessionFilter, $first: Int!, $after: String) {\n    parkingSessions(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId plate plateColor vehicleClass category state entryAt exitAt\n        feeDueFen paidFen discountFen releaseMethod releaseReason\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  query LaneEvents($filter: LaneEventFilter, $first: Int!, $after: String) {\n    laneEvents(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.LaneEventsDocument,
    "\n  query GateCommands($filter: GateCommandFilter, $first: Int!, $after: String) {\n    gateCommands(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId kind status issuedAt completedAt operatorId reason result }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.GateCommandsDocument,
    "\n  query Alarms($filter: AlarmFilter, $first: Int!, $after: String) {\n    alarms(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId laneId deviceId sessionId kind severity status raisedAt plate message\n        acknowledgedAt resolvedAt resolution\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AlarmsDocument,
    "\n  query Operators($filter: OperatorFilter, $first: Int!, $after: String) {\n    operators(filter: $filter, first: $first, after: $after) {\n      items { id username displayName phone isActive scopeLevel lastLoginAt role { id name } lots { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OperatorsDocument,
    "\n  query Roles($first: Int!, $after: String) {\n    roles(first: $first, after: $after) {\n      items { id name description permissions scopeLevel }\n      pageInfo { hasNextPage endCursor }\n    }\n    permissionCatalogue { menu permissions }\n  }\n": typeof types.RolesDocument,
    "\n  query Audit($filter: AuditFilter, $first: Int!, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      items { id at actorName action entity entityId lotId ip }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AuditDocument,
    "\n  query ConsoleLanes($lotId: ID!) {\n    lot(id: $lotId) {\n      id name\n      lanes { id name direction mode isActive devices { id kind status } }\n    }\n    laneEvents(filter: { lotId: $lotId }, first: 100) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n    alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {\n      items { id lotId laneId sessionId kind severity status raisedAt plate message }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.ConsoleLanesDocument,
    "\n  mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id laneId status reason } }\n      ... on LaneError { code message field }\n    }\n  }\n": typeof types.LaneRemoteOpenDocument,
    "\n  mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {\n    sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": typeof types.SessionCorrectPlateDocument,
    "\n  mutation ExitMatchSession($eventId: ID!, $sessionId: ID!) {\n    exitMatchSession(eventId: $eventId, sessionId: $sessionId) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": typeof types.ExitMatchSessionDocument,
    "\n  mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {\n    sessionWaiveFee(sessionId: $sessionId, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": typeof types.SessionWaiveFeeDocument,
    "\n  query OpenStays($lotId: ID!) {\n    parkingSessions(filter: { lotId: $lotId, inside: true }, first: 100) {\n      items { id plate entryAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OpenStaysDocument,
};
const documents: Documents = {
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn operator { id displayName } }\n      ... on AccountError { code message field }\n    }\n  }\n": types.LoginDocument,
    "\n  query Me {\n    me { name permissions scopeLevel agentId customerId lotIds }\n  }\n": types.MeDocument,
    "\n  query Overview($since: DateTime!) {\n    lots(first: 100) { items { id name capacity occupied freeSpaces } pageInfo { hasNextPage endCursor } }\n    alarms(filter: { status: OPEN }, first: 100) { items { id } pageInfo { hasNextPage endCursor } }\n    parkingSessions(filter: { entryFrom: $since }, first: 100) {\n      items { id entryAt exitAt paidFen }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OverviewDocument,
    "\n  query Agents($filter: AgentFilter, $first: Int!, $after: String) {\n    agents(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AgentsDocument,
    "\n  mutation AgentCreate($input: AgentCreateInput!) {\n    agentCreate(input: $input) {\n      __typename\n      ... on AgentSuccess { agent { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.AgentCreateDocument,
    "\n  query Customers($filter: CustomerFilter, $first: Int!, $after: String) {\n    customers(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt agent { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.CustomersDocument,
    "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      __typename\n      ... on CustomerSuccess { customer { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.CustomerCreateDocument,
    "\n  query Lots($filter: LotFilter, $first: Int!, $after: String) {\n    lots(filter: $filter, first: $first, after: $after) {\n      items {\n        id name code address capacity occupied freeSpaces isActive timezone\n        customer { id name }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.LotsDocument,
    "\n  query LotOptions {\n    lots(first: 100) { items { id name } pageInfo { hasNextPage endCursor } }\n  }\n": types.LotOptionsDocument,
    "\n  query LotDetail($id: ID!) {\n    lot(id: $id) {\n      id name code capacity occupied freeSpaces\n      areas { id name capacity occupied freeSpaces isInner parent { id name } }\n      lanes { id name direction mode isActive qrToken area { id name } }\n    }\n  }\n": types.LotDetailDocument,
    "\n  mutation LotCreate($input: LotCreateInput!) {\n    lotCreate(input: $input) {\n      __typename\n      ... on LotSuccess { lot { id name code } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.LotCreateDocument,
    "\n  mutation AreaCreate($input: AreaCreateInput!) {\n    areaCreate(input: $input) {\n      __typename\n      ... on AreaSuccess { area { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.AreaCreateDocument,
    "\n  mutation LaneCreate($input: LaneCreateInput!) {\n    laneCreate(input: $input) {\n      __typename\n      ... on LaneSuccess { lane { id name direction qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.LaneCreateDocument,
    "\n  mutation LaneRotateQr($id: ID!) {\n    laneRotateQr(id: $id) {\n      __typename\n      ... on LaneSuccess { lane { id qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n": types.LaneRotateQrDocument,
    "\n  query Lanes($filter: LaneFilter, $first: Int!, $after: String) {\n    lanes(filter: $filter, first: $first, after: $after) {\n      items { id name direction mode isActive qrToken lot { id name } area { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.LanesDocument,
    "\n  query Devices($filter: DeviceFilter, $first: Int!, $after: String) {\n    devices(filter: $filter, first: $first, after: $after) {\n      items { id kind name model serial ip protocol status firmware lastSeenAt errorCount lane { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.DevicesDocument,
    "\n  query Owners($filter: OwnerFilter, $first: Int!, $after: String) {\n    owners(filter: $filter, first: $first, after: $after) {\n      items { id name phone address createdAt vehicles { id plate } wallet { id balanceFen } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OwnersDocument,
    "\n  query Vehicles($filter: VehicleFilter, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items { id plate plateColor vehicleClass note owner { id name } group { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.VehiclesDocument,
    "\n  query Passes($filter: PassFilter, $first: Int!, $after: String) {\n    passes(filter: $filter, first: $first, after: $after) {\n      items {\n        id startsAt endsAt status\n        product { id name priceFen period }\n        vehicle { id plate }\n        group { id name }\n        renewals { id at periods amountFen method newEndsAt }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.PassesDocument,
    "\n  query TariffVersions($lotId: ID!) {\n    tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId }\n  }\n": types.TariffVersionsDocument,
    "\n  query SimulateFees($lotId: ID!, $vehicleClass: VehicleClass!, $durations: [Int!]) {\n    simulateFees(lotId: $lotId, vehicleClass: $vehicleClass, durations: $durations) {\n      minutes feeFen capped vehicleClass\n    }\n  }\n": types.SimulateFeesDocument,
    "\n  query QuoteFee($lotId: ID!, $vehicleClass: VehicleClass!, $entryAt: DateTime!, $exitAt: DateTime!) {\n    quoteFee(lotId: $lotId, vehicleClass: $vehicleClass, entryAt: $entryAt, exitAt: $exitAt) {\n      tariffName tariffVersion durationS amountFen paidFen dueFen\n      lines { kind label amountFen units unitMinutes rateFen }\n    }\n  }\n": types.QuoteFeeDocument,
    "\n  query Sessions($filter: ParkingSessionFilter, $first: Int!, $after: String) {\n    parkingSessions(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId plate plateColor vehicleClass category state entryAt exitAt\n        feeDueFen paidFen discountFen releaseMethod releaseReason\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SessionsDocument,
    "\n  query LaneEvents($filter: LaneEventFilter, $first: Int!, $after: String) {\n    laneEvents(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.LaneEventsDocument,
    "\n  query GateCommands($filter: GateCommandFilter, $first: Int!, $after: String) {\n    gateCommands(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId kind status issuedAt completedAt operatorId reason result }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.GateCommandsDocument,
    "\n  query Alarms($filter: AlarmFilter, $first: Int!, $after: String) {\n    alarms(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId laneId deviceId sessionId kind severity status raisedAt plate message\n        acknowledgedAt resolvedAt resolution\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AlarmsDocument,
    "\n  query Operators($filter: OperatorFilter, $first: Int!, $after: String) {\n    operators(filter: $filter, first: $first, after: $after) {\n      items { id username displayName phone isActive scopeLevel lastLoginAt role { id name } lots { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OperatorsDocument,
    "\n  query Roles($first: Int!, $after: String) {\n    roles(first: $first, after: $after) {\n      items { id name description permissions scopeLevel }\n      pageInfo { hasNextPage endCursor }\n    }\n    permissionCatalogue { menu permissions }\n  }\n": types.RolesDocument,
    "\n  query Audit($filter: AuditFilter, $first: Int!, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      items { id at actorName action entity entityId lotId ip }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AuditDocument,
    "\n  query ConsoleLanes($lotId: ID!) {\n    lot(id: $lotId) {\n      id name\n      lanes { id name direction mode isActive devices { id kind status } }\n    }\n    laneEvents(filter: { lotId: $lotId }, first: 100) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n    alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {\n      items { id lotId laneId sessionId kind severity status raisedAt plate message }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.ConsoleLanesDocument,
    "\n  mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id laneId status reason } }\n      ... on LaneError { code message field }\n    }\n  }\n": types.LaneRemoteOpenDocument,
    "\n  mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {\n    sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": types.SessionCorrectPlateDocument,
    "\n  mutation ExitMatchSession($eventId: ID!, $sessionId: ID!) {\n    exitMatchSession(eventId: $eventId, sessionId: $sessionId) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": types.ExitMatchSessionDocument,
    "\n  mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {\n    sessionWaiveFee(sessionId: $sessionId, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n": types.SessionWaiveFeeDocument,
    "\n  query OpenStays($lotId: ID!) {\n    parkingSessions(filter: { lotId: $lotId, inside: true }, first: 100) {\n      items { id plate entryAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OpenStaysDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn operator { id displayName } }\n      ... on AccountError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn operator { id displayName } }\n      ... on AccountError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { name permissions scopeLevel agentId customerId lotIds }\n  }\n"): (typeof documents)["\n  query Me {\n    me { name permissions scopeLevel agentId customerId lotIds }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($since: DateTime!) {\n    lots(first: 100) { items { id name capacity occupied freeSpaces } pageInfo { hasNextPage endCursor } }\n    alarms(filter: { status: OPEN }, first: 100) { items { id } pageInfo { hasNextPage endCursor } }\n    parkingSessions(filter: { entryFrom: $since }, first: 100) {\n      items { id entryAt exitAt paidFen }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Overview($since: DateTime!) {\n    lots(first: 100) { items { id name capacity occupied freeSpaces } pageInfo { hasNextPage endCursor } }\n    alarms(filter: { status: OPEN }, first: 100) { items { id } pageInfo { hasNextPage endCursor } }\n    parkingSessions(filter: { entryFrom: $since }, first: 100) {\n      items { id entryAt exitAt paidFen }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Agents($filter: AgentFilter, $first: Int!, $after: String) {\n    agents(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Agents($filter: AgentFilter, $first: Int!, $after: String) {\n    agents(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AgentCreate($input: AgentCreateInput!) {\n    agentCreate(input: $input) {\n      __typename\n      ... on AgentSuccess { agent { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation AgentCreate($input: AgentCreateInput!) {\n    agentCreate(input: $input) {\n      __typename\n      ... on AgentSuccess { agent { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Customers($filter: CustomerFilter, $first: Int!, $after: String) {\n    customers(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt agent { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Customers($filter: CustomerFilter, $first: Int!, $after: String) {\n    customers(filter: $filter, first: $first, after: $after) {\n      items { id name contactName phone isActive createdAt agent { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      __typename\n      ... on CustomerSuccess { customer { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      __typename\n      ... on CustomerSuccess { customer { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lots($filter: LotFilter, $first: Int!, $after: String) {\n    lots(filter: $filter, first: $first, after: $after) {\n      items {\n        id name code address capacity occupied freeSpaces isActive timezone\n        customer { id name }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Lots($filter: LotFilter, $first: Int!, $after: String) {\n    lots(filter: $filter, first: $first, after: $after) {\n      items {\n        id name code address capacity occupied freeSpaces isActive timezone\n        customer { id name }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LotOptions {\n    lots(first: 100) { items { id name } pageInfo { hasNextPage endCursor } }\n  }\n"): (typeof documents)["\n  query LotOptions {\n    lots(first: 100) { items { id name } pageInfo { hasNextPage endCursor } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LotDetail($id: ID!) {\n    lot(id: $id) {\n      id name code capacity occupied freeSpaces\n      areas { id name capacity occupied freeSpaces isInner parent { id name } }\n      lanes { id name direction mode isActive qrToken area { id name } }\n    }\n  }\n"): (typeof documents)["\n  query LotDetail($id: ID!) {\n    lot(id: $id) {\n      id name code capacity occupied freeSpaces\n      areas { id name capacity occupied freeSpaces isInner parent { id name } }\n      lanes { id name direction mode isActive qrToken area { id name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LotCreate($input: LotCreateInput!) {\n    lotCreate(input: $input) {\n      __typename\n      ... on LotSuccess { lot { id name code } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation LotCreate($input: LotCreateInput!) {\n    lotCreate(input: $input) {\n      __typename\n      ... on LotSuccess { lot { id name code } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AreaCreate($input: AreaCreateInput!) {\n    areaCreate(input: $input) {\n      __typename\n      ... on AreaSuccess { area { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation AreaCreate($input: AreaCreateInput!) {\n    areaCreate(input: $input) {\n      __typename\n      ... on AreaSuccess { area { id name } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaneCreate($input: LaneCreateInput!) {\n    laneCreate(input: $input) {\n      __typename\n      ... on LaneSuccess { lane { id name direction qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation LaneCreate($input: LaneCreateInput!) {\n    laneCreate(input: $input) {\n      __typename\n      ... on LaneSuccess { lane { id name direction qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaneRotateQr($id: ID!) {\n    laneRotateQr(id: $id) {\n      __typename\n      ... on LaneSuccess { lane { id qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation LaneRotateQr($id: ID!) {\n    laneRotateQr(id: $id) {\n      __typename\n      ... on LaneSuccess { lane { id qrToken } }\n      ... on TenancyError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Lanes($filter: LaneFilter, $first: Int!, $after: String) {\n    lanes(filter: $filter, first: $first, after: $after) {\n      items { id name direction mode isActive qrToken lot { id name } area { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Lanes($filter: LaneFilter, $first: Int!, $after: String) {\n    lanes(filter: $filter, first: $first, after: $after) {\n      items { id name direction mode isActive qrToken lot { id name } area { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Devices($filter: DeviceFilter, $first: Int!, $after: String) {\n    devices(filter: $filter, first: $first, after: $after) {\n      items { id kind name model serial ip protocol status firmware lastSeenAt errorCount lane { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Devices($filter: DeviceFilter, $first: Int!, $after: String) {\n    devices(filter: $filter, first: $first, after: $after) {\n      items { id kind name model serial ip protocol status firmware lastSeenAt errorCount lane { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Owners($filter: OwnerFilter, $first: Int!, $after: String) {\n    owners(filter: $filter, first: $first, after: $after) {\n      items { id name phone address createdAt vehicles { id plate } wallet { id balanceFen } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Owners($filter: OwnerFilter, $first: Int!, $after: String) {\n    owners(filter: $filter, first: $first, after: $after) {\n      items { id name phone address createdAt vehicles { id plate } wallet { id balanceFen } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Vehicles($filter: VehicleFilter, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items { id plate plateColor vehicleClass note owner { id name } group { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Vehicles($filter: VehicleFilter, $first: Int!, $after: String) {\n    vehicles(filter: $filter, first: $first, after: $after) {\n      items { id plate plateColor vehicleClass note owner { id name } group { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Passes($filter: PassFilter, $first: Int!, $after: String) {\n    passes(filter: $filter, first: $first, after: $after) {\n      items {\n        id startsAt endsAt status\n        product { id name priceFen period }\n        vehicle { id plate }\n        group { id name }\n        renewals { id at periods amountFen method newEndsAt }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Passes($filter: PassFilter, $first: Int!, $after: String) {\n    passes(filter: $filter, first: $first, after: $after) {\n      items {\n        id startsAt endsAt status\n        product { id name priceFen period }\n        vehicle { id plate }\n        group { id name }\n        renewals { id at periods amountFen method newEndsAt }\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TariffVersions($lotId: ID!) {\n    tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId }\n  }\n"): (typeof documents)["\n  query TariffVersions($lotId: ID!) {\n    tariffVersions(lotId: $lotId) { id name version vehicleClass effectiveFrom areaId }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SimulateFees($lotId: ID!, $vehicleClass: VehicleClass!, $durations: [Int!]) {\n    simulateFees(lotId: $lotId, vehicleClass: $vehicleClass, durations: $durations) {\n      minutes feeFen capped vehicleClass\n    }\n  }\n"): (typeof documents)["\n  query SimulateFees($lotId: ID!, $vehicleClass: VehicleClass!, $durations: [Int!]) {\n    simulateFees(lotId: $lotId, vehicleClass: $vehicleClass, durations: $durations) {\n      minutes feeFen capped vehicleClass\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuoteFee($lotId: ID!, $vehicleClass: VehicleClass!, $entryAt: DateTime!, $exitAt: DateTime!) {\n    quoteFee(lotId: $lotId, vehicleClass: $vehicleClass, entryAt: $entryAt, exitAt: $exitAt) {\n      tariffName tariffVersion durationS amountFen paidFen dueFen\n      lines { kind label amountFen units unitMinutes rateFen }\n    }\n  }\n"): (typeof documents)["\n  query QuoteFee($lotId: ID!, $vehicleClass: VehicleClass!, $entryAt: DateTime!, $exitAt: DateTime!) {\n    quoteFee(lotId: $lotId, vehicleClass: $vehicleClass, entryAt: $entryAt, exitAt: $exitAt) {\n      tariffName tariffVersion durationS amountFen paidFen dueFen\n      lines { kind label amountFen units unitMinutes rateFen }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions($filter: ParkingSessionFilter, $first: Int!, $after: String) {\n    parkingSessions(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId plate plateColor vehicleClass category state entryAt exitAt\n        feeDueFen paidFen discountFen releaseMethod releaseReason\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Sessions($filter: ParkingSessionFilter, $first: Int!, $after: String) {\n    parkingSessions(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId plate plateColor vehicleClass category state entryAt exitAt\n        feeDueFen paidFen discountFen releaseMethod releaseReason\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LaneEvents($filter: LaneEventFilter, $first: Int!, $after: String) {\n    laneEvents(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query LaneEvents($filter: LaneEventFilter, $first: Int!, $after: String) {\n    laneEvents(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GateCommands($filter: GateCommandFilter, $first: Int!, $after: String) {\n    gateCommands(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId kind status issuedAt completedAt operatorId reason result }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query GateCommands($filter: GateCommandFilter, $first: Int!, $after: String) {\n    gateCommands(filter: $filter, first: $first, after: $after) {\n      items { id lotId laneId kind status issuedAt completedAt operatorId reason result }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alarms($filter: AlarmFilter, $first: Int!, $after: String) {\n    alarms(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId laneId deviceId sessionId kind severity status raisedAt plate message\n        acknowledgedAt resolvedAt resolution\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Alarms($filter: AlarmFilter, $first: Int!, $after: String) {\n    alarms(filter: $filter, first: $first, after: $after) {\n      items {\n        id lotId laneId deviceId sessionId kind severity status raisedAt plate message\n        acknowledgedAt resolvedAt resolution\n      }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Operators($filter: OperatorFilter, $first: Int!, $after: String) {\n    operators(filter: $filter, first: $first, after: $after) {\n      items { id username displayName phone isActive scopeLevel lastLoginAt role { id name } lots { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Operators($filter: OperatorFilter, $first: Int!, $after: String) {\n    operators(filter: $filter, first: $first, after: $after) {\n      items { id username displayName phone isActive scopeLevel lastLoginAt role { id name } lots { id name } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Roles($first: Int!, $after: String) {\n    roles(first: $first, after: $after) {\n      items { id name description permissions scopeLevel }\n      pageInfo { hasNextPage endCursor }\n    }\n    permissionCatalogue { menu permissions }\n  }\n"): (typeof documents)["\n  query Roles($first: Int!, $after: String) {\n    roles(first: $first, after: $after) {\n      items { id name description permissions scopeLevel }\n      pageInfo { hasNextPage endCursor }\n    }\n    permissionCatalogue { menu permissions }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Audit($filter: AuditFilter, $first: Int!, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      items { id at actorName action entity entityId lotId ip }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Audit($filter: AuditFilter, $first: Int!, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      items { id at actorName action entity entityId lotId ip }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleLanes($lotId: ID!) {\n    lot(id: $lotId) {\n      id name\n      lanes { id name direction mode isActive devices { id kind status } }\n    }\n    laneEvents(filter: { lotId: $lotId }, first: 100) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n    alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {\n      items { id lotId laneId sessionId kind severity status raisedAt plate message }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleLanes($lotId: ID!) {\n    lot(id: $lotId) {\n      id name\n      lanes { id name direction mode isActive devices { id kind status } }\n    }\n    laneEvents(filter: { lotId: $lotId }, first: 100) {\n      items { id lotId laneId sessionId kind at plate plateColor confidence source imageRef opened decisionReason }\n      pageInfo { hasNextPage endCursor }\n    }\n    alarms(filter: { lotId: $lotId, status: OPEN }, first: 100) {\n      items { id lotId laneId sessionId kind severity status raisedAt plate message }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id laneId status reason } }\n      ... on LaneError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation LaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id laneId status reason } }\n      ... on LaneError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {\n    sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SessionCorrectPlate($sessionId: ID!, $plate: String!, $reason: String!) {\n    sessionCorrectPlate(sessionId: $sessionId, plate: $plate, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExitMatchSession($eventId: ID!, $sessionId: ID!) {\n    exitMatchSession(eventId: $eventId, sessionId: $sessionId) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation ExitMatchSession($eventId: ID!, $sessionId: ID!) {\n    exitMatchSession(eventId: $eventId, sessionId: $sessionId) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {\n    sessionWaiveFee(sessionId: $sessionId, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"): (typeof documents)["\n  mutation SessionWaiveFee($sessionId: ID!, $reason: String!) {\n    sessionWaiveFee(sessionId: $sessionId, reason: $reason) {\n      __typename\n      ... on SessionSuccess { session { id plate } }\n      ... on LaneError { code message field }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenStays($lotId: ID!) {\n    parkingSessions(filter: { lotId: $lotId, inside: true }, first: 100) {\n      items { id plate entryAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query OpenStays($lotId: ID!) {\n    parkingSessions(filter: { lotId: $lotId, inside: true }, first: 100) {\n      items { id plate entryAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
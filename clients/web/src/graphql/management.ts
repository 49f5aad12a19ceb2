// Operations of the daily management jobs (owners, vehicles, passes, operators, roles, devices, tenants, lanes, the
// booth); typed by graphql-codegen like operations.ts. Each mutation answers `XSuccess | XError` (see result.ts).
import { graphql } from '../gql'

export const OwnerCreateDocument = graphql(`
  mutation OwnerCreate($input: OwnerCreateInput!) {
    ownerCreate(input: $input) { __typename ... on OwnerSuccess { owner { id name } } ... on VehicleError { code message field } }
  }
`)
export const OwnerUpdateDocument = graphql(`
  mutation OwnerUpdate($id: ID!, $input: OwnerUpdateInput!) {
    ownerUpdate(id: $id, input: $input) { __typename ... on OwnerSuccess { owner { id name } } ... on VehicleError { code message field } }
  }
`)
export const OwnerDeleteDocument = graphql(`
  mutation OwnerDelete($id: ID!) {
    ownerDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on VehicleError { code message field } }
  }
`)
export const VehicleCreateDocument = graphql(`
  mutation VehicleCreate($input: VehicleCreateInput!) {
    vehicleCreate(input: $input) { __typename ... on VehicleSuccess { vehicle { id plate } } ... on VehicleError { code message field } }
  }
`)
export const VehicleUpdateDocument = graphql(`
  mutation VehicleUpdate($id: ID!, $input: VehicleUpdateInput!) {
    vehicleUpdate(id: $id, input: $input) { __typename ... on VehicleSuccess { vehicle { id plate } } ... on VehicleError { code message field } }
  }
`)
export const VehicleDeleteDocument = graphql(`
  mutation VehicleDelete($id: ID!) {
    vehicleDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on VehicleError { code message field } }
  }
`)
export const PassCreateDocument = graphql(`
  mutation PassCreate($input: PassCreateInput!) {
    passCreate(input: $input) { __typename ... on PassSuccess { pass { id status endsAt } } ... on VehicleError { code message field } }
  }
`)
export const PassUpdateDocument = graphql(`
  mutation PassUpdate($id: ID!, $input: PassUpdateInput!) {
    passUpdate(id: $id, input: $input) { __typename ... on PassSuccess { pass { id status } } ... on VehicleError { code message field } }
  }
`)
export const PassRenewDocument = graphql(`
  mutation PassRenew($id: ID!, $periods: Int!, $method: String!) {
    passRenew(id: $id, periods: $periods, method: $method) {
      __typename ... on PassSuccess { pass { id endsAt } } ... on VehicleError { code message field }
    }
  }
`)
export const OperatorCreateDocument = graphql(`
  mutation OperatorCreate($input: OperatorCreateInput!) {
    operatorCreate(input: $input) { __typename ... on OperatorSuccess { operator { id username } } ... on AccountError { code message field } }
  }
`)
export const OperatorUpdateDocument = graphql(`
  mutation OperatorUpdate($id: ID!, $input: OperatorUpdateInput!) {
    operatorUpdate(id: $id, input: $input) { __typename ... on OperatorSuccess { operator { id username } } ... on AccountError { code message field } }
  }
`)
export const OperatorDeleteDocument = graphql(`
  mutation OperatorDelete($id: ID!) {
    operatorDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on AccountError { code message field } }
  }
`)
export const RoleCreateDocument = graphql(`
  mutation RoleCreate($input: RoleCreateInput!) {
    roleCreate(input: $input) { __typename ... on RoleSuccess { role { id name } } ... on AccountError { code message field } }
  }
`)
export const RoleUpdateDocument = graphql(`
  mutation RoleUpdate($id: ID!, $input: RoleUpdateInput!) {
    roleUpdate(id: $id, input: $input) { __typename ... on RoleSuccess { role { id name } } ... on AccountError { code message field } }
  }
`)
export const RoleDeleteDocument = graphql(`
  mutation RoleDelete($id: ID!) {
    roleDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on AccountError { code message field } }
  }
`)
export const DeviceConfigSchemaDocument = graphql(`
  query DeviceConfigSchema { deviceConfigSchema }
`)
export const DeviceRegisterDocument = graphql(`
  mutation DeviceRegister($input: DeviceRegisterInput!) {
    deviceRegister(input: $input) {
      __typename ... on DeviceSecretSuccess { secret device { id name status serial } } ... on DeviceError { code message field }
    }
  }
`)
export const DeviceUpdateDocument = graphql(`
  mutation DeviceUpdate($id: ID!, $input: DeviceUpdateInput!) {
    deviceUpdate(id: $id, input: $input) { __typename ... on DeviceSuccess { device { id name } } ... on DeviceError { code message field } }
  }
`)
export const DeviceDeleteDocument = graphql(`
  mutation DeviceDelete($id: ID!) {
    deviceDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on DeviceError { code message field } }
  }
`)
export const AgentUpdateDocument = graphql(`
  mutation AgentUpdate($id: ID!, $input: AgentUpdateInput!) {
    agentUpdate(id: $id, input: $input) { __typename ... on AgentSuccess { agent { id name } } ... on TenancyError { code message field } }
  }
`)
export const CustomerUpdateDocument = graphql(`
  mutation CustomerUpdate($id: ID!, $input: CustomerUpdateInput!) {
    customerUpdate(id: $id, input: $input) {
      __typename ... on CustomerSuccess { customer { id name } } ... on TenancyError { code message field }
    }
  }
`)
export const LaneUpdateDocument = graphql(`
  mutation LaneUpdate($id: ID!, $input: LaneUpdateInput!) {
    laneUpdate(id: $id, input: $input) { __typename ... on LaneSuccess { lane { id name } } ... on TenancyError { code message field } }
  }
`)
export const LaneDeleteDocument = graphql(`
  mutation LaneDelete($id: ID!) {
    laneDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on TenancyError { code message field } }
  }
`)
export const LotUpdateDocument = graphql(`
  mutation LotUpdate($id: ID!, $input: LotUpdateInput!) {
    lotUpdate(id: $id, input: $input) { __typename ... on LotSuccess { lot { id name latitude longitude } } ... on TenancyError { code message field } }
  }
`)
export const LotDeleteDocument = graphql(`
  mutation LotDelete($id: ID!) {
    lotDelete(id: $id) { __typename ... on DeleteSuccess { id } ... on TenancyError { code message field } }
  }
`)
export const AreaUpdateDocument = graphql(`
  mutation AreaUpdate($id: ID!, $input: AreaUpdateInput!) {
    areaUpdate(id: $id, input: $input) { __typename ... on AreaSuccess { area { id name } } ... on TenancyError { code message field } }
  }
`)
export const PaymentRecordCashDocument = graphql(`
  mutation PaymentRecordCash($sessionId: ID!, $amountFen: Fen!) {
    paymentRecordCash(sessionId: $sessionId, amountFen: $amountFen) {
      __typename
      ... on PaymentCashSuccess { gateOpened order { id outTradeNo channel amountFen paidAt } }
      ... on PaymentError { code message field }
    }
  }
`)
export const PaymentPayFromWalletDocument = graphql(`
  mutation PaymentPayFromWallet($requestKey: String!, $sessionId: ID) {
    paymentPayFromWallet(requestKey: $requestKey, sessionId: $sessionId) {
      __typename
      ... on PaymentWalletSuccess { gateOpened balanceFen reused order { id outTradeNo channel amountFen paidAt } }
      ... on PaymentError { code message field }
    }
  }
`)
export const SessionOwedDocument = graphql(`
  query SessionOwed($sessionId: ID!) {
    sessionOwed(sessionId: $sessionId)
  }
`)
export const VipCodesCreateDocument = graphql(`
  mutation VipCodesCreate($input: VipCodesCreateInput!) {
    vipCodesCreate(input: $input) {
      __typename ... on ParkingCodesSuccess { parkingCodes { id } } ... on CodeError { code message field }
    }
  }
`)

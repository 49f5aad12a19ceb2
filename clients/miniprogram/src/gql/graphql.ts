/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Why an accounts mutation was refused: the codes its use-cases can answer with. */
export type AccountErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'INACTIVE'
  | 'INVALID'
  | 'INVALID_CREDENTIALS'
  | 'IN_USE'
  | 'LOCKED'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED';

/** Why a parking code mutation was refused: the codes its use-cases can answer with. */
export type CodeErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'EXPIRED'
  | 'INACTIVE'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED'
  | 'USED';

/** The kinds of parking code (停车码). */
export type CodeKind =
  | 'CONFERENCE'
  | 'EXIT'
  | 'IN_LOT'
  | 'MERCHANT'
  | 'NO_PLATE'
  | 'VIP';

export type CouponIssueInput = {
  merchantId: string | number;
  plate: string;
  templateId: string | number;
};

export type CouponPackBuyInput = {
  channel: PaymentChannel;
  merchantId: string | number;
  openid?: string | null | undefined;
  quantity: number;
  templateId: string | number;
};

/** Why a driver's mutation was refused: the codes its use-cases can answer with. */
export type DriverErrorCode =
  | 'DUPLICATE'
  | 'INVALID'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_PLATE'
  | 'NOT_FOUND'
  | 'NOT_PROVEN'
  | 'PLATE_BOUND_ELSEWHERE'
  | 'PLATE_LIMIT'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED';

export type EventKind =
  | 'ENTRY'
  | 'EXIT'
  | 'INNER_ENTRY'
  | 'INNER_EXIT';

export type ExemptKind =
  | 'AMBULANCE'
  | 'DISABLED'
  | 'DISASTER_RELIEF'
  | 'EMERGENCY'
  | 'EXEMPT'
  | 'FIRE'
  | 'FUNERAL'
  | 'MILITARY'
  | 'MONTHLY'
  | 'MUNICIPAL_REPAIR'
  | 'POLICE'
  | 'SANITATION'
  | 'SCHOOL_BUS';

/** Why a fault ticket mutation was refused: the codes its use-cases can answer with. */
export type FaultErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'INVALID'
  | 'NOT_FOUND';

export type FaultTicketCreateInput = {
  alarmId?: string | number | null | undefined;
  description?: string;
  deviceId?: string | number | null | undefined;
  lotId: string | number;
  title: string;
};

export type GateCommandStatus =
  | 'DONE'
  | 'EXPIRED'
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

/** 个人 or 单位 (with a tax number). */
export type InvoiceBuyerKind =
  | 'COMPANY'
  | 'PERSONAL';

/** Why an invoice mutation was refused: the codes its use-cases can answer with. */
export type InvoiceErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'EXPIRED'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED';

export type InvoiceRequestInput = {
  buyerKind?: InvoiceBuyerKind;
  /** Where the provider mails the invoice. */
  email: string;
  /** The driver's paid payments, of one lot (≤ 20). */
  orderIds: Array<string | number>;
  /** 纳税人识别号: required of a company, none of a person. */
  taxNumber?: string;
  /** 发票抬头: the person's or the company's name. */
  title: string;
};

export type InvoiceStatus =
  | 'FAILED'
  | 'ISSUED'
  | 'ISSUING'
  | 'REQUESTED'
  | 'REVERSED'
  | 'REVERSING'
  | 'VOID';

export type LaneDirection =
  | 'ENTRY'
  | 'EXIT';

/** Why a lane mutation was refused: the codes its use-cases can answer with. */
export type LaneErrorCode =
  | 'CONFLICT'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED';

export type ListEntryCreateInput = {
  category: VehicleCategory;
  lotId: string | number;
  plate: string;
  reason?: string;
  validFrom: string;
  validUntil?: string | null | undefined;
  windowEnd?: string | null | undefined;
  windowStart?: string | null | undefined;
};

/** Why a merchant mutation was refused: the codes its use-cases can answer with. */
export type MerchantErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'INACTIVE'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED';

export type MerchantJoinInput = {
  displayName?: string | null | undefined;
  inviteCode: string;
  password: string;
  username: string;
};

export type OrderStatus =
  | 'CLOSED'
  | 'CREATED'
  | 'FAILED'
  | 'PAID'
  | 'PARTLY_REFUNDED'
  | 'PAYING'
  | 'REFUNDED';

export type ParkingCodeCreateInput = {
  expiresAt?: string | null | undefined;
  kind: CodeKind;
  label?: string;
  laneId?: string | number | null | undefined;
  lotId: string | number;
  maxUses?: number | null | undefined;
  merchantId?: string | number | null | undefined;
  perPlatePerDay?: number | null | undefined;
  templateId?: string | number | null | undefined;
  validFrom?: string | null | undefined;
};

/** Buy (or renew) an off-peak pass for a plate, paid online. */
export type PassBuyInput = {
  channel: PaymentChannel;
  /** The payer's openid (WeChat JSAPI) or buyer id (Alipay mini-program). */
  openid?: string | null | undefined;
  plate: string;
  productId: string | number;
  /** The first day (lot's local date, today up to 31 days ahead). A plate that already holds the product renews it instead: one period from its end. */
  startsOn: string;
};

export type PassCreateInput = {
  endsAt?: string | null | undefined;
  groupId?: string | number | null | undefined;
  productId: string | number;
  startsAt: string;
  vehicleId?: string | number | null | undefined;
};

export type PassPeriod =
  | 'MONTH'
  | 'QUARTER'
  | 'YEAR';

export type PaymentChannel =
  | 'ALIPAY_MINI'
  | 'ALIPAY_QR'
  | 'BOOTH'
  | 'CASH'
  | 'WALLET'
  | 'WECHAT_JSAPI'
  | 'WECHAT_NATIVE'
  | 'WECHAT_PARKING';

/** Which stay to pay for and how. Without a login: stayToken (from scanning a lane's QR code), or laneCode (any lane's QR code of the lot) and the plate. Logged-in operators may also give sessionId, or lotId and the plate. */
export type PaymentCreateInput = {
  channel: PaymentChannel;
  /** A lane's QR code token, with the plate. */
  laneCode?: string | null | undefined;
  /** Operators only, with the plate. */
  lotId?: string | number | null | undefined;
  /** The payer pays for someone else's car (代缴). Also recorded without it when the payer is not known as the plate's driver (no stay token, and this payer never paid the plate as its driver). */
  onBehalf?: boolean;
  /** The payer's openid (WeChat JSAPI) or buyer id (Alipay mini-program). */
  payerId?: string | null | undefined;
  /** The payer's note for the driver or the lot (代缴: who paid and why); 100 characters. */
  payerNote?: string | null | undefined;
  plate?: string | null | undefined;
  /** Operators only. */
  sessionId?: string | number | null | undefined;
  /** The signed stay token of a lane's waiting answer or a driver's scan. */
  stayToken?: string | null | undefined;
};

/** Why a payment mutation was refused: the codes its use-cases can answer with. */
export type PaymentErrorCode =
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED';

export type PlateColor =
  | 'BLACK'
  | 'BLUE'
  | 'GREEN'
  | 'UNKNOWN'
  | 'WHITE'
  | 'YELLOW'
  | 'YELLOW_GREEN';

/** Why a shift mutation was refused: the codes its use-cases can answer with. */
export type ReportErrorCode =
  | 'CONFLICT'
  | 'INVALID'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED';

export type VehicleCategory =
  | 'BLACKLIST'
  | 'EXEMPT'
  | 'MONTHLY'
  | 'OFFICIAL'
  | 'OFF_PEAK'
  | 'QUARTERLY'
  | 'TEAM'
  | 'TEMPORARY'
  | 'TIME_CONTROLLED'
  | 'VIP'
  | 'VISITOR'
  | 'YEARLY';

export type VehicleClass =
  | 'LARGE'
  | 'MOTORCYCLE'
  | 'NEW_ENERGY'
  | 'SMALL';

export type VehicleCreateInput = {
  exemptKind?: ExemptKind | null | undefined;
  groupId?: string | number | null | undefined;
  lotId: string | number;
  note?: string;
  ownerId?: string | number | null | undefined;
  plate: string;
  plateColor?: PlateColor;
  tariffClass?: string | null | undefined;
  vehicleClass?: VehicleClass;
};

/** Why a vehicle mutation was refused: the codes its use-cases can answer with. */
export type VehicleErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'INVALID'
  | 'IN_USE'
  | 'NOT_FOUND';

export type MpOperatorLoginMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type MpOperatorLoginMutation = { login:
    | { __typename: 'AccountError', code: AccountErrorCode, message: string }
    | { __typename: 'LoginSuccess', token: string, expiresIn: number }
   };

export type MpOperatorMeQueryVariables = Exact<{ [key: string]: never; }>;


export type MpOperatorMeQuery = { me: { name: string, permissions: Array<string>, merchantId: string | null, lotIds: Array<string> } | null };

export type MpOperatorWechatLoginMutationVariables = Exact<{
  code: string;
}>;


export type MpOperatorWechatLoginMutation = { operatorWechatLogin:
    | { __typename: 'AccountError', code: AccountErrorCode, message: string }
    | { __typename: 'LoginSuccess', token: string, expiresIn: number }
   };

export type MpOperatorWechatBindMutationVariables = Exact<{
  code: string;
}>;


export type MpOperatorWechatBindMutation = { operatorWechatBind:
    | { __typename: 'AccountError', code: AccountErrorCode, message: string }
    | { __typename: 'OperatorSuccess' }
   };

export type MpMerchantJoinMutationVariables = Exact<{
  input: MerchantJoinInput;
}>;


export type MpMerchantJoinMutation = { merchantJoin:
    | { __typename: 'MerchantError', code: MerchantErrorCode, message: string, field: string | null }
    | { __typename: 'MerchantOperatorSuccess', operator: { id: string, username: string } }
   };

export type MpPaymentCreateMutationVariables = Exact<{
  input: PaymentCreateInput;
}>;


export type MpPaymentCreateMutation = { paymentCreate:
    | { __typename: 'PaymentCreateSuccess', clientParams: unknown, order: { outTradeNo: string, status: OrderStatus, amountFen: number, couponFen: number, plate: string } }
    | { __typename: 'PaymentError', code: PaymentErrorCode, message: string }
   };

export type MpPaymentStatusQueryVariables = Exact<{
  outTradeNo: string;
}>;


export type MpPaymentStatusQuery = { paymentStatus: { outTradeNo: string, status: OrderStatus, amountFen: number } };

export type MpSubscribeTemplatesQueryVariables = Exact<{
  lotId?: string | number | null | undefined;
}>;


export type MpSubscribeTemplatesQuery = { subscribeTemplates: Array<string> };

export type MpMerchantHomeQueryVariables = Exact<{
  merchantId: string | number;
  from: string;
  to: string;
}>;


export type MpMerchantHomeQuery = { merchant: { id: string, name: string, lotId: string } | null, couponStocks: { items: Array<{ id: string, templateId: string, templateName: string | null, quantity: number, remaining: number }> }, couponTemplates: { items: Array<{ id: string, name: string, priceFen: number }> }, merchantStatistics: Array<{ merchantId: string, merchantName: string, issued: number, redeemed: number, discountFen: number, boughtFen: number, stockRemaining: number }>, parkingCodes: { items: Array<{ id: string, label: string, expiresAt: string }> } };

export type MpCouponIssueMutationVariables = Exact<{
  input: CouponIssueInput;
}>;


export type MpCouponIssueMutation = { couponIssue:
    | { __typename: 'CouponSuccess', coupon: { id: string, code: string, plate: string } }
    | { __typename: 'MerchantError', code: MerchantErrorCode, message: string }
   };

export type MpCouponPackBuyMutationVariables = Exact<{
  input: CouponPackBuyInput;
}>;


export type MpCouponPackBuyMutation = { couponPackBuy:
    | { __typename: 'CouponPackBuySuccess', clientParams: unknown, order: { outTradeNo: string, amountFen: number } }
    | { __typename: 'MerchantError', code: MerchantErrorCode, message: string }
   };

export type MpMerchantCodeCreateMutationVariables = Exact<{
  input: ParkingCodeCreateInput;
}>;


export type MpMerchantCodeCreateMutation = { parkingCodeCreate:
    | { __typename: 'CodeError', code: CodeErrorCode, message: string }
    | { __typename: 'ParkingCodeSuccess' }
   };

export type MpFaultTicketCreateMutationVariables = Exact<{
  input: FaultTicketCreateInput;
}>;


export type MpFaultTicketCreateMutation = { faultTicketCreate:
    | { __typename: 'FaultError', code: FaultErrorCode, message: string }
    | { __typename: 'FaultTicketSuccess', ticket: { id: string } }
   };

export type MpStaffLanesQueryVariables = Exact<{ [key: string]: never; }>;


export type MpStaffLanesQuery = { lanes: { items: Array<{ id: string, name: string, direction: LaneDirection, lot: { id: string, name: string } | null }> } };

export type MpStaffLaneEventsQueryVariables = Exact<{ [key: string]: never; }>;


export type MpStaffLaneEventsQuery = { laneEvents: { items: Array<{ id: string, laneId: string, at: string, plate: string, kind: EventKind, opened: boolean, decisionReason: string }> } };

export type MpStaffLaneEventsLiveSubscriptionVariables = Exact<{
  laneIds?: Array<string | number> | string | number | null | undefined;
}>;


export type MpStaffLaneEventsLiveSubscription = { laneEvents: { id: string, laneId: string, at: string, plate: string, kind: EventKind, opened: boolean, decisionReason: string } };

export type MpStaffTodayQueryVariables = Exact<{
  day: string;
}>;


export type MpStaffTodayQuery = { revenueByDay: Array<{ paidFen: number, refundedFen: number, orders: number }>, traffic: Array<{ entries: number, exits: number }> };

export type MpLaneRemoteOpenMutationVariables = Exact<{
  laneId: string | number;
  reason: string;
}>;


export type MpLaneRemoteOpenMutation = { laneRemoteOpen:
    | { __typename: 'GateCommandSuccess', command: { id: string, status: GateCommandStatus } }
    | { __typename: 'LaneError', code: LaneErrorCode, message: string }
   };

export type MpStaffPassProductsQueryVariables = Exact<{
  lotId: string | number;
}>;


export type MpStaffPassProductsQuery = { passProducts: { items: Array<{ id: string, name: string, priceFen: number, period: PassPeriod }> } };

export type MpListEntryCreateMutationVariables = Exact<{
  input: ListEntryCreateInput;
}>;


export type MpListEntryCreateMutation = { listEntryCreate:
    | { __typename: 'ListEntrySuccess', entry: { id: string, plate: string } }
    | { __typename: 'VehicleError', code: VehicleErrorCode, message: string }
   };

export type MpVehicleCreateMutationVariables = Exact<{
  input: VehicleCreateInput;
}>;


export type MpVehicleCreateMutation = { vehicleCreate:
    | { __typename: 'VehicleError', code: VehicleErrorCode, message: string }
    | { __typename: 'VehicleSuccess', vehicle: { id: string, plate: string } }
   };

export type MpPassCreateMutationVariables = Exact<{
  input: PassCreateInput;
}>;


export type MpPassCreateMutation = { passCreate:
    | { __typename: 'PassSuccess', pass: { id: string, endsAt: string } }
    | { __typename: 'VehicleError', code: VehicleErrorCode, message: string }
   };

export type MpMyShiftQueryVariables = Exact<{ [key: string]: never; }>;


export type MpMyShiftQuery = { myOpenShift: { id: string, lotName: string, laneName: string, openedAt: string, cashRecordedFen: number, cashPayments: number } | null, shiftPlaces: Array<{ lotId: string, lotName: string, lanes: Array<{ id: string, name: string }> }> };

export type MpShiftOpenMutationVariables = Exact<{
  lotId: string | number;
  laneId?: string | number | null | undefined;
}>;


export type MpShiftOpenMutation = { shiftOpen:
    | { __typename: 'ShiftError', code: ReportErrorCode, message: string }
    | { __typename: 'ShiftSuccess', shift: { id: string, lotName: string, laneName: string, openedAt: string, cashRecordedFen: number, cashPayments: number } }
   };

export type MpShiftCloseMutationVariables = Exact<{
  id: string | number;
  countedCashFen: number;
  note: string;
}>;


export type MpShiftCloseMutation = { shiftClose:
    | { __typename: 'ShiftError', code: ReportErrorCode, message: string }
    | { __typename: 'ShiftSuccess', shift: { id: string, lotName: string, cashRecordedFen: number, cashPayments: number, countedCashFen: number | null, differenceFen: number | null, freeReleases: number, softwareReleases: number } }
   };

export type MpPlateStaysQueryVariables = Exact<{
  plate: string;
}>;


export type MpPlateStaysQuery = { plateStays:
    | { __typename: 'DriverError', code: DriverErrorCode, message: string }
    | { __typename: 'PlateStaysSuccess', stays: Array<{ lotName: string, lotId: string, enteredAt: string, owedFen: number, graceEndsAt: string | null, stayToken: string, maskedPlate: string, paidFen: number, couponFen: number }> }
   };

export type MpInvoiceRequestMutationVariables = Exact<{
  input: InvoiceRequestInput;
}>;


export type MpInvoiceRequestMutation = { invoiceRequest:
    | { __typename: 'DriverInvoiceSuccess', invoice: { id: string, status: InvoiceStatus, amountFen: number } }
    | { __typename: 'InvoiceError', code: InvoiceErrorCode, message: string, field: string | null }
   };

export type MpInvoiceablePaymentsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MpInvoiceablePaymentsQuery = { invoiceablePayments: { items: Array<{ orderId: string, lotId: string, lotName: string, plate: string, amountFen: number, paidAt: string, invoiceUntil: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type MpMyInvoicesQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MpMyInvoicesQuery = { myInvoices: { items: Array<{ id: string, amountFen: number, title: string, buyerKind: InvoiceBuyerKind, status: InvoiceStatus, number: string, orderIds: Array<string>, issuedAt: string | null, createdAt: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type MpLotsNearbyQueryVariables = Exact<{
  latitude: number;
  longitude: number;
  radiusKm?: number | null | undefined;
}>;


export type MpLotsNearbyQuery = { lotsNearby: Array<{ lotId: string, name: string, address: string, latitude: number, longitude: number, distanceM: number, freeSpaces: number, totalSpaces: number, tariffSummary: string | null }> };

export type MpOffPeakProductsQueryVariables = Exact<{
  lotId: string | number;
}>;


export type MpOffPeakProductsQuery = { offPeakProducts: Array<{ id: string, name: string, priceFen: number, windowStart: string | null, windowEnd: string | null, startsAt: string, endsAt: string, spacesLeft: number | null }> };

export type MpPassBuyMutationVariables = Exact<{
  input: PassBuyInput;
}>;


export type MpPassBuyMutation = { passBuy:
    | { __typename: 'PaymentCreateSuccess', clientParams: unknown, order: { outTradeNo: string, amountFen: number } }
    | { __typename: 'PaymentError', code: PaymentErrorCode, message: string }
   };

export type MpMyPlatesQueryVariables = Exact<{ [key: string]: never; }>;


export type MpMyPlatesQuery = { myPlates: Array<{ plate: string, boundAt: string, proven: boolean }> };

export type MpPlateBindMutationVariables = Exact<{
  plate: string;
}>;


export type MpPlateBindMutation = { plateBind:
    | { __typename: 'DriverError', code: DriverErrorCode, message: string }
    | { __typename: 'DriverPlate', plate: string, boundAt: string, proven: boolean }
   };

export type MpPlateUnbindMutationVariables = Exact<{
  plate: string;
}>;


export type MpPlateUnbindMutation = { plateUnbind:
    | { __typename: 'DriverError', code: DriverErrorCode, message: string }
    | { __typename: 'DriverPlate', plate: string, boundAt: string, proven: boolean }
   };

export type MpPlateHistoryQueryVariables = Exact<{
  plate: string;
  after?: string | null | undefined;
}>;


export type MpPlateHistoryQuery = { plateHistory:
    | { __typename: 'DriverError', code: DriverErrorCode, message: string }
    | { __typename: 'PlateHistorySuccess', items: Array<{ lotId: string, lotName: string, enteredAt: string, exitedAt: string | null, paidFen: number, inLot: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }
   };

export type MpStayGraceQueryVariables = Exact<{
  plate: string;
}>;


export type MpStayGraceQuery = { plateStays:
    | { __typename: 'DriverError', code: DriverErrorCode, message: string }
    | { __typename: 'PlateStaysSuccess', stays: Array<{ lotId: string, graceEndsAt: string | null }> }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const MpOperatorLoginDocument = new TypedDocumentString(`
    mutation MpOperatorLogin($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    __typename
    ... on LoginSuccess {
      token
      expiresIn
    }
    ... on AccountError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpOperatorLoginMutation, MpOperatorLoginMutationVariables>;
export const MpOperatorMeDocument = new TypedDocumentString(`
    query MpOperatorMe {
  me {
    name
    permissions
    merchantId
    lotIds
  }
}
    `) as unknown as TypedDocumentString<MpOperatorMeQuery, MpOperatorMeQueryVariables>;
export const MpOperatorWechatLoginDocument = new TypedDocumentString(`
    mutation MpOperatorWechatLogin($code: String!) {
  operatorWechatLogin(input: {code: $code}) {
    __typename
    ... on LoginSuccess {
      token
      expiresIn
    }
    ... on AccountError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpOperatorWechatLoginMutation, MpOperatorWechatLoginMutationVariables>;
export const MpOperatorWechatBindDocument = new TypedDocumentString(`
    mutation MpOperatorWechatBind($code: String!) {
  operatorWechatBind(input: {code: $code}) {
    __typename
    ... on AccountError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpOperatorWechatBindMutation, MpOperatorWechatBindMutationVariables>;
export const MpMerchantJoinDocument = new TypedDocumentString(`
    mutation MpMerchantJoin($input: MerchantJoinInput!) {
  merchantJoin(input: $input) {
    __typename
    ... on MerchantOperatorSuccess {
      operator {
        id
        username
      }
    }
    ... on MerchantError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<MpMerchantJoinMutation, MpMerchantJoinMutationVariables>;
export const MpPaymentCreateDocument = new TypedDocumentString(`
    mutation MpPaymentCreate($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    __typename
    ... on PaymentCreateSuccess {
      clientParams
      order {
        outTradeNo
        status
        amountFen
        couponFen
        plate
      }
    }
    ... on PaymentError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPaymentCreateMutation, MpPaymentCreateMutationVariables>;
export const MpPaymentStatusDocument = new TypedDocumentString(`
    query MpPaymentStatus($outTradeNo: String!) {
  paymentStatus(outTradeNo: $outTradeNo) {
    outTradeNo
    status
    amountFen
  }
}
    `) as unknown as TypedDocumentString<MpPaymentStatusQuery, MpPaymentStatusQueryVariables>;
export const MpSubscribeTemplatesDocument = new TypedDocumentString(`
    query MpSubscribeTemplates($lotId: ID) {
  subscribeTemplates(lotId: $lotId)
}
    `) as unknown as TypedDocumentString<MpSubscribeTemplatesQuery, MpSubscribeTemplatesQueryVariables>;
export const MpMerchantHomeDocument = new TypedDocumentString(`
    query MpMerchantHome($merchantId: ID!, $from: Date!, $to: Date!) {
  merchant(id: $merchantId) {
    id
    name
    lotId
  }
  couponStocks(filter: {merchantId: $merchantId}, first: 100) {
    items {
      id
      templateId
      templateName
      quantity
      remaining
    }
  }
  couponTemplates(filter: {isActive: true}, first: 100) {
    items {
      id
      name
      priceFen
    }
  }
  merchantStatistics(filter: {from: $from, to: $to, merchantId: $merchantId}) {
    merchantId
    merchantName
    issued
    redeemed
    discountFen
    boughtFen
    stockRemaining
  }
  parkingCodes(filter: {merchantId: $merchantId, kind: MERCHANT}, first: 10) {
    items {
      id
      label
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<MpMerchantHomeQuery, MpMerchantHomeQueryVariables>;
export const MpCouponIssueDocument = new TypedDocumentString(`
    mutation MpCouponIssue($input: CouponIssueInput!) {
  couponIssue(input: $input) {
    __typename
    ... on CouponSuccess {
      coupon {
        id
        code
        plate
      }
    }
    ... on MerchantError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpCouponIssueMutation, MpCouponIssueMutationVariables>;
export const MpCouponPackBuyDocument = new TypedDocumentString(`
    mutation MpCouponPackBuy($input: CouponPackBuyInput!) {
  couponPackBuy(input: $input) {
    __typename
    ... on CouponPackBuySuccess {
      clientParams
      order {
        outTradeNo
        amountFen
      }
    }
    ... on MerchantError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpCouponPackBuyMutation, MpCouponPackBuyMutationVariables>;
export const MpMerchantCodeCreateDocument = new TypedDocumentString(`
    mutation MpMerchantCodeCreate($input: ParkingCodeCreateInput!) {
  parkingCodeCreate(input: $input) {
    __typename
    ... on CodeError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpMerchantCodeCreateMutation, MpMerchantCodeCreateMutationVariables>;
export const MpFaultTicketCreateDocument = new TypedDocumentString(`
    mutation MpFaultTicketCreate($input: FaultTicketCreateInput!) {
  faultTicketCreate(input: $input) {
    __typename
    ... on FaultTicketSuccess {
      ticket {
        id
      }
    }
    ... on FaultError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpFaultTicketCreateMutation, MpFaultTicketCreateMutationVariables>;
export const MpStaffLanesDocument = new TypedDocumentString(`
    query MpStaffLanes {
  lanes(first: 100) {
    items {
      id
      name
      direction
      lot {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MpStaffLanesQuery, MpStaffLanesQueryVariables>;
export const MpStaffLaneEventsDocument = new TypedDocumentString(`
    query MpStaffLaneEvents {
  laneEvents(first: 50) {
    items {
      id
      laneId
      at
      plate
      kind
      opened
      decisionReason
    }
  }
}
    `) as unknown as TypedDocumentString<MpStaffLaneEventsQuery, MpStaffLaneEventsQueryVariables>;
export const MpStaffLaneEventsLiveDocument = new TypedDocumentString(`
    subscription MpStaffLaneEventsLive($laneIds: [ID!]) {
  laneEvents(laneIds: $laneIds) {
    id
    laneId
    at
    plate
    kind
    opened
    decisionReason
  }
}
    `) as unknown as TypedDocumentString<MpStaffLaneEventsLiveSubscription, MpStaffLaneEventsLiveSubscriptionVariables>;
export const MpStaffTodayDocument = new TypedDocumentString(`
    query MpStaffToday($day: Date!) {
  revenueByDay(from: $day, to: $day) {
    paidFen
    refundedFen
    orders
  }
  traffic(from: $day, to: $day) {
    entries
    exits
  }
}
    `) as unknown as TypedDocumentString<MpStaffTodayQuery, MpStaffTodayQueryVariables>;
export const MpLaneRemoteOpenDocument = new TypedDocumentString(`
    mutation MpLaneRemoteOpen($laneId: ID!, $reason: String!) {
  laneRemoteOpen(laneId: $laneId, reason: $reason) {
    __typename
    ... on GateCommandSuccess {
      command {
        id
        status
      }
    }
    ... on LaneError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpLaneRemoteOpenMutation, MpLaneRemoteOpenMutationVariables>;
export const MpStaffPassProductsDocument = new TypedDocumentString(`
    query MpStaffPassProducts($lotId: ID!) {
  passProducts(filter: {lotId: $lotId, isActive: true}, first: 100) {
    items {
      id
      name
      priceFen
      period
    }
  }
}
    `) as unknown as TypedDocumentString<MpStaffPassProductsQuery, MpStaffPassProductsQueryVariables>;
export const MpListEntryCreateDocument = new TypedDocumentString(`
    mutation MpListEntryCreate($input: ListEntryCreateInput!) {
  listEntryCreate(input: $input) {
    __typename
    ... on ListEntrySuccess {
      entry {
        id
        plate
      }
    }
    ... on VehicleError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpListEntryCreateMutation, MpListEntryCreateMutationVariables>;
export const MpVehicleCreateDocument = new TypedDocumentString(`
    mutation MpVehicleCreate($input: VehicleCreateInput!) {
  vehicleCreate(input: $input) {
    __typename
    ... on VehicleSuccess {
      vehicle {
        id
        plate
      }
    }
    ... on VehicleError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpVehicleCreateMutation, MpVehicleCreateMutationVariables>;
export const MpPassCreateDocument = new TypedDocumentString(`
    mutation MpPassCreate($input: PassCreateInput!) {
  passCreate(input: $input) {
    __typename
    ... on PassSuccess {
      pass {
        id
        endsAt
      }
    }
    ... on VehicleError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPassCreateMutation, MpPassCreateMutationVariables>;
export const MpMyShiftDocument = new TypedDocumentString(`
    query MpMyShift {
  myOpenShift {
    id
    lotName
    laneName
    openedAt
    cashRecordedFen
    cashPayments
  }
  shiftPlaces {
    lotId
    lotName
    lanes {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<MpMyShiftQuery, MpMyShiftQueryVariables>;
export const MpShiftOpenDocument = new TypedDocumentString(`
    mutation MpShiftOpen($lotId: ID!, $laneId: ID) {
  shiftOpen(lotId: $lotId, laneId: $laneId) {
    __typename
    ... on ShiftSuccess {
      shift {
        id
        lotName
        laneName
        openedAt
        cashRecordedFen
        cashPayments
      }
    }
    ... on ShiftError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpShiftOpenMutation, MpShiftOpenMutationVariables>;
export const MpShiftCloseDocument = new TypedDocumentString(`
    mutation MpShiftClose($id: ID!, $countedCashFen: Fen!, $note: String!) {
  shiftClose(id: $id, countedCashFen: $countedCashFen, note: $note) {
    __typename
    ... on ShiftSuccess {
      shift {
        id
        lotName
        cashRecordedFen
        cashPayments
        countedCashFen
        differenceFen
        freeReleases
        softwareReleases
      }
    }
    ... on ShiftError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpShiftCloseMutation, MpShiftCloseMutationVariables>;
export const MpPlateStaysDocument = new TypedDocumentString(`
    query MpPlateStays($plate: String!) {
  plateStays(plate: $plate) {
    __typename
    ... on PlateStaysSuccess {
      stays {
        lotName
        lotId
        enteredAt
        owedFen
        graceEndsAt
        stayToken
        maskedPlate
        paidFen
        couponFen
      }
    }
    ... on DriverError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPlateStaysQuery, MpPlateStaysQueryVariables>;
export const MpInvoiceRequestDocument = new TypedDocumentString(`
    mutation MpInvoiceRequest($input: InvoiceRequestInput!) {
  invoiceRequest(input: $input) {
    __typename
    ... on DriverInvoiceSuccess {
      invoice {
        id
        status
        amountFen
      }
    }
    ... on InvoiceError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<MpInvoiceRequestMutation, MpInvoiceRequestMutationVariables>;
export const MpInvoiceablePaymentsDocument = new TypedDocumentString(`
    query MpInvoiceablePayments($after: String) {
  invoiceablePayments(first: 50, after: $after) {
    items {
      orderId
      lotId
      lotName
      plate
      amountFen
      paidAt
      invoiceUntil
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<MpInvoiceablePaymentsQuery, MpInvoiceablePaymentsQueryVariables>;
export const MpMyInvoicesDocument = new TypedDocumentString(`
    query MpMyInvoices($after: String) {
  myInvoices(first: 20, after: $after) {
    items {
      id
      amountFen
      title
      buyerKind
      status
      number
      orderIds
      issuedAt
      createdAt
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<MpMyInvoicesQuery, MpMyInvoicesQueryVariables>;
export const MpLotsNearbyDocument = new TypedDocumentString(`
    query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {
  lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {
    lotId
    name
    address
    latitude
    longitude
    distanceM
    freeSpaces
    totalSpaces
    tariffSummary
  }
}
    `) as unknown as TypedDocumentString<MpLotsNearbyQuery, MpLotsNearbyQueryVariables>;
export const MpOffPeakProductsDocument = new TypedDocumentString(`
    query MpOffPeakProducts($lotId: ID!) {
  offPeakProducts(lotId: $lotId) {
    id
    name
    priceFen
    windowStart
    windowEnd
    startsAt
    endsAt
    spacesLeft
  }
}
    `) as unknown as TypedDocumentString<MpOffPeakProductsQuery, MpOffPeakProductsQueryVariables>;
export const MpPassBuyDocument = new TypedDocumentString(`
    mutation MpPassBuy($input: PassBuyInput!) {
  passBuy(input: $input) {
    __typename
    ... on PaymentCreateSuccess {
      clientParams
      order {
        outTradeNo
        amountFen
      }
    }
    ... on PaymentError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPassBuyMutation, MpPassBuyMutationVariables>;
export const MpMyPlatesDocument = new TypedDocumentString(`
    query MpMyPlates {
  myPlates {
    plate
    boundAt
    proven
  }
}
    `) as unknown as TypedDocumentString<MpMyPlatesQuery, MpMyPlatesQueryVariables>;
export const MpPlateBindDocument = new TypedDocumentString(`
    mutation MpPlateBind($plate: String!) {
  plateBind(input: {plate: $plate}) {
    __typename
    ... on DriverPlate {
      plate
      boundAt
      proven
    }
    ... on DriverError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPlateBindMutation, MpPlateBindMutationVariables>;
export const MpPlateUnbindDocument = new TypedDocumentString(`
    mutation MpPlateUnbind($plate: String!) {
  plateUnbind(input: {plate: $plate}) {
    __typename
    ... on DriverPlate {
      plate
      boundAt
      proven
    }
    ... on DriverError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPlateUnbindMutation, MpPlateUnbindMutationVariables>;
export const MpPlateHistoryDocument = new TypedDocumentString(`
    query MpPlateHistory($plate: String!, $after: String) {
  plateHistory(plate: $plate, first: 20, after: $after) {
    __typename
    ... on PlateHistorySuccess {
      items {
        lotId
        lotName
        enteredAt
        exitedAt
        paidFen
        inLot
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    ... on DriverError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpPlateHistoryQuery, MpPlateHistoryQueryVariables>;
export const MpStayGraceDocument = new TypedDocumentString(`
    query MpStayGrace($plate: String!) {
  plateStays(plate: $plate) {
    __typename
    ... on PlateStaysSuccess {
      stays {
        lotId
        graceEndsAt
      }
    }
    ... on DriverError {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<MpStayGraceQuery, MpStayGraceQueryVariables>;
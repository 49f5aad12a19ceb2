/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type OrderStatus =
  | 'CLOSED'
  | 'CREATED'
  | 'FAILED'
  | 'PAID'
  | 'PARTLY_REFUNDED'
  | 'PAYING'
  | 'REFUNDED';

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
/* eslint-disable */
import * as types from './graphql';



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
    "\n  mutation MpPaymentCreate($input: PaymentCreateInput!) {\n    paymentCreate(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess {\n        clientParams\n        order { outTradeNo status amountFen couponFen plate }\n      }\n      ... on PaymentError { code message }\n    }\n  }\n": typeof types.MpPaymentCreateDocument,
    "\n  query MpPaymentStatus($outTradeNo: String!) {\n    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }\n  }\n": typeof types.MpPaymentStatusDocument,
    "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n": typeof types.MpOffPeakProductsDocument,
    "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n": typeof types.MpPassBuyDocument,
};
const documents: Documents = {
    "\n  mutation MpPaymentCreate($input: PaymentCreateInput!) {\n    paymentCreate(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess {\n        clientParams\n        order { outTradeNo status amountFen couponFen plate }\n      }\n      ... on PaymentError { code message }\n    }\n  }\n": types.MpPaymentCreateDocument,
    "\n  query MpPaymentStatus($outTradeNo: String!) {\n    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }\n  }\n": types.MpPaymentStatusDocument,
    "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n": types.MpOffPeakProductsDocument,
    "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n": types.MpPassBuyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPaymentCreate($input: PaymentCreateInput!) {\n    paymentCreate(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess {\n        clientParams\n        order { outTradeNo status amountFen couponFen plate }\n      }\n      ... on PaymentError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPaymentCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpPaymentStatus($outTradeNo: String!) {\n    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }\n  }\n"): typeof import('./graphql').MpPaymentStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n"): typeof import('./graphql').MpOffPeakProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPassBuyDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

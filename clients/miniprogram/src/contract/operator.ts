// Issue #19's operator sign-in with WeChat (operatorWechatBind / operatorWechatLogin, built by the server side in
// parallel): typed by hand after the contract, outside codegen like documents.ts. Move each into a `graphql()`
// call once schema/schema.graphql carries it.
import { TypedDocumentString } from '@/gql/graphql'

type ErrorResult = { __typename: `${string}Error`; code: string; message: string }

export type OperatorWechatLoginResult =
  | { __typename: 'LoginSuccess'; token: string; expiresIn: number }
  | ErrorResult

export const OperatorWechatLoginDocument = new TypedDocumentString<
  { operatorWechatLogin: OperatorWechatLoginResult },
  { code: string }
>(
  `mutation MpOperatorWechatLogin($code: String!) { operatorWechatLogin(input: { code: $code }) {
     __typename ... on LoginSuccess { token expiresIn } ... on AccountError { code message } } }`,
)

export type OperatorWechatBindResult = { __typename: string; code?: string; message?: string }

export const OperatorWechatBindDocument = new TypedDocumentString<
  { operatorWechatBind: OperatorWechatBindResult },
  { code: string }
>(
  `mutation MpOperatorWechatBind($code: String!) { operatorWechatBind(input: { code: $code }) {
     __typename ... on Error { message } ... on AccountError { code } } }`,
)

// Operations of the merchant pages (商户, 优惠券模板, 优惠券, 停车码, 商户统计) and the lookups their forms need;
// typed by graphql-codegen like operations.ts.
import { graphql } from '../gql'

export const MerchantOptionsDocument = graphql(`
  query MerchantOptions($lotId: ID) {
    merchants(filter: { lotId: $lotId }, first: 100) { items { id name } pageInfo { hasNextPage } }
  }
`)

export const LaneOptionsDocument = graphql(`
  query LaneOptions($lotId: ID) {
    lanes(filter: { lotId: $lotId }, first: 100) { items { id name } pageInfo { hasNextPage } }
  }
`)

export const TemplateOptionsDocument = graphql(`
  query TemplateOptions($lotId: ID) {
    couponTemplates(filter: { lotId: $lotId, isActive: true }, first: 100) { items { id name } pageInfo { hasNextPage } }
  }
`)

export const MerchantAccountsDocument = graphql(`
  query MerchantAccounts($filter: MerchantFilter, $first: Int!, $after: String) {
    merchants(filter: $filter, first: $first, after: $after) {
      items { id lotId name contactName phone balanceFen creditLimitFen lotIds isActive createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const MerchantDocument = graphql(`
  query Merchant($id: ID!) {
    merchant(id: $id) { id lotId name balanceFen creditLimitFen inviteCode lotIds }
  }
`)

export const MerchantStocksDocument = graphql(`
  query MerchantStocks($merchantId: ID!) {
    couponStocks(filter: { merchantId: $merchantId }, first: 100) {
      items { id templateId templateName source quantity remaining priceFen createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const MerchantLedgerDocument = graphql(`
  query MerchantLedger($merchantId: ID!, $first: Int!, $after: String) {
    merchantLedger(merchantId: $merchantId, first: $first, after: $after) {
      items { id kind amountFen balanceAfterFen note createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const MerchantAccountCreateDocument = graphql(`
  mutation MerchantAccountCreate($input: MerchantCreateInput!) {
    merchantCreate(input: $input) {
      __typename
      ... on MerchantSuccess { merchant { id name } }
      ... on MerchantError { code message field }
    }
  }
`)

export const MerchantAccountUpdateDocument = graphql(`
  mutation MerchantAccountUpdate($id: ID!, $input: MerchantUpdateInput!) {
    merchantUpdate(id: $id, input: $input) {
      __typename
      ... on MerchantSuccess { merchant { id name } }
      ... on MerchantError { code message field }
    }
  }
`)

export const MerchantInviteRotateDocument = graphql(`
  mutation MerchantInviteRotate($id: ID!) {
    merchantInviteRotate(id: $id) {
      __typename
      ... on MerchantSuccess { merchant { id inviteCode } }
      ... on MerchantError { code message field }
    }
  }
`)

export const MerchantTopUpDocument = graphql(`
  mutation MerchantTopUp($input: MerchantTopUpInput!) {
    merchantTopUp(input: $input) {
      __typename
      ... on MerchantLedgerSuccess { entry { id balanceAfterFen } }
      ... on MerchantError { code message field }
    }
  }
`)

export const MerchantOperatorCreateDocument = graphql(`
  mutation MerchantOperatorCreate($input: MerchantOperatorCreateInput!) {
    merchantOperatorCreate(input: $input) {
      __typename
      ... on MerchantOperatorSuccess { operator { id username } }
      ... on MerchantError { code message field }
    }
  }
`)

export const CouponStockCreditDocument = graphql(`
  mutation CouponStockCredit($input: CouponStockCreditInput!) {
    couponStockCredit(input: $input) {
      __typename
      ... on CouponStockSuccess { stock { id remaining } }
      ... on MerchantError { code message field }
    }
  }
`)

export const CouponTemplatesDocument = graphql(`
  query CouponTemplates($filter: CouponTemplateFilter, $first: Int!, $after: String) {
    couponTemplates(filter: $filter, first: $first, after: $after) {
      items {
        id lotId name kind value priceFen validMinutes sellFrom sellUntil maxPerStay maxPerPlatePerDay stackable isActive
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CouponTemplateCreateDocument = graphql(`
  mutation CouponTemplateCreate($input: CouponTemplateCreateInput!) {
    couponTemplateCreate(input: $input) {
      __typename
      ... on CouponTemplateSuccess { template { id name } }
      ... on MerchantError { code message field }
    }
  }
`)

export const CouponTemplateUpdateDocument = graphql(`
  mutation CouponTemplateUpdate($id: ID!, $input: CouponTemplateUpdateInput!) {
    couponTemplateUpdate(id: $id, input: $input) {
      __typename
      ... on CouponTemplateSuccess { template { id name } }
      ... on MerchantError { code message field }
    }
  }
`)

export const CouponListDocument = graphql(`
  query CouponList($filter: CouponFilter, $first: Int!, $after: String) {
    coupons(filter: $filter, first: $first, after: $after) {
      items {
        id lotId merchantId merchantName templateId code source kind value status plate validUntil sessionId redeemedAt
        discountFen
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CouponIssueDocument = graphql(`
  mutation CouponIssue($input: CouponIssueInput!) {
    couponIssue(input: $input) {
      __typename
      ... on CouponSuccess { coupon { id code plate } }
      ... on MerchantError { code message field }
    }
  }
`)

export const CouponVoidDocument = graphql(`
  mutation CouponVoid($id: ID!, $reason: String!) {
    couponVoid(id: $id, reason: $reason) {
      __typename
      ... on CouponSuccess { coupon { id status } }
      ... on MerchantError { code message field }
    }
  }
`)

export const ParkingCodesDocument = graphql(`
  query ParkingCodes($filter: ParkingCodeFilter, $first: Int!, $after: String) {
    parkingCodes(filter: $filter, first: $first, after: $after) {
      items {
        id lotId kind label laneId merchantId templateId validFrom expiresAt maxUses usedCount perPlatePerDay revokedAt
        url
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CodeCreateDocument = graphql(`
  mutation CodeCreate($input: ParkingCodeCreateInput!) {
    parkingCodeCreate(input: $input) {
      __typename
      ... on ParkingCodeSuccess { parkingCode { id } }
      ... on CodeError { code message field }
    }
  }
`)

export const CodeRotateDocument = graphql(`
  mutation CodeRotate($id: ID!) {
    parkingCodeRotate(id: $id) {
      __typename
      ... on ParkingCodeSuccess { parkingCode { id } }
      ... on CodeError { code message field }
    }
  }
`)

export const CodeRevokeDocument = graphql(`
  mutation CodeRevoke($id: ID!) {
    parkingCodeRevoke(id: $id) {
      __typename
      ... on ParkingCodeSuccess { parkingCode { id revokedAt } }
      ... on CodeError { code message field }
    }
  }
`)

export const MerchantStatisticsDocument = graphql(`
  query MerchantStatistics($filter: MerchantStatisticsFilter!) {
    merchantStatistics(filter: $filter) {
      merchantId merchantName issued redeemed expired voided discountFen soldFen stockRemaining
    }
  }
`)

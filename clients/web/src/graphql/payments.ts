// The finance pages' operations: orders, refunds, wallets, settlement, reconciliation and invoices.
import { graphql } from '../gql'

export const PaymentOrdersDocument = graphql(`
  query PaymentOrders($filter: PaymentOrderFilter, $first: Int!, $after: String) {
    paymentOrders(filter: $filter, first: $first, after: $after) {
      items {
        id lotId outTradeNo channel purpose status plate amountFen channelFeeFen refundedFen
        channelTradeNo paidAt createdAt doublePayment onBehalf payerNote
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const RefundsDocument = graphql(`
  query Refunds($filter: RefundFilter, $first: Int!, $after: String) {
    refunds(filter: $filter, first: $first, after: $after) {
      items { id lotId orderId outRefundNo amountFen reason status requestedBy approvedBy decisionNote completedAt createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const RefundRequestDocument = graphql(`
  mutation RefundRequest($orderId: ID!, $amountFen: Fen!, $reason: String!) {
    refundRequest(orderId: $orderId, amountFen: $amountFen, reason: $reason) {
      __typename
      ... on RefundSuccess { refund { id amountFen status } }
      ... on PaymentError { code message field }
    }
  }
`)

export const RefundApproveDocument = graphql(`
  mutation RefundApprove($id: ID!) {
    refundApprove(id: $id) {
      __typename
      ... on RefundSuccess { refund { id status approvedBy } }
      ... on PaymentError { code message field }
    }
  }
`)

export const RefundRejectDocument = graphql(`
  mutation RefundReject($id: ID!, $reason: String!) {
    refundReject(id: $id, reason: $reason) {
      __typename
      ... on RefundSuccess { refund { id status approvedBy decisionNote } }
      ... on PaymentError { code message field }
    }
  }
`)

export const WalletTopUpDocument = graphql(`
  mutation WalletTopUp($input: WalletMoveInput!) {
    walletTopUp(input: $input) {
      __typename
      ... on WalletSuccess { wallet { id balanceFen } }
      ... on VehicleError { code message field }
    }
  }
`)

export const WalletDebitDocument = graphql(`
  mutation WalletDebit($input: WalletMoveInput!) {
    walletDebit(input: $input) {
      __typename
      ... on WalletSuccess { wallet { id balanceFen } }
      ... on VehicleError { code message field }
    }
  }
`)

export const SettlementStatementsDocument = graphql(`
  query SettlementStatements($dayFrom: Date!, $dayTo: Date!, $lotId: ID, $first: Int!, $after: String) {
    settlementStatements(dayFrom: $dayFrom, dayTo: $dayTo, lotId: $lotId, first: $first, after: $after) {
      items {
        id lotId customerId day timezone feeRatePpm producedAt
        totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen }
        byChannel { channel totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const CustomerSettlementDocument = graphql(`
  query CustomerSettlement($customerId: ID!, $day: Date!) {
    customerSettlement(customerId: $customerId, day: $day) {
      customerId day lotsSettled
      totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen }
      byChannel { channel totals { paymentsCount grossFen refundsCount refundsFen feeFen netFen } }
    }
  }
`)

export const ReconciliationDocument = graphql(`
  query Reconciliation($channel: String!, $day: Date!, $result: ReconciliationResult, $first: Int!, $after: String) {
    reconciliation(channel: $channel, day: $day) {
      channel day producedAt status error billRows matched missingOurs missingTheirs amountMismatch doublePayment
    }
    reconciliationLines(channel: $channel, day: $day, result: $result, first: $first, after: $after) {
      items { id result entryKind number outTradeNo oursFen theirsFen theirFeeFen transactionId lotId }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const InvoicesDocument = graphql(`
  query Invoices($filter: InvoiceFilter, $first: Int!, $after: String) {
    invoices(filter: $filter, first: $first, after: $after) {
      items { id lotId orderId plate amountFen title taxNumber status issuedAt number lastError createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const InvoiceRetryDocument = graphql(`
  mutation InvoiceRetry($id: ID!) {
    invoiceRetry(id: $id) {
      __typename
      ... on InvoiceSuccess { invoice { id status attempts lastError } }
      ... on InvoiceError { code message field }
    }
  }
`)

export const InvoiceReverseDocument = graphql(`
  mutation InvoiceReverse($id: ID!) {
    invoiceReverse(id: $id) {
      __typename
      ... on InvoiceSuccess { invoice { id status } }
      ... on InvoiceError { code message field }
    }
  }
`)

export const LotInvoiceSettingsDocument = graphql(`
  query LotInvoiceSettings($lotId: ID!) {
    lotInvoiceSettings(lotId: $lotId) {
      lotId enabled sellerName sellerTaxNumber sellerAddress sellerPhone sellerBankAccount clerk taxRatePermille
      goodsCode goodsName deadlineDays
    }
  }
`)

export const LotInvoiceSettingsUpdateDocument = graphql(`
  mutation LotInvoiceSettingsUpdate($lotId: ID!, $input: LotInvoiceSettingsInput!) {
    lotInvoiceSettingsUpdate(lotId: $lotId, input: $input) {
      __typename
      ... on LotInvoiceSettingsSuccess {
        settings {
          lotId enabled sellerName sellerTaxNumber sellerAddress sellerPhone sellerBankAccount clerk taxRatePermille
          goodsCode goodsName deadlineDays
        }
      }
      ... on InvoiceError { code message field }
    }
  }
`)

export const ReconciliationsDocument = graphql(`
  query Reconciliations($dayFrom: Date!, $dayTo: Date!, $channel: String, $first: Int!) {
    reconciliations(dayFrom: $dayFrom, dayTo: $dayTo, channel: $channel, first: $first) {
      items { channel day status error matched missingOurs missingTheirs amountMismatch doublePayment }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

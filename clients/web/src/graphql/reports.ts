// Operations of the report pages (报表): one query per report, the same figures as the downloads of
// /api/reports; typed by graphql-codegen like operations.ts.
import { graphql } from '../gql'

export const ReportFiguresFragment = graphql(`
  fragment ReportFiguresFields on ReportFigures {
    entries exits stayMinutes averageStayMinutes payments paidFen refunds refundedFen netFen discountFen couponFen
    waivedFen
  }
`)

export const FlowReportDocument = graphql(`
  query FlowReport($from: Date!, $to: Date!, $by: ReportFlowBy!, $lotIds: [ID!]) {
    flowReport(from: $from, to: $to, by: $by, lotIds: $lotIds) {
      lotId lotName laneId laneName vehicleClass day areaId areaName region turnover figures { ...ReportFiguresFields }
    }
  }
`)

export const PeakHoursReportDocument = graphql(`
  query PeakHoursReport($from: Date!, $to: Date!, $lotIds: [ID!]) {
    peakHoursReport(from: $from, to: $to, lotIds: $lotIds) { hour entries exits }
  }
`)

export const ChannelFeeReportDocument = graphql(`
  query ChannelFeeReport($from: Date!, $to: Date!, $lotIds: [ID!]) {
    channelFeeReport(from: $from, to: $to, lotIds: $lotIds) { channel figures { ...ReportFiguresFields } }
  }
`)

export const FeeKindReportDocument = graphql(`
  query FeeKindReport($from: Date!, $to: Date!, $lotIds: [ID!]) {
    feeKindReport(from: $from, to: $to, lotIds: $lotIds) { kind figures { ...ReportFiguresFields } }
  }
`)

export const DailyReportDocument = graphql(`
  query DailyReport($from: Date!, $to: Date!, $by: ReportDailyBy!, $lotIds: [ID!]) {
    dailyReport(from: $from, to: $to, by: $by, lotIds: $lotIds) {
      day lotId lotName laneId laneName region booth figures { ...ReportFiguresFields }
    }
  }
`)

// The detail reports: keyset pages, latest first (lib/details.ts gathers them).
export const FeeDetailReportDocument = graphql(`
  query FeeDetailReport($from: Date!, $to: Date!, $lotIds: [ID!], $first: Int!, $after: String) {
    feeDetailReport(from: $from, to: $to, lotIds: $lotIds, first: $first, after: $after) {
      items {
        stayId lotName plate entryAt exitAt laneName feeFen discountFen couponFen coupons waivedFen paidFen channels
        releaseMethod operatorName
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const RenewalDetailReportDocument = graphql(`
  query RenewalDetailReport($from: Date!, $to: Date!, $lotIds: [ID!], $first: Int!, $after: String) {
    renewalDetailReport(from: $from, to: $to, lotIds: $lotIds, first: $first, after: $after) {
      items {
        orderId lotName plate purpose productName periodFrom periodTo amountFen refundedFen channel operatorName paidAt
      }
      pageInfo { hasNextPage endCursor }
      total { orders amountFen refundedFen netFen }
    }
  }
`)

export const InvoiceDetailReportDocument = graphql(`
  query InvoiceDetailReport($from: Date!, $to: Date!, $lotIds: [ID!], $first: Int!, $after: String) {
    invoiceDetailReport(from: $from, to: $to, lotIds: $lotIds, first: $first, after: $after) {
      items {
        invoiceId lotName buyerKind buyerName taxNumber amountFen taxFen status issuedAt reversedAt number payments
      }
      pageInfo { hasNextPage endCursor }
      total { issued issuedFen issuedTaxFen reversed reversedFen reversedTaxFen netFen netTaxFen }
    }
  }
`)

export const ShiftReportDocument = graphql(`
  query ShiftReport($from: Date!, $to: Date!, $lotIds: [ID!], $operatorId: ID, $first: Int!, $after: String) {
    shifts(from: $from, to: $to, lotIds: $lotIds, operatorId: $operatorId, first: $first, after: $after) {
      items {
        id lotName laneName operatorName openedAt closedAt cashRecordedFen cashPayments countedCashFen differenceFen
        freeReleases softwareReleases note
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

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
      lotId lotName laneId laneName vehicleClass day turnover figures { ...ReportFiguresFields }
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
  query DailyReport($from: Date!, $to: Date!, $byLane: Boolean!, $lotIds: [ID!]) {
    dailyReport(from: $from, to: $to, byLane: $byLane, lotIds: $lotIds) {
      day lotId lotName laneId laneName figures { ...ReportFiguresFields }
    }
  }
`)

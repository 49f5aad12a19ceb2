// The one way a GraphQL enum value becomes words: `enumLabel('DeviceStatus', 'ONLINE')` is 在线 in zh-CN.
// Enums whose labels were written before this helper keep their keys (one home per text): PREFIX names them;
// every other enum lives under `enum.<EnumName>.<VALUE>` in i18n.ts. An unknown value shows as it came, so a
// value the client has not learned yet is still visible.
import { t } from '../i18n'

const PREFIX: Record<string, string> = {
  AlarmKind: 'alarm.',
  CodeKind: 'code.kind.',
  CouponKind: 'catalogue.couponKind.',
  CouponSource: 'coupon.source.',
  CouponStatus: 'catalogue.couponStatus.',
  DeviceCommandKind: 'devices.command.',
  DeviceCommandStatus: 'devices.commandStatus.',
  DoublePayment: 'double.',
  EventKind: 'corrections.kind.',
  FaultStatus: 'faults.status.',
  GateCommandStatus: 'devices.commandStatus.',
  LaneDirection: 'lane.',
  LedgerKind: 'merchant.ledgerKind.',
  PassPeriod: 'catalogue.period.',
  PaymentChannel: 'channel.',
  RecognitionStatus: 'corrections.status.',
  ReportFlowBy: 'report.by.',
  ReconciliationResult: 'recon.',
  StockSource: 'merchant.stockSource.',
  VehicleCategory: 'catalogue.category.',
}

/** The i18n key of one enum value. */
export function enumKey(enumName: string, value: string): string {
  return `${PREFIX[enumName] ?? `enum.${enumName}.`}${value}`
}

/** The label of one enum value in the current language; empty for no value, the value itself if unknown. */
export function enumLabel(enumName: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  const key = enumKey(enumName, String(value))
  const text = t(key)
  return text === key ? String(value) : text
}

/** Values of the GraphQL enums the dashboard shows, for filters, forms and the completeness test. */
export const ENUM_VALUES = {
  AlarmKind: [
    'UNKNOWN_DEVICE', 'LOW_CONFIDENCE', 'CONFLICTING_READING', 'BLACKLIST', 'EXIT_WITHOUT_ENTRY', 'MANUAL_OPEN',
    'GATE_FAILED', 'LANE_OFFLINE', 'DEVICE_OFFLINE', 'LOT_FULL', 'ARREARS', 'DOUBLE_PAYMENT', 'UNREADABLE_PLATE',
    'CAMERA_CLOCK', 'DEVICE_DATA',
  ],
  AlarmSeverity: ['INFO', 'WARNING', 'CRITICAL'],
  AlarmStatus: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'],
  BillEntryKind: ['PAYMENT', 'REFUND'],
  BuyerKind: ['PERSONAL', 'COMPANY'],
  CodeKind: ['NO_PLATE', 'EXIT', 'IN_LOT', 'MERCHANT', 'CONFERENCE', 'VIP'],
  CommandDelivery: ['ADAPTER', 'POLL_REPLY', 'PUSH_REPLY', 'DETECTED', 'NONE'],
  CouponKind: ['MINUTES', 'AMOUNT', 'PERCENT', 'FULL', 'UNTIL'],
  CouponSource: ['MERCHANT', 'CLAIM', 'VIP', 'CONFERENCE', 'LOT'],
  CouponStatus: ['ISSUED', 'REDEEMED', 'EXPIRED', 'VOID'],
  DeviceCommandKind: ['OPEN_GATE', 'CLOSE_GATE', 'REBOOT', 'PUSH_WHITELIST'],
  DeviceCommandStatus: ['PENDING', 'SENT', 'DONE', 'FAILED', 'EXPIRED'],
  DeviceKind: ['CONTROLLER', 'CAMERA', 'DISPLAY', 'KIOSK', 'BOOTH_TERMINAL', 'INTERCOM'],
  DeviceStatus: ['UNKNOWN', 'ONLINE', 'OFFLINE', 'RETRYING'],
  DoublePayment: ['ALREADY_SETTLED', 'PAID_AFTER_CLOSE', 'SECOND_TRANSACTION', 'SOLD_OUT'],
  DuplicateEntryPolicy: ['CLOSE_AT_ZERO', 'FLAG_ABNORMAL', 'CARRY_AS_ARREARS'],
  EventKind: ['ENTRY', 'EXIT', 'INNER_ENTRY', 'INNER_EXIT'],
  ExemptKind: [
    'MONTHLY', 'EXEMPT', 'EMERGENCY', 'MILITARY', 'POLICE', 'FIRE', 'AMBULANCE', 'DISASTER_RELIEF',
    'MUNICIPAL_REPAIR', 'SANITATION', 'FUNERAL', 'DISABLED', 'SCHOOL_BUS',
  ],
  FaultStatus: ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'],
  FeeLineKind: [
    'EXEMPT', 'FREE', 'FIRST_PERIOD', 'UNITS', 'FLAT', 'PER_ENTRY', 'CAP', 'TARIFF_CHANGE', 'DISCOUNT', 'ROUNDING',
    'PAID',
  ],
  GateCommandKind: ['OPEN', 'CLOSE'],
  GateCommandStatus: ['PENDING', 'SENT', 'DONE', 'FAILED', 'EXPIRED'],
  InvoiceStatus: ['REQUESTED', 'ISSUING', 'ISSUED', 'FAILED', 'VOID', 'REVERSING', 'REVERSED'],
  LaneDirection: ['ENTRY', 'EXIT'],
  LaneMode: ['AUTO', 'ATTENDED', 'REMOTE'],
  LedgerKind: ['TOP_UP', 'PURCHASE', 'CREDIT', 'REFUND', 'ADJUSTMENT'],
  OrderStatus: ['CREATED', 'PAYING', 'PAID', 'FAILED', 'CLOSED', 'PARTLY_REFUNDED', 'REFUNDED'],
  PassPeriod: ['MONTH', 'QUARTER', 'YEAR'],
  PassStatus: ['ACTIVE', 'SUSPENDED', 'CANCELLED'],
  PaymentChannel: [
    'WECHAT_JSAPI', 'WECHAT_NATIVE', 'WECHAT_PARKING', 'ALIPAY_QR', 'ALIPAY_MINI', 'CASH', 'BOOTH', 'WALLET',
  ],
  PaymentPurpose: [
    'PARKING_EXIT', 'PARKING_PREPAY', 'NO_PLATE_EXIT', 'PASS_PURCHASE', 'PASS_RENEWAL', 'COUPON_PURCHASE', 'ARREARS',
  ],
  PlateColor: ['BLUE', 'YELLOW', 'GREEN', 'WHITE', 'BLACK', 'YELLOW_GREEN', 'UNKNOWN'],
  ReadingSource: ['CAMERA', 'CLOUD', 'OPERATOR', 'EDGE', 'QR_SCAN'],
  RecognitionStatus: ['CONFIRMED', 'OPEN', 'CORRECTED'],
  ReconciliationResult: ['MATCHED', 'MISSING_OURS', 'MISSING_THEIRS', 'AMOUNT_MISMATCH', 'DOUBLE_PAYMENT'],
  ReconciliationRunStatus: ['SUCCEEDED', 'FAILED'],
  RefundStatus: ['REQUESTED', 'APPROVED', 'REJECTED', 'PROCESSING', 'SUCCEEDED', 'FAILED'],
  ReportFeeKind: ['TEMPORARY', 'LONG_TERM', 'COUPON_PACK'],
  ReportFlowBy: ['LOT', 'AREA', 'REGION', 'LANE', 'VEHICLE_CLASS', 'DAY'],
  ReleaseMethod: ['AUTOMATIC', 'SOFTWARE', 'EXIT_SCAN', 'FREE', 'PREPAID', 'FRICTIONLESS'],
  ScopeLevel: ['PLATFORM', 'AGENT', 'CUSTOMER', 'LOT'],
  SessionState: ['IN_LOT', 'EXITED', 'ABNORMAL'],
  StayCategory: ['TEMPORARY', 'MONTHLY', 'EXEMPT', 'EMERGENCY', 'MILITARY'],
  StockSource: ['PURCHASE', 'CREDIT'],
  VehicleCategory: [
    'TEMPORARY', 'MONTHLY', 'QUARTERLY', 'YEARLY', 'VISITOR', 'EXEMPT', 'VIP', 'OFFICIAL', 'TEAM', 'TIME_CONTROLLED',
    'OFF_PEAK', 'BLACKLIST',
  ],
  VehicleClass: ['SMALL', 'LARGE', 'MOTORCYCLE', 'NEW_ENERGY'],
  // Not GraphQL enums but server strings shown as labels (see the i18n block of the same names).
  DecisionReason: [
    'welcome', 'pass_holder', 'free_list', 'visitor', 'blacklist', 'category_not_allowed', 'outside_hours',
    'lot_full', 'no_plate', 'awaiting_operator', 'already_inside', 'already_left', 'nothing_due', 'tariff_exempt',
    'paid', 'in_grace', 'fee_due', 'frictionless', 'exit_without_entry', 'uncertain_reading', 'inner_entry',
    'inner_exit',
  ],
  Barrier: ['OPEN', 'CLOSED', 'UNKNOWN'],
  PermissionMenu: [
    'dashboard', 'tenancy', 'owners', 'records', 'cloud_seat', 'finance', 'tariffs', 'devices', 'settings',
    'merchant',
  ],
  Permission: [
    'dashboard.view', 'agents.view', 'agents.manage', 'customers.view', 'customers.manage', 'lots.view',
    'lots.manage', 'devices.view', 'devices.manage', 'owners.view', 'owners.manage', 'passes.manage', 'tariffs.view',
    'tariffs.manage', 'records.view', 'alarms.view', 'alarms.handle', 'gate.remote_open', 'sessions.correct',
    'fees.waive', 'cash.collect', 'finance.view', 'refunds.request', 'refunds.approve', 'merchants.manage',
    'faults.manage', 'operators.view', 'operators.manage', 'roles.manage', 'api_keys.manage', 'audit.view',
    'coupons.issue', 'coupons.buy', 'merchant_stats.view',
  ],
  AuditEntity: [
    'agent', 'alarm', 'apikey', 'area', 'coupon', 'couponstock', 'coupon_stock', 'coupontemplate', 'customer',
    'device', 'deviceclock', 'devicecommand', 'devicemessage', 'devicerefusal', 'drivermessage', 'faultticket',
    'frictionlessparking', 'gatecommand', 'gate_command', 'invoice', 'lane', 'laneevent', 'listentry', 'lot',
    'merchant', 'merchantledgerentry', 'merchantlot', 'operator', 'owner', 'parkingcode', 'parkingsession',
    'parking_session', 'pass', 'passproduct', 'passrenewal', 'paymentorder', 'payment_order', 'platerecognition',
    'reconciliationitem', 'reconciliationrun', 'refund', 'role', 'settlementline', 'settlementstatement',
    'tariffversion', 'vehicle', 'vehiclegroup', 'wallet', 'walletentry', 'cashier_shift',
  ],
  AuditVerb: ['create', 'update', 'delete'],
  AuditAction: [
    'alarm.acknowledge', 'alarm.resolve', 'coupon.issue', 'coupon.void', 'coupon_pack.order', 'coupon_stock.credit',
    'lane.remote_open', 'lot.payment_settings_update', 'merchant.top_up', 'payment.cash', 'payment.wallet',
    'refund.request', 'refund.approve', 'refund.reject', 'session.correct_plate', 'session.match_exit',
    'session.waive_fee', 'shift.open', 'shift.close',
  ],
} as const satisfies Record<string, readonly string[]>

export type EnumName = keyof typeof ENUM_VALUES

/** An audit action in words: a named one (远程开闸), else `<entity>.<verb>` as verb and entity (新增操作员); an
 * action the client has no words for shows as its code. */
export function auditAction(action: string): string {
  const named = enumLabel('AuditAction', action)
  if (named !== action) return named
  const dot = action.lastIndexOf('.')
  const [entity, verb] = [action.slice(0, dot), action.slice(dot + 1)]
  const [entityText, verbText] = [enumLabel('AuditEntity', entity), enumLabel('AuditVerb', verb)]
  if (dot < 0 || entityText === entity || verbText === verb) return action
  return t('audit.action').replace('{verb}', verbText).replace('{entity}', entityText)
}

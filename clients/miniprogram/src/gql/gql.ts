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
    "\n  mutation MpOperatorLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n": typeof types.MpOperatorLoginDocument,
    "\n  query MpOperatorMe {\n    me { name permissions merchantId lotIds }\n  }\n": typeof types.MpOperatorMeDocument,
    "\n  mutation MpOperatorWechatLogin($code: String!) {\n    operatorWechatLogin(input: { code: $code }) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n": typeof types.MpOperatorWechatLoginDocument,
    "\n  mutation MpOperatorWechatBind($code: String!) {\n    operatorWechatBind(input: { code: $code }) {\n      __typename\n      ... on AccountError { code message }\n    }\n  }\n": typeof types.MpOperatorWechatBindDocument,
    "\n  mutation MpMerchantJoin($input: MerchantJoinInput!) {\n    merchantJoin(input: $input) {\n      __typename\n      ... on MerchantOperatorSuccess { operator { id username } }\n      ... on MerchantError { code message field }\n    }\n  }\n": typeof types.MpMerchantJoinDocument,
    "\n  mutation MpPaymentCreate($input: PaymentCreateInput!) {\n    paymentCreate(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess {\n        clientParams\n        order { outTradeNo status amountFen couponFen plate }\n      }\n      ... on PaymentError { code message }\n    }\n  }\n": typeof types.MpPaymentCreateDocument,
    "\n  query MpPaymentStatus($outTradeNo: String!) {\n    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }\n  }\n": typeof types.MpPaymentStatusDocument,
    "\n  query MpSubscribeTemplates($lotId: ID) {\n    subscribeTemplates(lotId: $lotId)\n  }\n": typeof types.MpSubscribeTemplatesDocument,
    "\n  query MpMerchantHome($merchantId: ID!, $from: Date!, $to: Date!) {\n    merchant(id: $merchantId) { id name lotId }\n    couponStocks(filter: { merchantId: $merchantId }, first: 100) {\n      items { id templateId templateName quantity remaining }\n    }\n    couponTemplates(filter: { isActive: true }, first: 100) {\n      items { id name priceFen }\n    }\n    merchantStatistics(filter: { from: $from, to: $to, merchantId: $merchantId }) {\n      merchantId merchantName issued redeemed discountFen boughtFen stockRemaining\n    }\n    parkingCodes(filter: { merchantId: $merchantId, kind: MERCHANT }, first: 10) {\n      items { id label expiresAt }\n    }\n  }\n": typeof types.MpMerchantHomeDocument,
    "\n  mutation MpCouponIssue($input: CouponIssueInput!) {\n    couponIssue(input: $input) {\n      __typename\n      ... on CouponSuccess { coupon { id code plate } }\n      ... on MerchantError { code message }\n    }\n  }\n": typeof types.MpCouponIssueDocument,
    "\n  mutation MpCouponPackBuy($input: CouponPackBuyInput!) {\n    couponPackBuy(input: $input) {\n      __typename\n      ... on CouponPackBuySuccess { clientParams order { outTradeNo amountFen } }\n      ... on MerchantError { code message }\n    }\n  }\n": typeof types.MpCouponPackBuyDocument,
    "\n  mutation MpMerchantCodeCreate($input: ParkingCodeCreateInput!) {\n    parkingCodeCreate(input: $input) {\n      __typename\n      ... on CodeError { code message }\n    }\n  }\n": typeof types.MpMerchantCodeCreateDocument,
    "\n  mutation MpFaultTicketCreate($input: FaultTicketCreateInput!) {\n    faultTicketCreate(input: $input) {\n      __typename\n      ... on FaultTicketSuccess { ticket { id } }\n      ... on FaultError { code message }\n    }\n  }\n": typeof types.MpFaultTicketCreateDocument,
    "\n  query MpStaffLanes {\n    lanes(first: 100) { items { id name direction lot { id name } } }\n  }\n": typeof types.MpStaffLanesDocument,
    "\n  query MpStaffLaneEvents {\n    laneEvents(first: 50) { items { id laneId at plate kind opened decisionReason } }\n  }\n": typeof types.MpStaffLaneEventsDocument,
    "\n  subscription MpStaffLaneEventsLive($laneIds: [ID!]) {\n    laneEvents(laneIds: $laneIds) { id laneId at plate kind opened decisionReason }\n  }\n": typeof types.MpStaffLaneEventsLiveDocument,
    "\n  query MpStaffToday($day: Date!) {\n    revenueByDay(from: $day, to: $day) { paidFen refundedFen orders }\n    traffic(from: $day, to: $day) { entries exits }\n  }\n": typeof types.MpStaffTodayDocument,
    "\n  mutation MpLaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id status } }\n      ... on LaneError { code message }\n    }\n  }\n": typeof types.MpLaneRemoteOpenDocument,
    "\n  query MpStaffPassProducts($lotId: ID!) {\n    passProducts(filter: { lotId: $lotId, isActive: true }, first: 100) { items { id name priceFen period } }\n  }\n": typeof types.MpStaffPassProductsDocument,
    "\n  mutation MpListEntryCreate($input: ListEntryCreateInput!) {\n    listEntryCreate(input: $input) {\n      __typename\n      ... on ListEntrySuccess { entry { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n": typeof types.MpListEntryCreateDocument,
    "\n  mutation MpVehicleCreate($input: VehicleCreateInput!) {\n    vehicleCreate(input: $input) {\n      __typename\n      ... on VehicleSuccess { vehicle { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n": typeof types.MpVehicleCreateDocument,
    "\n  mutation MpPassCreate($input: PassCreateInput!) {\n    passCreate(input: $input) {\n      __typename\n      ... on PassSuccess { pass { id endsAt } }\n      ... on VehicleError { code message }\n    }\n  }\n": typeof types.MpPassCreateDocument,
    "\n  query MpMyShift {\n    myOpenShift { id lotName laneName openedAt cashRecordedFen cashPayments }\n    shiftPlaces { lotId lotName lanes { id name } }\n  }\n": typeof types.MpMyShiftDocument,
    "\n  mutation MpShiftOpen($lotId: ID!, $laneId: ID) {\n    shiftOpen(lotId: $lotId, laneId: $laneId) {\n      __typename\n      ... on ShiftSuccess { shift { id lotName laneName openedAt cashRecordedFen cashPayments } }\n      ... on ShiftError { code message }\n    }\n  }\n": typeof types.MpShiftOpenDocument,
    "\n  mutation MpShiftClose($id: ID!, $countedCashFen: Fen!, $note: String!) {\n    shiftClose(id: $id, countedCashFen: $countedCashFen, note: $note) {\n      __typename\n      ... on ShiftSuccess {\n        shift { id lotName cashRecordedFen cashPayments countedCashFen differenceFen freeReleases softwareReleases }\n      }\n      ... on ShiftError { code message }\n    }\n  }\n": typeof types.MpShiftCloseDocument,
    "\n  query MpPlateStays($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess {\n        stays { lotName lotId enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen couponFen }\n      }\n      ... on DriverError { code message }\n    }\n  }\n": typeof types.MpPlateStaysDocument,
    "\n  mutation MpInvoiceRequest($input: InvoiceRequestInput!) {\n    invoiceRequest(input: $input) {\n      __typename\n      ... on DriverInvoiceSuccess { invoice { id status amountFen } }\n      ... on InvoiceError { code message field }\n    }\n  }\n": typeof types.MpInvoiceRequestDocument,
    "\n  query MpInvoiceablePayments($after: String) {\n    invoiceablePayments(first: 50, after: $after) {\n      items { orderId lotId lotName plate amountFen paidAt invoiceUntil }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MpInvoiceablePaymentsDocument,
    "\n  query MpMyInvoices($after: String) {\n    myInvoices(first: 20, after: $after) {\n      items { id amountFen title buyerKind status number orderIds issuedAt createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.MpMyInvoicesDocument,
    "\n  query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {\n    lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {\n      lotId name address latitude longitude distanceM freeSpaces totalSpaces tariffSummary\n    }\n  }\n": typeof types.MpLotsNearbyDocument,
    "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n": typeof types.MpOffPeakProductsDocument,
    "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n": typeof types.MpPassBuyDocument,
    "\n  query MpMyPlates {\n    myPlates { plate boundAt proven }\n  }\n": typeof types.MpMyPlatesDocument,
    "\n  mutation MpPlateBind($plate: String!) {\n    plateBind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n": typeof types.MpPlateBindDocument,
    "\n  mutation MpPlateUnbind($plate: String!) {\n    plateUnbind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n": typeof types.MpPlateUnbindDocument,
    "\n  query MpPlateHistory($plate: String!, $after: String) {\n    plateHistory(plate: $plate, first: 20, after: $after) {\n      __typename\n      ... on PlateHistorySuccess {\n        items { lotId lotName enteredAt exitedAt paidFen inLot }\n        pageInfo { hasNextPage endCursor }\n      }\n      ... on DriverError { code message }\n    }\n  }\n": typeof types.MpPlateHistoryDocument,
    "\n  query MpStayGrace($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess { stays { lotId graceEndsAt } }\n      ... on DriverError { code message }\n    }\n  }\n": typeof types.MpStayGraceDocument,
};
const documents: Documents = {
    "\n  mutation MpOperatorLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n": types.MpOperatorLoginDocument,
    "\n  query MpOperatorMe {\n    me { name permissions merchantId lotIds }\n  }\n": types.MpOperatorMeDocument,
    "\n  mutation MpOperatorWechatLogin($code: String!) {\n    operatorWechatLogin(input: { code: $code }) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n": types.MpOperatorWechatLoginDocument,
    "\n  mutation MpOperatorWechatBind($code: String!) {\n    operatorWechatBind(input: { code: $code }) {\n      __typename\n      ... on AccountError { code message }\n    }\n  }\n": types.MpOperatorWechatBindDocument,
    "\n  mutation MpMerchantJoin($input: MerchantJoinInput!) {\n    merchantJoin(input: $input) {\n      __typename\n      ... on MerchantOperatorSuccess { operator { id username } }\n      ... on MerchantError { code message field }\n    }\n  }\n": types.MpMerchantJoinDocument,
    "\n  mutation MpPaymentCreate($input: PaymentCreateInput!) {\n    paymentCreate(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess {\n        clientParams\n        order { outTradeNo status amountFen couponFen plate }\n      }\n      ... on PaymentError { code message }\n    }\n  }\n": types.MpPaymentCreateDocument,
    "\n  query MpPaymentStatus($outTradeNo: String!) {\n    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }\n  }\n": types.MpPaymentStatusDocument,
    "\n  query MpSubscribeTemplates($lotId: ID) {\n    subscribeTemplates(lotId: $lotId)\n  }\n": types.MpSubscribeTemplatesDocument,
    "\n  query MpMerchantHome($merchantId: ID!, $from: Date!, $to: Date!) {\n    merchant(id: $merchantId) { id name lotId }\n    couponStocks(filter: { merchantId: $merchantId }, first: 100) {\n      items { id templateId templateName quantity remaining }\n    }\n    couponTemplates(filter: { isActive: true }, first: 100) {\n      items { id name priceFen }\n    }\n    merchantStatistics(filter: { from: $from, to: $to, merchantId: $merchantId }) {\n      merchantId merchantName issued redeemed discountFen boughtFen stockRemaining\n    }\n    parkingCodes(filter: { merchantId: $merchantId, kind: MERCHANT }, first: 10) {\n      items { id label expiresAt }\n    }\n  }\n": types.MpMerchantHomeDocument,
    "\n  mutation MpCouponIssue($input: CouponIssueInput!) {\n    couponIssue(input: $input) {\n      __typename\n      ... on CouponSuccess { coupon { id code plate } }\n      ... on MerchantError { code message }\n    }\n  }\n": types.MpCouponIssueDocument,
    "\n  mutation MpCouponPackBuy($input: CouponPackBuyInput!) {\n    couponPackBuy(input: $input) {\n      __typename\n      ... on CouponPackBuySuccess { clientParams order { outTradeNo amountFen } }\n      ... on MerchantError { code message }\n    }\n  }\n": types.MpCouponPackBuyDocument,
    "\n  mutation MpMerchantCodeCreate($input: ParkingCodeCreateInput!) {\n    parkingCodeCreate(input: $input) {\n      __typename\n      ... on CodeError { code message }\n    }\n  }\n": types.MpMerchantCodeCreateDocument,
    "\n  mutation MpFaultTicketCreate($input: FaultTicketCreateInput!) {\n    faultTicketCreate(input: $input) {\n      __typename\n      ... on FaultTicketSuccess { ticket { id } }\n      ... on FaultError { code message }\n    }\n  }\n": types.MpFaultTicketCreateDocument,
    "\n  query MpStaffLanes {\n    lanes(first: 100) { items { id name direction lot { id name } } }\n  }\n": types.MpStaffLanesDocument,
    "\n  query MpStaffLaneEvents {\n    laneEvents(first: 50) { items { id laneId at plate kind opened decisionReason } }\n  }\n": types.MpStaffLaneEventsDocument,
    "\n  subscription MpStaffLaneEventsLive($laneIds: [ID!]) {\n    laneEvents(laneIds: $laneIds) { id laneId at plate kind opened decisionReason }\n  }\n": types.MpStaffLaneEventsLiveDocument,
    "\n  query MpStaffToday($day: Date!) {\n    revenueByDay(from: $day, to: $day) { paidFen refundedFen orders }\n    traffic(from: $day, to: $day) { entries exits }\n  }\n": types.MpStaffTodayDocument,
    "\n  mutation MpLaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id status } }\n      ... on LaneError { code message }\n    }\n  }\n": types.MpLaneRemoteOpenDocument,
    "\n  query MpStaffPassProducts($lotId: ID!) {\n    passProducts(filter: { lotId: $lotId, isActive: true }, first: 100) { items { id name priceFen period } }\n  }\n": types.MpStaffPassProductsDocument,
    "\n  mutation MpListEntryCreate($input: ListEntryCreateInput!) {\n    listEntryCreate(input: $input) {\n      __typename\n      ... on ListEntrySuccess { entry { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n": types.MpListEntryCreateDocument,
    "\n  mutation MpVehicleCreate($input: VehicleCreateInput!) {\n    vehicleCreate(input: $input) {\n      __typename\n      ... on VehicleSuccess { vehicle { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n": types.MpVehicleCreateDocument,
    "\n  mutation MpPassCreate($input: PassCreateInput!) {\n    passCreate(input: $input) {\n      __typename\n      ... on PassSuccess { pass { id endsAt } }\n      ... on VehicleError { code message }\n    }\n  }\n": types.MpPassCreateDocument,
    "\n  query MpMyShift {\n    myOpenShift { id lotName laneName openedAt cashRecordedFen cashPayments }\n    shiftPlaces { lotId lotName lanes { id name } }\n  }\n": types.MpMyShiftDocument,
    "\n  mutation MpShiftOpen($lotId: ID!, $laneId: ID) {\n    shiftOpen(lotId: $lotId, laneId: $laneId) {\n      __typename\n      ... on ShiftSuccess { shift { id lotName laneName openedAt cashRecordedFen cashPayments } }\n      ... on ShiftError { code message }\n    }\n  }\n": types.MpShiftOpenDocument,
    "\n  mutation MpShiftClose($id: ID!, $countedCashFen: Fen!, $note: String!) {\n    shiftClose(id: $id, countedCashFen: $countedCashFen, note: $note) {\n      __typename\n      ... on ShiftSuccess {\n        shift { id lotName cashRecordedFen cashPayments countedCashFen differenceFen freeReleases softwareReleases }\n      }\n      ... on ShiftError { code message }\n    }\n  }\n": types.MpShiftCloseDocument,
    "\n  query MpPlateStays($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess {\n        stays { lotName lotId enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen couponFen }\n      }\n      ... on DriverError { code message }\n    }\n  }\n": types.MpPlateStaysDocument,
    "\n  mutation MpInvoiceRequest($input: InvoiceRequestInput!) {\n    invoiceRequest(input: $input) {\n      __typename\n      ... on DriverInvoiceSuccess { invoice { id status amountFen } }\n      ... on InvoiceError { code message field }\n    }\n  }\n": types.MpInvoiceRequestDocument,
    "\n  query MpInvoiceablePayments($after: String) {\n    invoiceablePayments(first: 50, after: $after) {\n      items { orderId lotId lotName plate amountFen paidAt invoiceUntil }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MpInvoiceablePaymentsDocument,
    "\n  query MpMyInvoices($after: String) {\n    myInvoices(first: 20, after: $after) {\n      items { id amountFen title buyerKind status number orderIds issuedAt createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.MpMyInvoicesDocument,
    "\n  query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {\n    lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {\n      lotId name address latitude longitude distanceM freeSpaces totalSpaces tariffSummary\n    }\n  }\n": types.MpLotsNearbyDocument,
    "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n": types.MpOffPeakProductsDocument,
    "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n": types.MpPassBuyDocument,
    "\n  query MpMyPlates {\n    myPlates { plate boundAt proven }\n  }\n": types.MpMyPlatesDocument,
    "\n  mutation MpPlateBind($plate: String!) {\n    plateBind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n": types.MpPlateBindDocument,
    "\n  mutation MpPlateUnbind($plate: String!) {\n    plateUnbind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n": types.MpPlateUnbindDocument,
    "\n  query MpPlateHistory($plate: String!, $after: String) {\n    plateHistory(plate: $plate, first: 20, after: $after) {\n      __typename\n      ... on PlateHistorySuccess {\n        items { lotId lotName enteredAt exitedAt paidFen inLot }\n        pageInfo { hasNextPage endCursor }\n      }\n      ... on DriverError { code message }\n    }\n  }\n": types.MpPlateHistoryDocument,
    "\n  query MpStayGrace($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess { stays { lotId graceEndsAt } }\n      ... on DriverError { code message }\n    }\n  }\n": types.MpStayGraceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpOperatorLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n"): typeof import('./graphql').MpOperatorLoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpOperatorMe {\n    me { name permissions merchantId lotIds }\n  }\n"): typeof import('./graphql').MpOperatorMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpOperatorWechatLogin($code: String!) {\n    operatorWechatLogin(input: { code: $code }) {\n      __typename\n      ... on LoginSuccess { token expiresIn }\n      ... on AccountError { code message }\n    }\n  }\n"): typeof import('./graphql').MpOperatorWechatLoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpOperatorWechatBind($code: String!) {\n    operatorWechatBind(input: { code: $code }) {\n      __typename\n      ... on AccountError { code message }\n    }\n  }\n"): typeof import('./graphql').MpOperatorWechatBindDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpMerchantJoin($input: MerchantJoinInput!) {\n    merchantJoin(input: $input) {\n      __typename\n      ... on MerchantOperatorSuccess { operator { id username } }\n      ... on MerchantError { code message field }\n    }\n  }\n"): typeof import('./graphql').MpMerchantJoinDocument;
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
export function graphql(source: "\n  query MpSubscribeTemplates($lotId: ID) {\n    subscribeTemplates(lotId: $lotId)\n  }\n"): typeof import('./graphql').MpSubscribeTemplatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpMerchantHome($merchantId: ID!, $from: Date!, $to: Date!) {\n    merchant(id: $merchantId) { id name lotId }\n    couponStocks(filter: { merchantId: $merchantId }, first: 100) {\n      items { id templateId templateName quantity remaining }\n    }\n    couponTemplates(filter: { isActive: true }, first: 100) {\n      items { id name priceFen }\n    }\n    merchantStatistics(filter: { from: $from, to: $to, merchantId: $merchantId }) {\n      merchantId merchantName issued redeemed discountFen boughtFen stockRemaining\n    }\n    parkingCodes(filter: { merchantId: $merchantId, kind: MERCHANT }, first: 10) {\n      items { id label expiresAt }\n    }\n  }\n"): typeof import('./graphql').MpMerchantHomeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpCouponIssue($input: CouponIssueInput!) {\n    couponIssue(input: $input) {\n      __typename\n      ... on CouponSuccess { coupon { id code plate } }\n      ... on MerchantError { code message }\n    }\n  }\n"): typeof import('./graphql').MpCouponIssueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpCouponPackBuy($input: CouponPackBuyInput!) {\n    couponPackBuy(input: $input) {\n      __typename\n      ... on CouponPackBuySuccess { clientParams order { outTradeNo amountFen } }\n      ... on MerchantError { code message }\n    }\n  }\n"): typeof import('./graphql').MpCouponPackBuyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpMerchantCodeCreate($input: ParkingCodeCreateInput!) {\n    parkingCodeCreate(input: $input) {\n      __typename\n      ... on CodeError { code message }\n    }\n  }\n"): typeof import('./graphql').MpMerchantCodeCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpFaultTicketCreate($input: FaultTicketCreateInput!) {\n    faultTicketCreate(input: $input) {\n      __typename\n      ... on FaultTicketSuccess { ticket { id } }\n      ... on FaultError { code message }\n    }\n  }\n"): typeof import('./graphql').MpFaultTicketCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpStaffLanes {\n    lanes(first: 100) { items { id name direction lot { id name } } }\n  }\n"): typeof import('./graphql').MpStaffLanesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpStaffLaneEvents {\n    laneEvents(first: 50) { items { id laneId at plate kind opened decisionReason } }\n  }\n"): typeof import('./graphql').MpStaffLaneEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MpStaffLaneEventsLive($laneIds: [ID!]) {\n    laneEvents(laneIds: $laneIds) { id laneId at plate kind opened decisionReason }\n  }\n"): typeof import('./graphql').MpStaffLaneEventsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpStaffToday($day: Date!) {\n    revenueByDay(from: $day, to: $day) { paidFen refundedFen orders }\n    traffic(from: $day, to: $day) { entries exits }\n  }\n"): typeof import('./graphql').MpStaffTodayDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpLaneRemoteOpen($laneId: ID!, $reason: String!) {\n    laneRemoteOpen(laneId: $laneId, reason: $reason) {\n      __typename\n      ... on GateCommandSuccess { command { id status } }\n      ... on LaneError { code message }\n    }\n  }\n"): typeof import('./graphql').MpLaneRemoteOpenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpStaffPassProducts($lotId: ID!) {\n    passProducts(filter: { lotId: $lotId, isActive: true }, first: 100) { items { id name priceFen period } }\n  }\n"): typeof import('./graphql').MpStaffPassProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpListEntryCreate($input: ListEntryCreateInput!) {\n    listEntryCreate(input: $input) {\n      __typename\n      ... on ListEntrySuccess { entry { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n"): typeof import('./graphql').MpListEntryCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpVehicleCreate($input: VehicleCreateInput!) {\n    vehicleCreate(input: $input) {\n      __typename\n      ... on VehicleSuccess { vehicle { id plate } }\n      ... on VehicleError { code message }\n    }\n  }\n"): typeof import('./graphql').MpVehicleCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPassCreate($input: PassCreateInput!) {\n    passCreate(input: $input) {\n      __typename\n      ... on PassSuccess { pass { id endsAt } }\n      ... on VehicleError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPassCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpMyShift {\n    myOpenShift { id lotName laneName openedAt cashRecordedFen cashPayments }\n    shiftPlaces { lotId lotName lanes { id name } }\n  }\n"): typeof import('./graphql').MpMyShiftDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpShiftOpen($lotId: ID!, $laneId: ID) {\n    shiftOpen(lotId: $lotId, laneId: $laneId) {\n      __typename\n      ... on ShiftSuccess { shift { id lotName laneName openedAt cashRecordedFen cashPayments } }\n      ... on ShiftError { code message }\n    }\n  }\n"): typeof import('./graphql').MpShiftOpenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpShiftClose($id: ID!, $countedCashFen: Fen!, $note: String!) {\n    shiftClose(id: $id, countedCashFen: $countedCashFen, note: $note) {\n      __typename\n      ... on ShiftSuccess {\n        shift { id lotName cashRecordedFen cashPayments countedCashFen differenceFen freeReleases softwareReleases }\n      }\n      ... on ShiftError { code message }\n    }\n  }\n"): typeof import('./graphql').MpShiftCloseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpPlateStays($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess {\n        stays { lotName lotId enteredAt owedFen graceEndsAt stayToken maskedPlate paidFen couponFen }\n      }\n      ... on DriverError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPlateStaysDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpInvoiceRequest($input: InvoiceRequestInput!) {\n    invoiceRequest(input: $input) {\n      __typename\n      ... on DriverInvoiceSuccess { invoice { id status amountFen } }\n      ... on InvoiceError { code message field }\n    }\n  }\n"): typeof import('./graphql').MpInvoiceRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpInvoiceablePayments($after: String) {\n    invoiceablePayments(first: 50, after: $after) {\n      items { orderId lotId lotName plate amountFen paidAt invoiceUntil }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').MpInvoiceablePaymentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpMyInvoices($after: String) {\n    myInvoices(first: 20, after: $after) {\n      items { id amountFen title buyerKind status number orderIds issuedAt createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').MpMyInvoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpLotsNearby($latitude: Float!, $longitude: Float!, $radiusKm: Float) {\n    lotsNearby(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm) {\n      lotId name address latitude longitude distanceM freeSpaces totalSpaces tariffSummary\n    }\n  }\n"): typeof import('./graphql').MpLotsNearbyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpOffPeakProducts($lotId: ID!) {\n    offPeakProducts(lotId: $lotId) {\n      id name priceFen windowStart windowEnd startsAt endsAt spacesLeft\n    }\n  }\n"): typeof import('./graphql').MpOffPeakProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPassBuy($input: PassBuyInput!) {\n    passBuy(input: $input) {\n      __typename\n      ... on PaymentCreateSuccess { clientParams order { outTradeNo amountFen } }\n      ... on PaymentError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPassBuyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpMyPlates {\n    myPlates { plate boundAt proven }\n  }\n"): typeof import('./graphql').MpMyPlatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPlateBind($plate: String!) {\n    plateBind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPlateBindDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MpPlateUnbind($plate: String!) {\n    plateUnbind(input: { plate: $plate }) {\n      __typename\n      ... on DriverPlate { plate boundAt proven }\n      ... on DriverError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPlateUnbindDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpPlateHistory($plate: String!, $after: String) {\n    plateHistory(plate: $plate, first: 20, after: $after) {\n      __typename\n      ... on PlateHistorySuccess {\n        items { lotId lotName enteredAt exitedAt paidFen inLot }\n        pageInfo { hasNextPage endCursor }\n      }\n      ... on DriverError { code message }\n    }\n  }\n"): typeof import('./graphql').MpPlateHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MpStayGrace($plate: String!) {\n    plateStays(plate: $plate) {\n      __typename\n      ... on PlateStaysSuccess { stays { lotId graceEndsAt } }\n      ... on DriverError { code message }\n    }\n  }\n"): typeof import('./graphql').MpStayGraceDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

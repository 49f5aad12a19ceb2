// 明细报表 (收费明细, 续费明细, 交接班): what the detail pages share apart from Vue: the keyset pages the API
// answers (latest first, `after` the previous page's endCursor) gathered into one list, and a row's words.
import { enumLabel } from './enums'
import { yuan } from './format'

/** Rows asked for per page: the API takes at most 100. */
export const DETAIL_PAGE_SIZE = 50

export interface PageInfo {
  hasNextPage: boolean
  endCursor?: string | null
}

export interface Page<Row> {
  items: readonly Row[]
  pageInfo: PageInfo
}

/** The rows read so far and where the next page starts (null: none left). */
export interface Pages<Row> {
  rows: Row[]
  after: string | null
}

export const NO_PAGES: Pages<never> = { rows: [], after: null }

/**
 * The list once `page` is read: the first page (`more` false) replaces what was shown, a later one is added below.
 * A page that says there is more but gives no cursor ends the list rather than asking for the same page again.
 */
export function withPage<Row>(shown: Pages<Row>, page: Page<Row>, more: boolean): Pages<Row> {
  const rows = more ? [...shown.rows, ...page.items] : [...page.items]
  const after = page.pageInfo.hasNextPage && page.pageInfo.endCursor ? page.pageInfo.endCursor : null
  return { rows, after }
}

/** Payment channels in words, first paid first (收费明细: a stay paid in two goes). */
export function channelsText(channels: readonly string[]): string {
  return channels.map((c) => enumLabel('PaymentChannel', c)).join('、')
}

/** The codes of the coupons used on a stay, as the download lists them. */
export function couponsText(codes: readonly string[]): string {
  return codes.join(' ')
}

/** A signed amount in yuan: a shift's difference (counted − recorded) reads "+1.00" over, "-1.00" short. */
export function signedYuan(fen: number): string {
  return fen > 0 ? `+${yuan(fen)}` : yuan(fen)
}

/** How a shift's cash stands: still open (nothing counted), balanced, over or short. */
export type CashState = 'open' | 'even' | 'over' | 'short'

export function cashState(differenceFen: number | null | undefined): CashState {
  if (differenceFen === null || differenceFen === undefined) return 'open'
  if (differenceFen === 0) return 'even'
  return differenceFen > 0 ? 'over' : 'short'
}

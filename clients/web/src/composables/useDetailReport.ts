// A detail report page's state (收费明细, 续费明细, 电子发票明细, 交接班): the shared filter and downloads of
// useReportFilter, and the rows of the page's query read page by page with urql, bypassing the cache ("加载更多"
// asks for the next page of the search shown, not of a filter edited since).
import { computed, ref, shallowRef } from 'vue'
import { useClientHandle, type AnyVariables, type DocumentInput } from '@urql/vue'
import { useReportFilter } from './useReportFilter'
import { DETAIL_PAGE_SIZE, NO_PAGES, withPage, type Page, type Pages } from '../lib/details'
import type { ReportName, reportVariables } from '../lib/reports'
import { t } from '../i18n'

export type DetailVariables = ReturnType<typeof reportVariables> & { first: number; after: string | null }

export interface DetailReport<Data, Answer extends Page<unknown>, Vars extends AnyVariables> {
  /** The report's name in /api/reports. */
  name: ReportName
  /** The page's query: one page of the report for the range, lots, `first` and `after`. */
  document: DocumentInput<Data, Vars>
  /** The page in the query's answer (`data.feeDetailReport`). */
  answer: (data: Data) => Answer
  /** The query's variables when it asks for more than the range, lots and page (交接班's operatorId). */
  variables?: (vars: DetailVariables) => Vars
  /** Download parameters beyond the range and lots (交接班's operatorId, which `variables` sends too). */
  extra?: () => Record<string, string>
}

export function useDetailReport<Data, Answer extends Page<unknown>, Vars extends AnyVariables>(
  page: DetailReport<Data, Answer, Vars>,
) {
  type Row = Answer['items'][number]
  const handle = useClientHandle()
  const pages = shallowRef<Pages<Row>>(NO_PAGES)
  // The first page's answer of the search shown: the range's totals some reports add are the same on every page.
  const first = shallowRef<Answer | null>(null)
  const loadingMore = ref(false)
  const moreError = ref('')
  // The variables of the search shown: the next page continues it. A page read for an older search is dropped.
  let searched: DetailVariables | null = null
  let search = 0

  /** Reads one page; throws on an API error. */
  async function fetch(vars: DetailVariables): Promise<Answer> {
    // Without `variables` the query's are exactly the range, lots and page: DetailVariables is what it takes.
    const asked = page.variables ? page.variables(vars) : (vars as unknown as Vars)
    const r = await handle.client.query(page.document, asked, { requestPolicy: 'network-only' }).toPromise()
    if (r.error || !r.data) throw new Error(r.error?.message ?? '')
    return page.answer(r.data)
  }

  const report = useReportFilter({
    name: page.name,
    extra: page.extra,
    async load(vars) {
      const asked = { ...vars, first: DETAIL_PAGE_SIZE, after: null }
      search += 1
      const answer = await fetch(asked)
      searched = asked
      first.value = answer
      moreError.value = ''
      pages.value = withPage(NO_PAGES, answer, false)
    },
  })

  async function loadMore(): Promise<void> {
    const after = pages.value.after
    if (!searched || !after || loadingMore.value || report.loading.value) return
    loadingMore.value = true
    moreError.value = ''
    const mine = search
    try {
      const answer = await fetch({ ...searched, after })
      if (mine === search) pages.value = withPage(pages.value, answer, true)
    } catch (err) {
      moreError.value = `${t('report.loadFailed')}: ${(err as Error).message}`
    } finally {
      loadingMore.value = false
    }
  }

  const rows = computed(() => pages.value.rows)
  const hasMore = computed(() => pages.value.after !== null)
  return { report, first, rows, hasMore, loadingMore, moreError, loadMore }
}

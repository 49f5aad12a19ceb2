// A detail report page's state (收费明细, 续费明细, 交接班): the shared filter and downloads of useReportFilter, and
// the rows read page by page ("加载更多" asks for the next page of the search shown, not of a filter edited since).
import { computed, ref, shallowRef } from 'vue'
import { useReportFilter } from './useReportFilter'
import { DETAIL_PAGE_SIZE, NO_PAGES, withPage, type Page, type Pages } from '../lib/details'
import type { ReportName, reportVariables } from '../lib/reports'
import { t } from '../i18n'

export type DetailVariables = ReturnType<typeof reportVariables> & { first: number; after: string | null }

export interface DetailReport<Row> {
  /** The report's name in /api/reports. */
  name: ReportName
  /** Reads one page; throws on an API error. `more` is false for a search's first page. */
  fetch: (vars: DetailVariables, more: boolean) => Promise<Page<Row>>
  /** Download parameters beyond the range and lots (交接班's operatorId, which `fetch` sends too). */
  extra?: () => Record<string, string>
}

export function useDetailReport<Row>(page: DetailReport<Row>) {
  const pages = shallowRef<Pages<Row>>(NO_PAGES)
  const loadingMore = ref(false)
  const moreError = ref('')
  // The variables of the search shown: the next page continues it. A page read for an older search is dropped.
  let searched: DetailVariables | null = null
  let search = 0

  const report = useReportFilter({
    name: page.name,
    extra: page.extra,
    async load(vars) {
      const first = { ...vars, first: DETAIL_PAGE_SIZE, after: null }
      search += 1
      const answer = await page.fetch(first, false)
      searched = first
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
      const answer = await page.fetch({ ...searched, after }, true)
      if (mine === search) pages.value = withPage(pages.value, answer, true)
    } catch (err) {
      moreError.value = `${t('report.loadFailed')}: ${(err as Error).message}`
    } finally {
      loadingMore.value = false
    }
  }

  const rows = computed(() => pages.value.rows)
  const hasMore = computed(() => pages.value.after !== null)
  return { report, rows, hasMore, loadingMore, moreError, loadMore }
}

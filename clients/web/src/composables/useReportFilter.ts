// The state every report page shares: the lot-local date range and lots, the load with its error in the
// operator's language, and the CSV / Excel downloads of the same figures from /api/reports with the bearer token.
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { fetchBlob, saveBlob } from '../lib/downloads'
import { dayFrom } from '../lib/days'
import {
  lastDays,
  rangeProblem,
  reportFilename,
  reportUrl,
  reportVariables,
  type ReportFilter,
  type ReportFormat,
  type ReportName,
} from '../lib/reports'
import { t } from '../i18n'

export interface ReportPage {
  /** The report's name in /api/reports. */
  name: ReportName
  /** Reads the report for these variables; throws on an API error. */
  load: (vars: ReturnType<typeof reportVariables>) => Promise<void>
  /** Parameters of the download beyond the range and lots (flow's `by`, daily's `byLane`). */
  extra?: () => Record<string, string>
}

export function useReportFilter(page: ReportPage) {
  // The last 7 lot days, today included: today is counted live by the API, past days come from the rollup.
  const filter = reactive<ReportFilter>({ range: lastDays(dayFrom(new Date(), 0), 7), lotIds: [] })
  const loading = ref(false)
  const downloading = ref(false)
  const error = ref('')
  const loaded = ref(false)

  /** The range's problem in words, or '' (then nothing is asked of the API). */
  function check(): string {
    const problem = rangeProblem(filter.range)
    return problem ? t(problem) : ''
  }

  // A search asked for while one is loading (a new grouping picked meanwhile) runs once that one is done.
  let again = false

  async function search(): Promise<void> {
    if (loading.value) {
      again = true
      return
    }
    error.value = check()
    if (error.value) return
    loading.value = true
    try {
      await page.load(reportVariables(filter))
      loaded.value = true
    } catch (err) {
      error.value = `${t('report.loadFailed')}: ${(err as Error).message}`
    } finally {
      loading.value = false
    }
    if (again) {
      again = false
      await search()
    }
  }

  async function download(format: ReportFormat): Promise<void> {
    const problem = check()
    if (problem) return void ElMessage.error(problem)
    downloading.value = true
    try {
      const extra = page.extra?.() ?? {}
      saveBlob(await fetchBlob(reportUrl(page.name, format, filter, extra)), reportFilename(page.name, format, filter))
    } catch (err) {
      ElMessage.error(`${t('report.downloadFailed')}: ${(err as Error).message}`)
    } finally {
      downloading.value = false
    }
  }

  // Asked during setup, not on mount: the request travels while the page mounts (docs/web.md, "Time to interactive").
  void search()
  return { filter, loading, downloading, error, loaded, search, download }
}

/** A report page's filter, load and downloads, as ReportHeader shows them. */
export type ReportFilterState = ReturnType<typeof useReportFilter>

// An issued invoice's PDF: GET /api/driver/invoices/{id}/pdf needs the driver's bearer token, so it is downloaded
// with the header and opened from the local file (mp-weixin: WeChat's document viewer; H5: a new tab).
import { auth } from '@/stores/auth'
import { apiBase } from './platform'

/** True when the PDF was opened; false when the API answered otherwise (409 not issued yet, 404) or failed. */
export function openInvoicePdf(invoiceId: string): Promise<boolean> {
  const header: Record<string, string> = {}
  if (auth.token) header.Authorization = `Bearer ${auth.token}`
  return new Promise((resolve) => {
    uni.downloadFile({
      url: `${apiBase()}/api/driver/invoices/${encodeURIComponent(invoiceId)}/pdf`,
      header,
      success: (res) => {
        if (res.statusCode !== 200) return resolve(false)
        uni.openDocument({
          filePath: res.tempFilePath,
          fileType: 'pdf',
          showMenu: true,
          success: () => resolve(true),
          fail: () => resolve(false),
        })
      },
      fail: () => resolve(false),
    })
  })
}

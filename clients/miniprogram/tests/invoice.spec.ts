// E-invoices in the mini-program: the picks of one invoice (one lot, at most 20), the request form checked as the
// server checks it (parking/invoices/requests.py), the server's refusal codes in zh-CN, and the PDF fetched with
// the driver's token.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { installUni } from './uni-stub'
import { openInvoicePdf } from '@/api/invoices'
import { cleaned, formProblem, invoiceErrorText, statusText, type InvoiceForm } from '@/logic/invoice'
import { auth } from '@/stores/auth'
import { invoiceDraft, type PickedPayment } from '@/stores/invoiceDraft'

const payment = (orderId: string, lotId = '7', amountFen = 600): PickedPayment => ({
  orderId,
  lotId,
  lotName: lotId === '7' ? '徐汇天街停车场' : '静安寺停车场',
  amountFen,
})

const PERSON: InvoiceForm = { buyerKind: 'PERSONAL', title: '张三', taxNumber: '', email: 'zs@example.com' }
const COMPANY: InvoiceForm = { buyerKind: 'COMPANY', title: '上海某某科技有限公司', taxNumber: '91310000MA1FL1234X', email: 'cw@example.com' }

beforeEach(() => {
  installUni()
  invoiceDraft.clear()
  auth.clear()
})

describe('the payments picked for one invoice', () => {
  it('adds up the picks of one lot and lets one go again', () => {
    expect(invoiceDraft.toggle(payment('1', '7', 600))).toBeNull()
    expect(invoiceDraft.toggle(payment('2', '7', 1250))).toBeNull()
    expect(invoiceDraft.orderIds.value).toEqual(['1', '2'])
    expect(invoiceDraft.totalFen.value).toBe(1850)
    expect(invoiceDraft.lotName.value).toBe('徐汇天街停车场')
    expect(invoiceDraft.toggle(payment('1'))).toBeNull()
    expect(invoiceDraft.orderIds.value).toEqual(['2'])
    expect(invoiceDraft.totalFen.value).toBe(1250)
  })

  it("refuses another lot's payment and keeps the picks as they were", () => {
    invoiceDraft.toggle(payment('1', '7'))
    expect(invoiceDraft.toggle(payment('9', '8'))).toBe('otherLot')
    expect(invoiceDraft.orderIds.value).toEqual(['1'])
    expect(invoiceDraft.isPicked('9')).toBe(false)
  })

  it('takes another lot once the first lot is unpicked', () => {
    invoiceDraft.toggle(payment('1', '7'))
    invoiceDraft.toggle(payment('1', '7'))
    expect(invoiceDraft.toggle(payment('9', '8'))).toBeNull()
    expect(invoiceDraft.lotName.value).toBe('静安寺停车场')
  })

  it('stops at 20 payments', () => {
    for (let i = 1; i <= 20; i++) expect(invoiceDraft.toggle(payment(String(i)))).toBeNull()
    expect(invoiceDraft.toggle(payment('21'))).toBe('tooMany')
    expect(invoiceDraft.picked).toHaveLength(20)
  })
})

describe('the request form', () => {
  it('passes a person without a tax number and a company with one', () => {
    expect(formProblem(PERSON)).toBeNull()
    expect(formProblem(COMPANY)).toBeNull()
  })

  it('trims the texts, upper-cases the tax number and sends none for a person', () => {
    expect(cleaned({ ...COMPANY, title: ' 某某公司 ', taxNumber: ' 91310000ma1fl1234x ', email: ' cw@example.com ' })).toEqual({
      buyerKind: 'COMPANY',
      title: '某某公司',
      taxNumber: '91310000MA1FL1234X',
      email: 'cw@example.com',
    })
    expect(cleaned({ ...PERSON, taxNumber: '91310000MA1FL1234X' }).taxNumber).toBe('')
    expect(formProblem({ ...COMPANY, taxNumber: '91310000ma1fl1234x' })).toBeNull()
  })

  it('needs a title of 1 to 100 characters', () => {
    expect(formProblem({ ...PERSON, title: '   ' })).toEqual({ field: 'title', message: '发票抬头应为 1 到 100 个字符' })
    expect(formProblem({ ...PERSON, title: '张'.repeat(101) })?.field).toBe('title')
    expect(formProblem({ ...PERSON, title: '张'.repeat(100) })).toBeNull()
  })

  it("needs a company's tax number of 15 to 20 digits or capitals", () => {
    expect(formProblem({ ...COMPANY, taxNumber: '' })).toEqual({ field: 'taxNumber', message: '企业抬头须填写纳税人识别号' })
    const invalid = { field: 'taxNumber', message: '纳税人识别号应为 15 到 20 位数字或大写字母' }
    expect(formProblem({ ...COMPANY, taxNumber: '12345678901234' })).toEqual(invalid)
    expect(formProblem({ ...COMPANY, taxNumber: '123456789012345678901' })).toEqual(invalid)
    expect(formProblem({ ...COMPANY, taxNumber: '9131000-MA1FL1234' })).toEqual(invalid)
    expect(formProblem({ ...COMPANY, taxNumber: '123456789012345' })).toBeNull()
  })

  it('needs an email address the server takes', () => {
    const invalid = { field: 'email', message: '请填写正确的电子邮箱' }
    expect(formProblem({ ...PERSON, email: '' })).toEqual(invalid)
    expect(formProblem({ ...PERSON, email: 'zs@example' })).toEqual(invalid)
    expect(formProblem({ ...PERSON, email: 'z s@example.com' })).toEqual(invalid)
    expect(formProblem({ ...PERSON, email: `${'a'.repeat(90)}@example.com` })).toEqual(invalid)
    expect(formProblem({ ...PERSON, email: 'zs@mail.example.com.cn' })).toBeNull()
  })
})

describe("the server's refusals", () => {
  it('reads each code in zh-CN from the catalogue', () => {
    expect(invoiceErrorText({ code: 'DUPLICATE', field: 'orderIds', message: 'x' })).toBe('所选缴费已开过发票')
    expect(invoiceErrorText({ code: 'EXPIRED', field: 'orderIds', message: 'x' })).toBe('所选缴费已超过该停车场的开票期限')
    expect(invoiceErrorText({ code: 'NOT_FOUND', field: 'orderIds', message: 'x' })).toBe('缴费记录不存在或不属于当前微信账号')
  })

  it('reads INVALID by the field it names', () => {
    expect(invoiceErrorText({ code: 'INVALID', field: 'email', message: 'x' })).toBe('请填写正确的电子邮箱')
    expect(invoiceErrorText({ code: 'INVALID', field: 'orderIds', message: 'x' })).toContain('须为同一停车场')
  })

  it("shows the server's own message for a code this build does not know", () => {
    expect(invoiceErrorText({ code: 'SOMETHING_NEW', message: '开票平台处理中' })).toBe('开票平台处理中')
  })

  it('names every status', () => {
    expect(statusText('REQUESTED')).toBe('待开票')
    expect(statusText('ISSUING')).toBe('开票中')
    expect(statusText('ISSUED')).toBe('已开票')
    expect(statusText('REVERSED')).toBe('已红冲')
    expect(statusText('FAILED')).toBe('开票失败')
  })
})

describe("an issued invoice's PDF", () => {
  function withDownloads(statusCode: number) {
    const { uni } = installUni()
    const downloads: { url: string; header: Record<string, string> }[] = []
    const opened: { filePath: string; fileType: string }[] = []
    Object.assign(uni, {
      downloadFile: (o: { url: string; header: Record<string, string>; success: (r: unknown) => void }) => {
        downloads.push({ url: o.url, header: o.header })
        o.success({ statusCode, tempFilePath: 'blob:invoice' })
      },
      openDocument: vi.fn((o: { filePath: string; fileType: string; success: () => void }) => {
        opened.push({ filePath: o.filePath, fileType: o.fileType })
        o.success()
      }),
    })
    return { downloads, opened }
  }

  it("is downloaded with the driver's token and opened", async () => {
    const { downloads, opened } = withDownloads(200)
    auth.set('driver-token', 'o-driver', 3600)
    expect(await openInvoicePdf('42')).toBe(true)
    expect(downloads).toEqual([{ url: '/api/driver/invoices/42/pdf', header: { Authorization: 'Bearer driver-token' } }])
    expect(opened).toEqual([{ filePath: 'blob:invoice', fileType: 'pdf' }])
  })

  it('is not opened while the API refuses it (409 until issued)', async () => {
    const { opened } = withDownloads(409)
    auth.set('driver-token', 'o-driver', 3600)
    expect(await openInvoicePdf('42')).toBe(false)
    expect(opened).toEqual([])
  })
})

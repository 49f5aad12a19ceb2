// A lot's payment settings between the API (fen, parts per million) and the form (yuan, percent).
import type { LotPaymentSettingsInput } from '../gql/graphql'

export interface PaymentSettings {
  frictionless: boolean
  frictionlessAdvance: boolean
  frictionlessFreeMinutes: number
  feeRatePpm: number
  noEntryFeeFen: number
  minConfidence: number
  doublePaymentAutoRefund: boolean
  entryTemplateId: string
  entryTemplatePage: string
  entryTemplateFields: { plate: string; lot: string; time: string }
}

export interface PaymentSettingsForm {
  frictionless: boolean
  frictionlessAdvance: boolean
  frictionlessFreeMinutes: number
  /** The channel fee in percent, e.g. 0.6 for 6000 ppm. */
  feeRatePercent: number
  /** The fee for an exit with no entry record, in yuan. */
  noEntryFeeYuan: number
  minConfidence: number
  doublePaymentAutoRefund: boolean
  entryTemplateId: string
  entryTemplatePage: string
  plateKeyword: string
  lotKeyword: string
  timeKeyword: string
}

const PPM_PER_PERCENT = 10_000

export function settingsForm(s: PaymentSettings): PaymentSettingsForm {
  return {
    frictionless: s.frictionless,
    frictionlessAdvance: s.frictionlessAdvance,
    frictionlessFreeMinutes: s.frictionlessFreeMinutes,
    feeRatePercent: s.feeRatePpm / PPM_PER_PERCENT,
    noEntryFeeYuan: s.noEntryFeeFen / 100,
    minConfidence: s.minConfidence,
    doublePaymentAutoRefund: s.doublePaymentAutoRefund,
    entryTemplateId: s.entryTemplateId,
    entryTemplatePage: s.entryTemplatePage,
    plateKeyword: s.entryTemplateFields.plate,
    lotKeyword: s.entryTemplateFields.lot,
    timeKeyword: s.entryTemplateFields.time,
  }
}

/** The mutation's input: every field sent, money back in whole fen and the rate in whole ppm (rounded, so
 * 0.38 % is 3800 ppm and not 3799.9999). Bounds are left to the API, which answers with the field at fault. */
export function settingsInput(f: PaymentSettingsForm): LotPaymentSettingsInput {
  return {
    frictionless: f.frictionless,
    frictionlessAdvance: f.frictionlessAdvance,
    frictionlessFreeMinutes: Math.round(f.frictionlessFreeMinutes),
    feeRatePpm: Math.round(f.feeRatePercent * PPM_PER_PERCENT),
    noEntryFeeFen: Math.round(f.noEntryFeeYuan * 100),
    minConfidence: f.minConfidence,
    doublePaymentAutoRefund: f.doublePaymentAutoRefund,
    entryTemplateId: f.entryTemplateId.trim(),
    entryTemplatePage: f.entryTemplatePage.trim(),
    entryTemplateFields: { plate: f.plateKeyword.trim(), lot: f.lotKeyword.trim(), time: f.timeKeyword.trim() },
  }
}

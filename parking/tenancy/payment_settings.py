"""A lot's payment and notification settings (``Lot.payment_settings``): every key, its default and its bounds.

The column is JSON, written by the settings mutation and (before it existed) by hand, so reading is lenient: a
stored value that fails its field's rule reads as that field's default, and keys this model does not know
(channel merchant ids named by the deployment) are kept untouched by every write.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

logger = logging.getLogger(__name__)

# 0.6% is the standard WeChat Pay / Alipay rate for ordinary merchants: a lot's channel fee unless set.
DEFAULT_RATE_PPM = 6_000
# The highest channel fee rate a lot may be given: 5%, far above any real WeChat Pay or Alipay rate.
MAX_FEE_RATE_PPM = 50_000
# 1,000 yuan: the most a car with no entry record can be charged at exit.
MAX_NO_ENTRY_FEE_FEN = 100_000

FreeMinutes = Annotated[int, Field(ge=0, le=1440)]
FeeRatePpm = Annotated[int, Field(ge=0, le=MAX_FEE_RATE_PPM)]
NoEntryFeeFen = Annotated[int, Field(ge=0, le=MAX_NO_ENTRY_FEE_FEN)]
Confidence = Annotated[float, Field(ge=0, le=1)]
# A WeChat subscription-message template id (43 characters of letters, digits, - and _); empty turns it off.
TemplateId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64, pattern=r"^[A-Za-z0-9_-]*$")]
# A template keyword such as ``car_number1`` or ``thing2``.
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,31}$")]
# A mini-program page path with its query, e.g. ``pages/stay/index?lot=1``; empty opens no page.
PagePath = Annotated[str, StringConstraints(strip_whitespace=True, max_length=128, pattern=r"^[^\s]*$")]


class EntryTemplateFields(BaseModel):
    """Which keyword of the lot's entry template carries the plate, the lot's name and the entry time."""

    model_config = ConfigDict(frozen=True, strict=True)

    plate: Keyword = "car_number1"
    lot: Keyword = "thing2"
    time: Keyword = "time3"

    @model_validator(mode="after")
    def _distinct(self) -> EntryTemplateFields:
        if len({self.plate, self.lot, self.time}) < 3:
            raise ValueError("plate, lot and time need different keywords")
        return self


class PaidTemplateFields(BaseModel):
    """Which keyword of the lot's payment template carries the plate, the lot's name, the amount and the time."""

    model_config = ConfigDict(frozen=True, strict=True)

    plate: Keyword = "car_number1"
    lot: Keyword = "thing2"
    amount: Keyword = "amount3"
    time: Keyword = "time4"

    @model_validator(mode="after")
    def _distinct(self) -> PaidTemplateFields:
        if len({self.plate, self.lot, self.amount, self.time}) < 4:
            raise ValueError("plate, lot, amount and time need different keywords")
        return self


class LotPaymentSettings(BaseModel):
    """The settings as the lane flow, frictionless payment, notifications and settlement read them."""

    model_config = ConfigDict(frozen=True, strict=True)

    frictionless: bool = Field(False, description="Register entries with WeChat frictionless parking (无感支付).")
    # Without the agreement the car waits for SUCCESS.
    frictionless_advance: bool = Field(
        False, description="The merchant has WeChat's 垫资 agreement: the gate opens once a deduction is accepted."
    )
    frictionless_free_minutes: FreeMinutes = Field(0, description="The free period told to WeChat at entry (0-1440).")
    fee_rate_ppm: FeeRatePpm = Field(
        DEFAULT_RATE_PPM,
        description=f"The channel fee (手续费) in parts per million, 6000 = 0.6% (0-{MAX_FEE_RATE_PPM}).",
    )
    no_entry_fee_fen: NoEntryFeeFen = Field(
        0, description=f"What an exit with no entry record is charged, in fen (0-{MAX_NO_ENTRY_FEE_FEN})."
    )
    min_confidence: Confidence = Field(
        0.7, description="Readings less sure than this (0-1) wait for the cloud seat instead of opening."
    )
    double_payment_auto_refund: bool = Field(
        True,
        description="Money paid twice for one stay goes back at once; off: the refund waits for an approver.",
    )
    entry_template_id: TemplateId = Field(
        "", description="The entry notification's (车辆入场通知) template id; empty sends none."
    )
    entry_template_fields: EntryTemplateFields = EntryTemplateFields()
    entry_template_page: PagePath = Field("", description="The mini-program page the notification opens.")
    paid_template_id: TemplateId = Field(
        "", description="The payment notification's (停车缴费成功) template id, sent to a bound plate's driver."
    )
    paid_template_fields: PaidTemplateFields = PaidTemplateFields()

    @classmethod
    def of(cls, stored: Mapping[str, Any] | None) -> LotPaymentSettings:
        """The settings a stored dict holds; a value that breaks its field's rule reads as the default."""
        known = {k: v for k, v in (stored or {}).items() if k in cls.model_fields}
        if isinstance(known.get("paid_template_fields"), Mapping):
            known["paid_template_fields"] = {**PaidTemplateFields().model_dump(), **known["paid_template_fields"]}
        if isinstance(known.get("entry_template_fields"), Mapping):
            # A stored mapping may name only some keywords (the rest keep their defaults).
            known["entry_template_fields"] = {
                **EntryTemplateFields().model_dump(),
                **known["entry_template_fields"],
            }
        try:
            return cls.model_validate(known)
        except ValidationError as err:
            bad = {str(e["loc"][0]) for e in err.errors() if e["loc"]}
            logger.warning("lot payment settings: ignoring invalid %s", ", ".join(sorted(bad)))
            return cls.model_validate({k: v for k, v in known.items() if k not in bad})

    def stored(self, previous: Mapping[str, Any] | None) -> dict[str, Any]:
        """The column's new value: the previous dict's unknown keys and the settings that differ from their
        defaults (a default is not written down, so a lot keeps following it if the code's default changes)."""
        unknown = {k: v for k, v in (previous or {}).items() if k not in type(self).model_fields}
        return {**unknown, **self.model_dump(mode="json", exclude_defaults=True)}


class EntryTemplateFieldsChange(BaseModel):
    plate: Keyword | None = None
    lot: Keyword | None = None
    time: Keyword | None = None


class PaidTemplateFieldsChange(BaseModel):
    plate: Keyword | None = None
    lot: Keyword | None = None
    amount: Keyword | None = None
    time: Keyword | None = None


class LotPaymentSettingsChange(BaseModel):
    """The settings mutation's input: a field left out (None) keeps its current value."""

    frictionless: bool | None = None
    frictionless_advance: bool | None = None
    frictionless_free_minutes: FreeMinutes | None = None
    fee_rate_ppm: FeeRatePpm | None = None
    no_entry_fee_fen: NoEntryFeeFen | None = None
    min_confidence: Confidence | None = None
    double_payment_auto_refund: bool | None = None
    entry_template_id: TemplateId | None = None
    entry_template_fields: EntryTemplateFieldsChange | None = None
    entry_template_page: PagePath | None = None
    paid_template_id: TemplateId | None = None
    paid_template_fields: PaidTemplateFieldsChange | None = None

    def applied_to(self, current: LotPaymentSettings) -> LotPaymentSettings:
        """The settings after this change, validated as a whole (ValidationError when the result breaks a rule)."""
        changes = self.model_dump(exclude_none=True)
        if "entry_template_fields" in changes:
            changes["entry_template_fields"] = {
                **current.entry_template_fields.model_dump(),
                **changes["entry_template_fields"],
            }
        if "paid_template_fields" in changes:
            changes["paid_template_fields"] = {
                **current.paid_template_fields.model_dump(),
                **changes["paid_template_fields"],
            }
        return LotPaymentSettings.model_validate({**current.model_dump(), **changes})

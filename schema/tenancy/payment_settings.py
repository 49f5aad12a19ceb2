"""GraphQL shapes of a lot's payment settings, generated from the domain model that knows every key."""

from __future__ import annotations

from strawberry.experimental.pydantic import input as pydantic_input
from strawberry.experimental.pydantic import type as pydantic_type

from parking.tenancy import payment_settings as model
from parking.tenancy.models import Lot
from schema.core.money import Fen


@pydantic_type(
    model=model.EntryTemplateFields,
    all_fields=True,
    name="EntryTemplateFields",
    description="The keywords of the entry template that carry the plate, the lot's name and the entry time.",
)
class EntryTemplateFieldsType:
    pass


@pydantic_type(
    model=model.PaidTemplateFields,
    all_fields=True,
    name="PaidTemplateFields",
    description="The keywords of the payment template that carry the plate, the lot's name, the amount and time.",
)
class PaidTemplateFieldsType:
    pass


@pydantic_type(
    model=model.LotPaymentSettings,
    all_fields=True,
    name="LotPaymentSettings",
    description=(
        "A lot's payment and notification settings: frictionless payment (无感支付), the channel fee rate in "
        "parts per million, the fee for an exit with no entry, the least plate confidence that opens the "
        "barrier, and the entry notification's template (no template id, no notification)."
    ),
)
class LotPaymentSettingsType:
    no_entry_fee_fen: Fen


@pydantic_input(model=model.EntryTemplateFieldsChange, all_fields=True, name="EntryTemplateFieldsInput")
class EntryTemplateFieldsInput:
    pass


@pydantic_input(model=model.PaidTemplateFieldsChange, all_fields=True, name="PaidTemplateFieldsInput")
class PaidTemplateFieldsInput:
    pass


@pydantic_input(model=model.LotPaymentSettingsChange, all_fields=True, name="LotPaymentSettingsInput")
class LotPaymentSettingsInput:
    no_entry_fee_fen: Fen | None = None
    entry_template_fields: EntryTemplateFieldsInput | None = None
    paid_template_fields: PaidTemplateFieldsInput | None = None


def settings_of(lot: Lot) -> LotPaymentSettingsType:
    """The GraphQL value of a lot's settings, defaults filled in."""
    return LotPaymentSettingsType.from_pydantic(lot.settings)

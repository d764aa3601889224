"""The part a file plays in a reconciliation: the one vocabulary importers, profiles and
matching templates share.

An importer says which role its files have, a saved profile says it for a layout huikuan does
not know, and a template names the roles it expects on each side; ``auto`` picks the template
by comparing the two. Spelling the roles once here means a typo is an error, not a template
that silently never fits.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a file is: the shop's orders, a platform's bill, a bank statement…"""

    #: the merchant's own order list (ERP, shop backend, platform order export)
    ORDERS = "orders"
    #: a platform's bill or wallet statement (Alipay, WeChat Pay, PDD, Amazon…)
    PLATFORM = "platform"
    #: a business bank account's statement
    BANK = "bank"
    #: a courier's bill per waybill
    COURIER = "courier"
    #: a personal account or wallet (a sole trader's own Alipay, WeChat, debit card)
    PERSONAL = "personal"

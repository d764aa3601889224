"""The lines of an MT940 file: fields with their continuation lines, and what a booking's
``:86:`` information says (memo, counterparty, end-to-end reference).

Fields start with ``:NN:``/``:NNa:`` (or ``:NS:``) at the start of a line; other lines continue
the field before them. Left out: SWIFT envelopes (``{1:…}{2:…}{4:`` … ``-}``), bank header lines
before ``:20:``, control bytes (SOH/ETX); a ``-`` alone ends a message, except inside a booking's
``:86:`` where ING wraps ``MND-`` onto a line of its own. A tag broken as ``:`` + ``86:…`` is
rejoined; soft hyphens (U+00AD, written by ING for dashes in dates) become ``-``.

Banks fill ``:86:`` in four ways, all wrapped into lines of (about) 65 characters, often in the
middle of a word:

- free text (ABN AMRO, old ING, mBank, SNS): lines of full width continue the word, shorter lines
  end it;
- German ``?NN`` subfields after a 3-digit business code (``166?00GUTSCHRIFT?20…?32name``) and
  Triodos ``>NN``: ``?00`` booking text (→ category), ``?20``–``?29``/``?60``–``?63`` purpose,
  ``?32``/``?33`` counterparty; each subfield holds 27 characters, so a full one continues in the
  next. SEPA keys inside the purpose: ``EREF+`` (end-to-end reference → batch_ref), ``SVWZ+``…;
- Dutch codes (ING, Rabobank, ABN AMRO SEPA): ``/EREF/…//CNTP/iban/bic/name/city//REMI/USTD//text/``,
  ``/BENM//NAME/…``, ``/PREF/`` (batch), ``/RTRN/`` (return reason).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(r":(\d{2}[A-Z]?|NS):")
_SPLIT_TAG = re.compile(r"(\d{2}[A-Z]?|NS):")
_BROKEN_TAG = re.compile(r":(?:\d{1,2}[A-Z]?|NS?)\s*$")  # ':6', ':61', ':N': a tag cut short
#: the tag of a line that starts like a tag but is none (a tag cut short)
DAMAGED = "DAMAGED"
WIDTH = 65
SUBFIELD_WIDTH = 27
_SPACES = re.compile(r"\s+")
_GERMAN = re.compile(r"\s*(?:\d{3})?([?>])\d\d")
_SUBFIELD = {"?": re.compile(r"\?(\d\d)"), ">": re.compile(r">(\d\d)")}
_SEPA_KEY = re.compile(r"\b(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|BREF|RREF)\+")
_DUTCH_CODES = ("TRTP|EREF|PREF|RTRN|MARF|CSID|CNTP|REMI|PURP|ULTC|ULTD|ULTB|BENM|ORDP|ISDT|NAME|"
                "ADDR|IBAN|BIC|SVCL|EXCH|CHGS|TRCD|BUSP|SUM|OCMT")
_DUTCH = re.compile(rf"/({_DUTCH_CODES})/")
_NOT_PROVIDED = ("", "NOTPROVIDED", "NONREF")


@dataclass
class Field:
    """One tag with its continuation lines, as written."""

    tag: str
    line: int
    values: list[str]   # first line without its tag, then the continuation lines
    lengths: list[int]  # physical length of each line (the tag counts: lines wrap at 65)
    raw: list[str]

    def add(self, text: str) -> None:
        self.values.append(text)
        self.lengths.append(len(text))
        self.raw.append(text)


def fields(lines: Iterable[tuple[int, str]]) -> Iterator[Field]:
    """The fields of an MT940 file in order, envelopes and bank header lines left out. A tag cut
    short (``:6``, a lone ``:`` not followed by ``86:…``) comes as a field with tag ``DAMAGED``:
    its booking must not silently become part of the one before."""
    current: Field | None = None
    split_colon: Field | None = None  # a line holding only ':' (the tag broken over two lines)
    after_closing = False    # a ':86:' after ':62:' is statement information
    for number, physical in lines:
        text = CONTROL.sub("", physical).replace("\u00ad", "-")
        if text.startswith("{"):  # {1:…}{2:…}{3:}{4: — what follows block 4 is content
            text = text.split("{4:", 1)[1] if "{4:" in text else ""
        stripped = text.strip()
        if not stripped and not (current is not None and current.tag in ("86", "NS") and text):
            continue  # blank lines carry nothing (whitespace-only padding of a :86: is kept)
        if split_colon is not None:
            if _SPLIT_TAG.match(text):
                text = ":" + text
            else:
                if current is not None:
                    yield current
                current = None
                yield split_colon
            split_colon = None
        if stripped == ":":
            split_colon = Field(DAMAGED, number, [text], [len(text)], [text])
            continue
        if m := _TAG.match(text):
            if current is not None:
                yield current
            current = Field(m[1], number, [text[m.end():]], [len(text)], [text])
            if m[1].startswith(("61", "60", "20")):
                after_closing = False
            elif m[1].startswith("62"):
                after_closing = True
            continue
        if _BROKEN_TAG.match(text):
            if current is not None:
                yield current
            current = None
            yield Field(DAMAGED, number, [text], [len(text)], [text])
            continue
        inside_info = current is not None and current.tag in ("86", "NS") and not after_closing
        ends = stripped.startswith(("-}", "}")) or (stripped in ("-", "-XXX") and not inside_info)
        if ends or current is None:
            if current is not None:
                yield current
            current = None
            continue
        current.add(text)
    if split_colon is not None:
        yield split_colon
    if current is not None:
        yield current


@dataclass(frozen=True)
class Info:
    """What a booking's information lines say."""

    text: str = ""
    counterparty: str = ""
    reference: str = ""   # end-to-end or batch reference
    category: str = ""    # booking text (German ?00)

    @staticmethod
    def merge(infos: list[Info]) -> Info:
        """Several ``:86:`` (old Rabobank) or ``:86:`` plus ``:NS:`` of one booking."""
        if len(infos) == 1:
            return infos[0]
        return Info(
            squash(" ".join(i.text for i in infos)),
            next((i.counterparty for i in infos if i.counterparty), ""),
            next((i.reference for i in infos if i.reference), ""),
            next((i.category for i in infos if i.category), ""),
        )


def squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def joined(item: Field) -> str:
    """The lines of one field as one text: structured text and full-width lines continue the
    word, shorter free-text lines end it."""
    values = item.values
    structured = is_structured("".join(values))
    out = values[0]
    for previous, value in zip(item.lengths, values[1:], strict=False):
        out += value if structured or previous >= WIDTH else " " + value
    return out


def is_structured(text: str) -> bool:
    return bool(_GERMAN.match(text) or _DUTCH.match(text.lstrip()))


def read_info(item: Field) -> Info:
    text = joined(item)
    if m := _GERMAN.match(text):
        return _german(text, m.group(1))
    if _DUTCH.match(text.lstrip()):
        return _dutch(text.strip())
    return Info(squash(text))


def read_non_swift(values: list[str]) -> Info:
    """``:NS:`` lines: a two-digit code, then text (bank specific); kept as text."""
    parts = [v[2:] if v[:2].isdigit() else v for v in values]
    return Info(squash(" ".join(parts)))


def _continued(parts: list[str]) -> list[str]:
    """Subfield values rejoined where a full (27-character) subfield runs on into the next."""
    out: list[str] = []
    full = False
    for part in parts:
        if full and out:
            out[-1] += part
        else:
            out.append(part)
        full = len(part) >= SUBFIELD_WIDTH
    return out


def _german(text: str, mark: str) -> Info:
    pieces = _SUBFIELD[mark].split(text)
    fields = list(zip((int(c) for c in pieces[1::2]), pieces[2::2], strict=False))
    purpose = _continued([v for c, v in fields if 20 <= c <= 29 or 60 <= c <= 63])
    name = " ".join(_continued([v for c, v in fields if c in (32, 33)]))
    booking = next((v for c, v in fields if c == 0), "")
    reference = ""
    for segment in purpose:
        keys = _SEPA_KEY.split(segment)
        for key, value in zip(keys[1::2], keys[2::2], strict=False):
            if key == "EREF" and value.strip().upper() not in _NOT_PROVIDED:
                reference = value.strip()
    return Info(squash(" ".join(purpose)) or squash(booking), squash(name), reference, squash(booking))


def _dutch(text: str) -> Info:
    marks = list(_DUTCH.finditer(text))
    values: dict[str, str] = {}
    for m, nxt in zip(marks, [*marks[1:], None], strict=False):
        values.setdefault(m.group(1), text[m.end(): nxt.start() if nxt else len(text)].strip("/ "))
    party = values.get("CNTP", "").split("/")
    name = party[2] if len(party) > 2 else values.get("NAME", "")
    remit = re.sub(r"^(?:USTD|STRD)/+(?:CUR/+)?", "", values.get("REMI", "")).strip("/ ")
    reference = next((values[k] for k in ("EREF", "PREF") if values.get(k, "").upper()
                      not in _NOT_PROVIDED), "")
    notes = [f"return {values['RTRN']}"] if values.get("RTRN") else []
    return Info(squash(" ".join([remit or text, *notes])), squash(name), reference)

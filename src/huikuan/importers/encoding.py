"""Character-set detection for exports: BOMs, UTF-8, GBK/GB18030 and the rest."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
        or 0x3400 <= code <= 0x4DBF or code in (0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026)
    )


def sniff_encoding(head: bytes) -> str:
    """Name the codec of a text file from its first bytes.

    Order: byte-order marks; UTF-16 without BOM (every other byte zero); strict UTF-8; GB18030
    (a superset of GBK, what Chinese exports use) when the decoded text is mostly Chinese;
    otherwise the best guess of charset-normalizer, falling back to cp1252.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:4000]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    if _decodes(head, "utf-8"):
        return "utf-8"
    if _decodes(head, "gb18030"):
        text = head.decode("gb18030", errors="ignore")
        high = [ch for ch in text if ord(ch) > 0x7F]
        if high and sum(_is_cjk(ch) for ch in high) >= 0.9 * len(high):
            return "gbk" if _decodes(head, "gbk") else "gb18030"
    if _decodes(head, "big5"):
        text = head.decode("big5", errors="ignore")
        high = [ch for ch in text if ord(ch) > 0x7F]
        if high and sum(_is_cjk(ch) for ch in high) >= 0.9 * len(high):
            return "big5"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best is not None else "cp1252"


def _decodes(head: bytes, codec: str) -> bool:
    """True when ``head`` decodes, allowing a multi-byte character cut off at the end."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True

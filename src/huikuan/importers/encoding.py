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


def _reads_as_chinese(text: str) -> bool:
    """Mostly CJK among the non-ASCII characters, and not glued inside Latin words.

    Two Latin-1 bytes often form a valid GBK character: ``Számla`` in cp1250 decodes as
    ``Sz醡la``. Chinese text seldom has a character with ASCII letters on both sides.
    """
    high = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    cjk = [i for i in high if _is_cjk(text[i])]
    if not high or len(cjk) < 0.9 * len(high):
        return False
    glued = sum(1 for i in cjk if 0 < i < len(text) - 1 and text[i - 1].isascii()
                and text[i - 1].isalpha() and text[i + 1].isascii() and text[i + 1].isalpha())
    return glued * 4 <= len(cjk)


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
    if _decodes(head, "gb18030") and _reads_as_chinese(head.decode("gb18030", errors="ignore")):
        return "gbk" if _decodes(head, "gbk") else "gb18030"
    if _decodes(head, "big5") and _reads_as_chinese(head.decode("big5", errors="ignore")):
        return "big5"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in _CJK and not _reads_as_chinese(head.decode(guess, errors="ignore")):
        guess = "cp1252"  # Latin words that happen to be valid double-byte pairs
    return latin_codepage(head, guess) if guess in _LATIN else guess


_CJK = ("big5", "big5hkscs", "gbk", "gb2312", "gb18030", "cp950", "cp936", "euc_jp", "shift_jis",
        "cp932", "euc_kr", "cp949", "johab")


#: single-byte code pages of Latin-script exports: Windows, DOS (Central European banks such as
#: Raiffeisen still write cp852) and ISO
_LATIN = ("cp1252", "cp1250", "cp852", "cp850", "cp437", "iso8859_2", "iso8859_15", "latin_1",
          "cp1257", "cp775", "cp1258", "cp858", "mac_latin2", "mac_roman", "cp1125", "cp866")
_CANDIDATES = ("cp1252", "cp1250", "cp852", "cp850", "cp437", "iso8859_2")


def latin_codepage(head: bytes, guess: str) -> str:
    """The Latin code page under which the non-ASCII bytes read as letters inside words.

    With few accented letters, charset-normalizer takes cp852 for cp437, cp1250 or even
    cp1258: ``Számlavezetési díj`` in cp852 reads as ``Sz mlavezet‚si d¡j`` in cp1250. Each
    candidate is scored: +1 for a non-ASCII letter next to a letter, −1 for a non-ASCII
    symbol inside a word, −2 for a byte it cannot decode. Ties keep the guess.
    """
    def score(codec: str) -> int:
        text = head.decode(codec, errors="replace")
        total = 0
        for i, ch in enumerate(text):
            if ord(ch) < 0x80:
                continue
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if ch == "\ufffd":
                total -= 2
            elif ch.isalpha():
                total += 1 if before.isalpha() or after.isalpha() else 0
            elif (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
                total -= 1
        return total

    scored = {codec: score(codec) for codec in dict.fromkeys((guess, *_CANDIDATES))}
    best = max(scored.values())
    return guess if scored[guess] == best else next(c for c in scored if scored[c] == best)


def _decodes(head: bytes, codec: str) -> bool:
    """True when ``head`` decodes, allowing a multi-byte character cut off at the end."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True

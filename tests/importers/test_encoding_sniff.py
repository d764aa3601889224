"""Encoding sniffing: Central European DOS exports (issue 11 §5) and speed on big ASCII files."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.importers.encoding import latin_codepage, sniff_encoding
from huikuan.importers.reader import SourceFile

RAIFFEISEN_LIKE = (
    "Datum;Částka;Měna;Protiúčet;Zpráva pro příjemce\n"
    + "".join(f"{d:02d}.03.2024;-{d * 10},00;CZK;1234/5500;Platba kartou {d}\n" for d in range(1, 25))
    + "25.03.2024;-1250,00;CZK;123456789/0800;Nákup v obchodě Žďár, převod z účtu\n"
)


def test_cp852_statement_is_not_read_as_cp437():
    data = RAIFFEISEN_LIKE.encode("cp852")
    assert sniff_encoding(data) == "cp852"
    # what the issue saw: the guess was cp437, under which ě ř read as ╪ ²
    assert latin_codepage(data, "cp437") == "cp852"
    assert data.decode(latin_codepage(data, "cp437")) == RAIFFEISEN_LIKE


@pytest.mark.parametrize("text", [
    "Számlavezetési díj;Hűségprogram jóváírás;Tóth Győző\n",
    "Kovač Dušan;Šťastný Čeněk;Příjem\n",
])
def test_hungarian_and_czech_in_cp852_read_back_exactly(text: str):
    data = ("Datum;Betrag;Text\n" * 5 + text).encode("cp852")
    assert data.decode(sniff_encoding(data)) == "Datum;Betrag;Text\n" * 5 + text


def test_latin_word_is_not_taken_for_gbk():
    """``Számla`` in cp1250 is also valid GBK (``Sz醡la``); a CJK character glued inside a Latin
    word is not Chinese."""
    text = "Datum;Betrag\n" * 5 + "01.03.2024;Számlavezetési díj\n"
    got = sniff_encoding(text.encode("cp1250"))
    assert got not in ("gbk", "gb18030")
    assert text.encode("cp1250").decode(got) == text


def test_chinese_export_is_still_gbk():
    text = "交易时间,交易对方,金额\n2023-11-01,支付宝（中国）网络技术有限公司,12.50\n"
    assert sniff_encoding(text.encode("gbk")) == "gbk"


def test_ascii_file_with_one_late_accent_is_sampled_where_the_accent_is(tmp_path: Path):
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.write(b"Date;Amount;Text\n" + b"01.03.2024;1,00;plain ascii line\n" * 200_000)
        fh.write("02.03.2024;2,00;Nákup v obchodě\n".encode("cp852"))
    source = SourceFile(path)
    assert source.size > 1 << 20
    assert source.encoding == "cp852"

"""Chinese by default whatever the browser says; the switcher changes it for the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_pages_are_in_simplified_chinese_even_for_an_english_browser(shop) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(shop.user)
    page = client.get(reverse("imports", args=[shop.company.pk])).content.decode()
    assert "导入文件" in page
    assert "Import files" not in page


@pytest.mark.parametrize(("language", "expected"), [("en", "Import files"), ("zh-hant", "導入文件"),
                                                    ("zh-hans", "导入文件")])
def test_the_language_switcher(shop, language, expected) -> None:
    client = Client()
    client.force_login(shop.user)
    url = reverse("imports", args=[shop.company.pk])
    assert client.post(reverse("set_language"), {"language": language, "next": url}).status_code == 302
    assert expected in client.get(url).content.decode()

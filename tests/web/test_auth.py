"""Logging in and out, throttling after repeated failures, and what each role may do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from huikuan.web.models import Membership
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_login_takes_the_user_to_their_company_and_logout_ends_the_session(shop) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("company", args=[shop.company.pk])
    assert shop.company.name in response.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("company", args=[shop.company.pk])).status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(shop) -> None:
    response = Client().post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_five_failures_lock_the_username_even_with_the_right_password_then(shop, settings) -> None:
    client = Client()
    for _ in range(settings.HUIKUAN_LOGIN_FAILURES):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    # another user from the same address is not affected
    User.objects.create_user("carol", password=PASSWORD)
    assert client.post(reverse("login"), {"username": "carol", "password": PASSWORD}).status_code == 302


def test_passwords_are_stored_hashed_with_the_default_hasher(settings, db) -> None:
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # Django's default, as in production
    user = User.objects.create_user("dora", password=PASSWORD)
    assert PASSWORD not in user.password
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password(PASSWORD)


def test_a_viewer_reads_but_cannot_upload_or_run(shop, month) -> None:
    viewer = User.objects.create_user("vera", password=PASSWORD)
    Membership.objects.create(user=viewer, company=shop.company, role="viewer")
    client = Client()
    client.force_login(viewer)
    company = shop.company.pk
    assert client.get(reverse("imports", args=[company])).status_code == 200
    with month.orders[0].open("rb") as fh:
        assert client.post(reverse("upload", args=[company]), {"files": [fh]}).status_code == 404
    assert client.post(reverse("start_run", args=[company]), {}).status_code == 404
    new_store = {"name": "x", "platform": "pdd"}
    assert client.post(reverse("add_store", args=[company]), new_store).status_code == 404
    assert shop.company.imports.count() == 0
    assert shop.company.stores.count() == 1


def test_only_an_admin_changes_the_setup(shop) -> None:
    client = Client()
    client.force_login(shop.user)  # an accountant
    url = reverse("add_store", args=[shop.company.pk])
    assert client.post(url, {"name": "拼多多店", "platform": "pdd"}).status_code == 404
    client.force_login(User.objects.get(username="alice-admin"))
    assert client.post(url, {"name": "拼多多店", "platform": "pdd"}).status_code == 302
    assert shop.company.stores.filter(name="拼多多店", platform="pdd").exists()


@pytest.mark.parametrize("variant", [" alice", "alice ", "alice\t", "ａｌｉｃｅ", "ALICE", "\u3000alice"])
def test_a_locked_username_stays_locked_however_it_is_typed(shop, settings, variant) -> None:
    """Django logs ``" alice"`` and fullwidth ``ａｌｉｃｅ`` in as alice (NFKC, stripped): the
    throttle counts them as alice too, so none of them gets fresh tries."""
    client = Client()
    for _ in range(settings.HUIKUAN_LOGIN_FAILURES):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": variant, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # and failures typed one way lock the other ways
    from django.core.cache import cache

    cache.clear()
    for _ in range(settings.HUIKUAN_LOGIN_FAILURES):
        client.post(reverse("login"), {"username": variant, "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 200


def test_an_address_trying_many_usernames_is_paused(shop, settings) -> None:
    settings.HUIKUAN_LOGIN_FAILURES_PER_ADDRESS = 8
    client = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(8):  # a spray: two tries each at four names, under every per-name limit
        client.post(reverse("login"), {"username": f"guess{number % 4}", "password": "wrong"})
    refused = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    # another address is not affected
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert other.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(shop, settings) -> None:
    """Without a trusted proxy the header is the client's own words and is ignored; with one,
    the entry that proxy added is the address (not what the client put in front of it)."""
    def fail_five(forwarded: str) -> None:
        for _ in range(settings.HUIKUAN_LOGIN_FAILURES):
            Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
                reverse("login"), {"username": "alice", "password": "wrong"})

    def can_log_in(forwarded: str) -> bool:
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return client.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302

    from django.core.cache import cache

    settings.HUIKUAN_TRUSTED_PROXIES = 0
    fail_five("1.1.1.1")
    assert not can_log_in("2.2.2.2")  # a forged header does not escape the lock on 10.0.0.1
    cache.clear()
    settings.HUIKUAN_TRUSTED_PROXIES = 1
    fail_five("6.6.6.6, 1.1.1.1")  # the client wrote 6.6.6.6; the proxy saw 1.1.1.1
    assert not can_log_in("9.9.9.9, 1.1.1.1")  # a new forged prefix changes nothing
    assert can_log_in("2.2.2.2")  # somebody else behind the same proxy logs in


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "https:evil.example", " //evil.example", "\t//evil.example"])
def test_next_never_leads_off_the_site(shop, target) -> None:
    """After log in, and after a chase note, a ``next=`` pointing elsewhere is ignored."""
    client = Client()
    response = client.post(f"{reverse('login')}?next={target}", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))
    chased = client.post(reverse("set_chase", args=[shop.company.pk]),
                         {"store": shop.store.pk, "order_ref": "X1", "status": "chased", "next": target})
    assert chased.status_code in (302, 400)
    if chased.status_code == 302:
        assert chased["Location"].startswith(reverse("overdue", args=[shop.company.pk]))

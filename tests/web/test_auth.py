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

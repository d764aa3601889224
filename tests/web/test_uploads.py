"""Uploads under attack and load (issue 18 §4, §5): a file's name is data and never a path,
twenty uploads of ``orders_2023-11.csv`` at once each keep their own bytes, the size limit holds
before the body lands on disk, staging is cleaned, large files are previewed by the worker, and
the same bytes under a new name are named as the old import."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Any, ClassVar

import pyarrow.parquet as pq
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from huikuan.importers import progress
from huikuan.web.jobs import work_once
from huikuan.web.models import Import
from huikuan.web.services import imports as import_service
from huikuan.web.storage import company_dir, entries_path, original_path

pytestmark = [pytest.mark.web, pytest.mark.django_db]

NAME = "orders_2023-11.csv"
CARD = re.compile(r'id="staged-([0-9a-f]+)"')


def variant(path: Path, number: int) -> bytes:
    """The orders export with the first buyer renamed: a different file, as readable."""
    data = path.read_bytes()
    first = re.search(rb"\n=\"\d+\",([a-z]+_\d+),", data)
    assert first is not None
    return data.replace(first.group(1), f"buyer_{number:06d}".encode(), 1)


def with_a_bad_row(data: bytes) -> bytes:
    """The same export with one amount (买家实际支付金额) that is not money: a row error."""
    broken = re.sub(rb"(\n=\"\d+\",(?:[^,]*,){7})\d+\.\d\d,", rb"\1not-money,", data, count=1)
    assert broken != data
    return broken


@pytest.fixture(scope="module")
def wide_orders(month: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The month's orders with a long buyer's message on every row (400 KB, 120 rows): it arrives
    in several chunks, as real exports do, and still reads in a blink."""
    data = re.sub(rb"(\n=\"\d+\",(?:[^,]*,){10}),", lambda m: m.group(1) + b"x" * 3000 + b",",
                  month.orders[0].read_bytes())
    path = tmp_path_factory.mktemp("wide") / NAME
    path.write_bytes(data)
    return path


def client_for(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def post_upload(client: Client, company_id: int, name: str, data: bytes) -> Any:
    return client.post(reverse("upload", args=[company_id]), {"files": [SimpleUploadedFile(name, data)]})


def tree(root: Path) -> dict[str, tuple[int, float]]:
    """Every file under ``root`` with its size and modification time."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in root.rglob("*") if p.is_file()}


def staging_of(shop: Any) -> Path:
    return company_dir(shop.company) / "staging"


def in_threads(count: int, work: Any) -> list[Any]:
    """Run ``work(i)`` in ``count`` real threads released together; each thread's result or
    the exception it raised."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


# ---- §1: the upload's name is data, never a path -----------------------------------------------

HOSTILE = ["../../escaped.csv", "/etc/passwd_x.csv", "nul\x00byte.csv", "x" * 300 + ".csv",
           "..\\..\\windows.csv", "C:\\Users\\clerk\\orders.csv", "ctrl\x1b[31m\r\n.csv",
           "ｏｒｄｅｒｓ\u2024csv", "\u202evsc.orders", "..", "<b>bold.csv", "../十一月订单.csv.gz",
           "订单.ｃｓｖ"]


def test_hostile_file_names_stage_and_import_as_data_and_write_nothing_outside_staging(shop, month,
                                                                                       tmp_path) -> None:
    outside = tree(tmp_path)
    for number, name in enumerate(HOSTILE):
        data = with_a_bad_row(variant(month.orders[0], number))
        if name.endswith(".gz"):  # an archive: its member is named after the user's name too
            data = gzip.compress(data)
        token, staged = import_service.stage_upload(shop.company, name, [data])
        assert staged.parent.parent == staging_of(shop)  # staging/<token>/…
        assert re.fullmatch(r"[0-9a-f]{32}", staged.parent.name)
        assert re.fullmatch(r"upload(\.[a-z0-9]+)*", staged.name)
        shown = import_service.preview(shop.company, token)
        assert not shown.error, (name, shown.error)
        record = import_service.accept(shop.company, token, user=shop.user, store=shop.store)
        # shown and recorded under the user's name (its last path part), in the entries too
        assert record.file_name == shown.file_name == import_service.display_name(name)
        assert len(record.file_name) <= 255
        assert "/" not in record.file_name
        assert "\\" not in record.file_name
        assert "\x00" not in record.file_name
        entries = pq.read_table(entries_path(shop.company, record.content_hash))
        reported = f"{record.file_name}!{record.file_name[:-3]}" if name.endswith(".gz") else record.file_name
        assert set(entries["file"].to_pylist()) == {reported}
        assert {e["file"] for e in record.row_errors} == {reported}  # "name the file, line and problem"
    names = set(Import.objects.values_list("file_name", flat=True))
    assert {"escaped.csv", "passwd_x.csv", "nulbyte.csv", "windows.csv", "orders.csv", "upload",
            "<b>bold.csv", "十一月订单.csv.gz"} <= names
    # nothing appeared or changed outside the data folder, and nothing is left in staging
    after = tree(tmp_path)
    assert {p: v for p, v in after.items() if not p.startswith(str(company_dir(shop.company)))} == outside
    assert not any(staging_of(shop).iterdir())
    kept = [p.relative_to(company_dir(shop.company)) for p in company_dir(shop.company).rglob("*")]
    assert all(re.fullmatch(r"[a-z0-9.]+", part) for p in kept for part in p.parts), kept
    # the page shows the name as text
    page = client_for(shop.user).get(reverse("imports", args=[shop.company.pk])).content.decode()
    assert "&lt;b&gt;bold.csv" in page
    assert "<b>bold" not in page


def test_a_name_whose_extension_is_too_long_for_a_path_is_uploaded_as_data(shop, settings) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # on disk while it arrives, as a real export is
    name = "orders." + "订" * 200
    response = post_upload(client_for(shop.user), shop.company.pk, name, b"1,2\n" * 1000)
    assert response.status_code == 200
    assert "orders." + "订" * 200 in response.content.decode()  # shown under its name


# ---- §4: twenty uploads of the same name at once ---------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_twenty_uploads_of_the_same_name_at_once_each_keep_their_own_bytes(shop, wide_orders,
                                                                           settings) -> None:
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024  # the uploads only stage: the race is there
    contents = [variant(wide_orders, i) for i in range(20)]
    company = shop.company.pk

    def upload(i: int) -> tuple[int, str]:
        response = post_upload(client_for(shop.user), company, NAME, contents[i])
        return response.status_code, response.content.decode()

    uploaded = in_threads(20, upload)
    assert [r if isinstance(r, Exception) else r[0] for r in uploaded] == [200] * 20
    tokens = []
    for status_page, content in zip(uploaded, contents, strict=True):
        page = status_page[1]
        assert 'class="error"' not in page, page
        assert "card error" not in page, page
        tokens.append(CARD.findall(page)[0])
        staged = import_service.staged_upload(shop.company, tokens[-1])
        on_disk = import_service.staged_file(shop.company, tokens[-1]).read_bytes()
        assert hashlib.sha256(on_disk).hexdigest() == staged.content_hash
        assert staged.content_hash == hashlib.sha256(content).hexdigest()
    assert len(set(tokens)) == 20

    def accept(i: int) -> tuple[int, str]:
        response = client_for(shop.user).post(reverse("accept_import", args=[company, tokens[i]]),
                                              {"store": shop.store.pk}, HTTP_HX_REQUEST="true")
        return response.status_code, response.content.decode()

    accepted = in_threads(20, accept)
    outcomes = [r if isinstance(r, Exception) else (r[0], "accepted" in r[1]) for r in accepted]
    assert outcomes == [(200, True)] * 20
    assert Import.objects.filter(company=shop.company).count() == 20
    for content in contents:
        digest = hashlib.sha256(content).hexdigest()
        record = Import.objects.get(company=shop.company, content_hash=digest)
        assert original_path(shop.company, digest, ".csv").read_bytes() == content
        assert record.file_name == NAME
    assert not any(staging_of(shop).iterdir())


@pytest.mark.django_db(transaction=True)
def test_the_same_bytes_accepted_twice_at_once_make_one_import_and_the_other_is_told(shop, month) -> None:
    data = variant(month.orders[0], 7)
    names = ["orders_2023-11.csv", "十一月订单.csv"]
    tokens = [import_service.stage_upload(shop.company, n, [data])[0] for n in names]

    def accept(i: int) -> str:
        response = client_for(shop.user).post(reverse("accept_import", args=[shop.company.pk, tokens[i]]),
                                              {"store": shop.store.pk}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return response.content.decode()

    pages = in_threads(2, accept)
    assert not [p for p in pages if isinstance(p, Exception)], pages
    assert sorted("accepted" in p for p in pages) == [False, True]
    record = Import.objects.get(company=shop.company)
    refused = next(p for p in pages if "accepted" not in p)
    assert "This exact file was already imported on" in refused
    assert f"as {record.file_name}" in refused
    # the winner's files are its own: the entries name the file the row names
    entries = pq.read_table(entries_path(shop.company, record.content_hash))
    assert set(entries["file"].to_pylist()) == {record.file_name}
    assert not any(staging_of(shop).iterdir())


def test_accept_refuses_a_staged_file_whose_bytes_changed(shop, month) -> None:
    token, staged = import_service.stage_upload(shop.company, NAME, [variant(month.orders[0], 3)])
    staged.write_bytes(variant(month.orders[0], 4))  # another upload's bytes in its place
    changed = "changed after it was uploaded"
    with translation.override("en"), pytest.raises(import_service.UploadRefused, match=changed):
        import_service.accept(shop.company, token, user=shop.user, store=shop.store)
    assert not Import.objects.exists()
    assert not any(staging_of(shop).iterdir())


# ---- §4: staging is cleaned -------------------------------------------------------------------

def test_refused_unreadable_discarded_and_already_imported_uploads_leave_nothing(shop, month,
                                                                                settings) -> None:
    client = client_for(shop.user)
    settings.HUIKUAN_MAX_UPLOAD_BYTES = 64 * 1024
    big = post_upload(client, shop.company.pk, "big.csv", b"1,2\n" * 20_000).content.decode()
    assert "larger than" in big
    junk = post_upload(client, shop.company.pk, "photo.csv", bytes(range(256)) * 40).content.decode()
    assert "photo.csv" in junk
    assert 'class="error"' in junk
    page = post_upload(client, shop.company.pk, NAME, month.orders[0].read_bytes()).content.decode()
    client.post(reverse("discard_import", args=[shop.company.pk, CARD.findall(page)[0]]))
    token, _ = import_service.stage_upload(shop.company, NAME, [variant(month.orders[0], 1)])
    import_service.accept(shop.company, token, user=shop.user, store=shop.store)
    again = post_upload(client, shop.company.pk, "copy.csv", variant(month.orders[0], 1)).content.decode()
    assert "already imported" in again
    assert not any(staging_of(shop).rglob("*"))
    assert not shop.company.staged_uploads.exists()


def test_abandoned_uploads_and_orphan_part_files_are_removed_after_the_maximum_age(shop, month,
                                                                                  settings) -> None:
    settings.HUIKUAN_STAGING_MAX_AGE_HOURS = 24
    abandoned, _ = import_service.stage_upload(shop.company, NAME, [variant(month.orders[0], 1)])
    shop.company.staged_uploads.filter(token=abandoned).update(
        created=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).timestamp()
    killed = staging_of(shop) / ("ab" * 16)  # a server killed mid-upload: a part file, no row
    killed.mkdir()
    (killed / ".part").write_bytes(b"x" * 1000)
    legacy = staging_of(shop) / ".upload-0123456789ab.part"  # what older versions left
    legacy.write_bytes(b"y" * 1000)
    for path in (killed / ".part", killed, legacy):
        os.utime(path, (old, old))
    in_progress = staging_of(shop) / ("cd" * 16)  # an upload arriving right now
    in_progress.mkdir()
    (in_progress / ".part").write_bytes(b"z")
    # the next upload cleans up
    fresh, _ = import_service.stage_upload(shop.company, NAME, [variant(month.orders[0], 2)])
    left = {p.name for p in staging_of(shop).iterdir()}
    assert left == {fresh, in_progress.name}
    assert list(shop.company.staged_uploads.values_list("token", flat=True)) == [fresh]
    # and the worker's command, for companies nobody uploads to
    shop.company.staged_uploads.update(created=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25))
    for path in (in_progress / ".part", in_progress):
        os.utime(path, (old, old))
    call_command("clean_staging")
    assert not any(staging_of(shop).iterdir())
    assert not shop.company.staged_uploads.exists()


# ---- §5: the size limit holds before the body lands on disk ---------------------------------------

class CountingHandler(FileUploadHandler):
    """Counts the bytes handed on towards the handlers that write files (memory, temporary file)."""

    seen: ClassVar[dict[str, int]] = {}

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        name = self.file_name or ""
        CountingHandler.seen[name] = CountingHandler.seen.get(name, 0) + len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def counted(settings, tmp_path) -> dict[str, int]:
    """Upload handlers as configured, with the counter in front of Django's writing handlers, and
    a temporary folder of their own."""
    handlers = list(settings.FILE_UPLOAD_HANDLERS)
    writing = next(i for i, h in enumerate(handlers) if h.endswith(("MemoryFileUploadHandler",
                                                                     "TemporaryFileUploadHandler")))
    settings.FILE_UPLOAD_HANDLERS = [*handlers[:writing], f"{__name__}.CountingHandler", *handlers[writing:]]
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    CountingHandler.seen = {}
    return CountingHandler.seen


def test_an_upload_announced_too_large_is_refused_before_its_body_is_read(shop, settings, counted,
                                                                         tmp_path) -> None:
    settings.HUIKUAN_MAX_UPLOAD_BYTES = 1024 * 1024
    response = post_upload(client_for(shop.user), shop.company.pk, NAME, b"1" * (3 * 1024 * 1024))
    assert response.status_code == 413
    page = response.content.decode()
    assert "at most 2 MB can be sent at once" in page
    assert "card error" in page
    assert counted == {}  # not one byte handed on to be written
    assert not any((tmp_path / "upload-tmp").iterdir())
    assert not staging_of(shop).exists() or not any(staging_of(shop).iterdir())


def test_a_file_passing_the_limit_while_streaming_stops_being_written(shop, settings, counted, month,
                                                                     tmp_path) -> None:
    settings.HUIKUAN_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.HUIKUAN_MAX_UPLOAD_REQUEST_BYTES = 64 * 1024 * 1024  # the body passes the first guard
    client = client_for(shop.user)
    files = [SimpleUploadedFile("huge.csv", b"1,2\n" * (2 * 1024 * 1024)),
             SimpleUploadedFile(NAME, month.orders[0].read_bytes())]
    response = client.post(reverse("upload", args=[shop.company.pk]), {"files": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert "huge.csv: the file is larger than 1 MB" in page
    assert page.count('class="card preview"') == 1  # the other file of the batch is there
    assert counted["huge.csv"] <= settings.HUIKUAN_MAX_UPLOAD_BYTES + 64 * 1024  # one chunk past, no more
    assert not any((tmp_path / "upload-tmp").iterdir())
    assert [u.file_name for u in shop.company.staged_uploads.all()] == [NAME]


# ---- §5: large files are previewed by the worker -----------------------------------------------

def test_a_large_file_is_previewed_by_the_worker_while_the_page_polls(shop, month, settings) -> None:
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024  # the month's orders count as large here
    client = client_for(shop.user)
    page = post_upload(client, shop.company.pk, NAME, month.orders[0].read_bytes()).content.decode()
    token = CARD.findall(page)[0]
    poll = reverse("staged_preview", args=[shop.company.pk, token])
    assert "Reading…" in page
    assert "0 %" in page
    assert f'hx-get="{poll}"' in page
    assert "Accept" not in page
    assert "Reading…" in client.get(poll).content.decode()  # still queued
    assert work_once()  # the worker reads it
    done = client.get(poll).content.decode()
    assert "Reading…" not in done
    assert "hx-get" not in done.split("<form")[0]
    assert "taobao_orders" in done
    assert "Accept" in done
    assert shop.company.staged_uploads.get(token=token).progress == 100
    response = client.post(reverse("accept_import", args=[shop.company.pk, token]), {"store": shop.store.pk})
    assert response.status_code == 200
    record = shop.company.imports.get()
    assert record.file_name == NAME
    # the import is what reading the file in the request gives
    token, _ = import_service.stage_upload(shop.company, NAME, [variant(month.orders[0], 1)])
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 10 ** 9
    direct = import_service.accept(shop.company, token, user=shop.user, store=shop.store)
    same = ("format_id", "role", "encoding", "rows_read", "entries", "totals", "checks", "period_start")
    assert {f: getattr(record, f) for f in same} == {f: getattr(direct, f) for f in same}
    assert pq.read_table(entries_path(shop.company, record.content_hash)).num_rows == record.entries
    # a statement with its balance checks goes through the worker the same way
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024
    statement = month.bank[0]
    page = post_upload(client, shop.company.pk, statement.name, statement.read_bytes()).content.decode()
    assert work_once()
    poll = reverse("staged_preview", args=[shop.company.pk, CARD.findall(page)[0]])
    done = client.get(poll).content.decode()
    assert 'name="bank_account"' in done
    assert 'class="error"' not in done


@pytest.mark.django_db(transaction=True)
def test_the_card_shows_how_far_the_worker_read(shop, month, settings, monkeypatch) -> None:
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024
    monkeypatch.setattr(progress, "EVERY", 10)  # the reader tells its count every 10 rows, not 50 000
    # 12 MB in 120 rows: each block the reader takes is a few dozen rows
    data = re.sub(rb"(\n=\"\d+\",(?:[^,]*,){10}),", lambda m: m.group(1) + b"x" * 100_000 + b",",
                  month.orders[0].read_bytes())
    token, _ = import_service.stage_upload(shop.company, NAME, [data])
    import_service.start_preview(shop.company, token)
    poll = reverse("staged_preview", args=[shop.company.pk, token])
    seen: list[int] = []
    finished = threading.Event()

    def watch() -> None:
        client = client_for(shop.user)
        try:
            while not finished.is_set():
                page = client.get(poll).content.decode()
                if found := re.search(r"Reading… (\d+) %", page):
                    seen.append(int(found.group(1)))
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert work_once()
    finally:
        finished.set()
        watcher.join()
    assert [p for p in seen if 0 < p < 100], seen  # the card moved while the file was read
    assert seen == sorted(seen)
    assert "Accept" in client_for(shop.user).get(poll).content.decode()


def test_an_unreadable_large_file_is_told_and_kept_nowhere(shop, settings) -> None:
    settings.HUIKUAN_PREVIEW_IN_WORKER_BYTES = 1024
    client = client_for(shop.user)
    page = post_upload(client, shop.company.pk, "photo.csv", bytes(range(256)) * 40).content.decode()
    token = CARD.findall(page)[0]
    assert work_once()
    assert not any(staging_of(shop).iterdir())
    done = client.get(reverse("staged_preview", args=[shop.company.pk, token])).content.decode()
    assert "photo.csv" in done
    assert 'class="error"' in done
    assert not shop.company.staged_uploads.exists()


# ---- §5: the same bytes under a new name ----------------------------------------------------------

@pytest.mark.parametrize(("language", "said"), [("en", "This exact file was already imported on"),
                                                ("zh-hans", "这个文件已于"), ("zh-hant", "這個文件已於")])
def test_the_same_bytes_under_a_new_name_are_named_as_the_old_import(shop, month, language, said) -> None:
    data = month.orders[0].read_bytes()
    first = import_service.accept(shop.company, import_service.stage_upload(shop.company, NAME, [data])[0],
                                  user=shop.user, store=shop.store)
    when = first.created.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    client = client_for(shop.user, language)
    page = post_upload(client, shop.company.pk, "十一月订单.csv", data).content.decode()
    assert "十一月订单.csv" in page  # the card is the new upload's
    assert said in page
    assert NAME in page
    assert when in page
    token, _ = import_service.stage_upload(shop.company, "again.csv", [data])
    with translation.override(language), pytest.raises(import_service.UploadRefused) as refused:
        import_service.accept(shop.company, token, user=shop.user, store=shop.store)
    assert said in str(refused.value)
    assert NAME in str(refused.value)
    assert when in str(refused.value)

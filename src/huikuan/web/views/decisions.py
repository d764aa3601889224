"""The workbench's actions: each a POST that calls one service and returns to the run page with
a message. Role and company come from ``get_company_or_404`` (a viewer or an outsider gets 404);
the services check the role and the lock again, so no page can bypass them."""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huikuan.web import selectors
from huikuan.web.effective import effective_folder
from huikuan.web.models import Run
from huikuan.web.services import decisions as service
from huikuan.web.services import periods
from huikuan.web.templatetags.huikuan_format import money

#: action → (service, takes selected records rather than a match id)
ACTIONS = {
    "confirm": (service.confirm, False),
    "reject": (service.reject, False),
    "unmatch": (service.unmatch, False),
    "manual_match": (service.manual_match, True),
    "write_off": (service.write_off, True),
    "note": (service.add_note, True),
}
log = logging.getLogger(__name__)
DONE = {"confirm": gettext_lazy("Confirmed."),
        "reject": gettext_lazy("Rejected: the records are unmatched again."),
        "unmatch": gettext_lazy("Unmatched."), "manual_match": gettext_lazy("Matched by hand."),
        "write_off": gettext_lazy("Written off."), "note": gettext_lazy("Note added.")}


def _back(request: HttpRequest, run: Run) -> HttpResponse:
    query = {k: request.POST[k] for k in ("flow", "tab") if request.POST.get(k)}
    url = reverse("run", args=[run.company_id, run.pk])
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def _run(request: HttpRequest, company_id: int, run_id: int, action: str) -> Run:
    company = selectors.get_company_or_404(request.user, company_id, action)
    run = selectors.get_run_or_404(company, run_id)
    if run.status != "done":
        raise Http404("no results yet")
    return run


def _seen(request: HttpRequest) -> dt.datetime | None:
    """When the page the clerk acted on was shown (its forms send it), so that a refusal can say
    someone else changed the records since; None when not sent or not a time."""
    try:
        seen = dt.datetime.fromisoformat(request.POST.get("seen", ""))
    except ValueError:
        return None
    return seen if seen.tzinfo is not None else None


def _prepare(run: Run, flow: str) -> None:
    """Write the pages' prepared folder for the decisions now in force, here in the POST that
    changed them, so the page views that follow only read. Should it fail, the decision stands
    and the next page view prepares the folder itself."""
    try:
        effective_folder(run, flow)
    except Exception:
        log.exception("run %s: preparing %s after a decision failed", run.pk, flow)


def _selected(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The records ticked on the page, sent as ``side|file|record_id``."""
    keys = []
    for value in request.POST.getlist("record")[:500]:
        side, _sep, rest = value.partition("|")
        file, _sep, record_id = rest.partition("|")
        if side in ("left", "right") and file and record_id:
            keys.append((file, record_id, side))
    return keys


@login_required
@require_POST
def decide(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    run = _run(request, company_id, run_id, "decide")
    action, flow = request.POST.get("action", ""), request.POST.get("flow", "")
    if action not in ACTIONS:
        raise Http404("no such action")
    act, by_records = ACTIONS[action]
    note = request.POST.get("note", "")[:1000]
    match_id, seen = request.POST.get("match_id", ""), _seen(request)
    try:
        if action == "write_off":
            # a whole match from the differences tab, or the records ticked in the selection bar
            records = service.group(run, flow, match_id, seen=seen) if match_id else \
                service.refs(run, _selected(request))
            outcome = service.write_off(request.user, run, flow, records, request.POST.get("reason", ""),
                                        note=note, seen=seen)
        elif by_records:
            outcome = act(request.user, run, flow, service.refs(run, _selected(request)), note,  # type: ignore[operator]
                          seen=seen)
        else:
            outcome = act(request.user, run, flow, match_id, note, seen=seen)  # type: ignore[operator]
    except (service.DecisionRefused, periods.PeriodLocked, periods.NotAllowed) as exc:
        messages.error(request, str(exc))
        return _back(request, run)
    text = str(DONE[action])
    if action == "manual_match":
        text += " " + _("Left %(left)s, right %(right)s, difference %(difference)s.") % {
            "left": money(outcome.left_minor), "right": money(outcome.right_minor),
            "difference": money(outcome.difference_minor)}
    elif action == "write_off":
        # a whole match's difference is its failing check's (fees aside), not left − right of
        # every line, so the sides' totals would not add up to it on screen
        text += " " + _("Difference written off: %(difference)s.") % {
            "difference": money(outcome.difference_minor)}
    messages.success(request, text)
    _prepare(run, flow)
    return _back(request, run)


@login_required
@require_POST
def undo(request: HttpRequest, company_id: int, run_id: int, decision_id: int) -> HttpResponse:
    run = _run(request, company_id, run_id, "decide")
    try:
        undone = service.undo(request.user, run, decision_id, seen=_seen(request))
    except (service.DecisionRefused, periods.PeriodLocked, periods.NotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Undone."))
        _prepare(run, undone.flow)
    return _back(request, run)


@login_required
@require_POST
def lock(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    run = _run(request, company_id, run_id, "lock")
    periods.lock_period(request.user, run)
    messages.success(request, _("The period is locked."))
    return _back(request, run)


@login_required
@require_POST
def unlock(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    run = _run(request, company_id, run_id, "unlock")
    periods.unlock_period(request.user, run)
    messages.success(request, _("The period is unlocked."))
    return _back(request, run)


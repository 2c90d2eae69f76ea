"""Public pages of 協働事業提案: the calls with their guide, themes, schedule and criteria
(published before a call opens: 透明性), and the adopted proposals once the decisions are
released — never before, and never the ones not adopted."""

from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from kyodo.downloads import file_download
from organizations.selectors import valid_organizations_managed_by
from proposals import selectors

ONE_PLACE = Decimal("0.1")


def _is_open(round_, today) -> bool:
    return round_.call_opens_on <= today <= round_.submission_deadline


def index(request):
    today = timezone.localdate()
    rounds = list(selectors.published_rounds().order_by("-submission_deadline", "-pk"))
    open_now = [r for r in rounds if _is_open(r, today)]
    upcoming = sorted(
        (r for r in rounds if today < r.call_opens_on), key=lambda r: (r.call_opens_on, r.pk)
    )
    past = [r for r in rounds if r.submission_deadline < today]
    return render(
        request,
        "proposals/public_index.html",
        {
            "open_rounds": open_now,
            "upcoming_rounds": upcoming,
            "past_rounds": past,
            "can_start": bool(open_now) and valid_organizations_managed_by(request.user).exists(),
        },
    )


def _criteria_rows(round_) -> list[dict]:
    """Each criterion with its share of the 100 points (weight over the sum of weights)."""
    criteria = list(round_.criteria.all())
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    return [
        {
            "criterion": c,
            "share": (c.weight / total_weight * 100).quantize(ONE_PLACE) if total_weight else None,
        }
        for c in criteria
    ]


def round_detail(request, pk):
    round_ = selectors.published_round(pk)
    today = timezone.localdate()
    is_open = _is_open(round_, today)
    return render(
        request,
        "proposals/public_round.html",
        {
            "round": round_,
            "themes": list(round_.themes.all()),
            "stages": list(round_.stages.all()),
            "criteria": _criteria_rows(round_),
            "is_open": is_open,
            "not_yet_open": today < round_.call_opens_on,
            "can_start": is_open and valid_organizations_managed_by(request.user).exists(),
        },
    )


def round_guide(request, pk):
    """The call's guide file, for published calls only."""
    return file_download(selectors.published_round(pk).guide_file)


def results(request, pk):
    """The adopted proposals of a call, once its decisions are released; before that the page
    says when they are expected and shows nothing else."""
    round_ = selectors.published_round(pk)
    adopted = list(selectors.released_results(round_))
    for proposal in adopted:
        proposal.round = round_  # the number (reference) names the call's year: no query a row
    return render(
        request,
        "proposals/public_results.html",
        {"round": round_, "released": round_.decisions_released, "adopted": adopted},
    )

"""Nobody outside staff and the proposing organization sees a draft: not the reviewers of
its call, not its chair, not the 所管課 official named on it — on any page, file or PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import services
from tests.factories import ProposalFactory, UserFactory, WardOfficialFactory
from tests.proposals.conftest import manager_of


@pytest.fixture
def draft(in_review):
    proposal = ProposalFactory(round=in_review["round"], title="非公開の下書きタイトル")
    owner = manager_of(proposal.organization)
    attachment = services.attachment_add(
        proposal=proposal,
        by=owner,
        title="下書き資料",
        upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4 draft"),
    )
    official = WardOfficialFactory()
    services.department_assign(
        proposal=proposal, by=in_review["staff"], department="地域振興課", official=official
    )
    return {
        **in_review,
        "draft": proposal,
        "attachment": attachment,
        "department": official,
        "owner": owner,
    }


def _urls(world):
    stage, proposal, attachment = world["stage"], world["draft"], world["attachment"]
    review = [
        reverse("proposals_review:score", args=[stage.pk, proposal.pk]),
        reverse("proposals_review:packet_pdf", args=[stage.pk, proposal.pk]),
        reverse("proposals_review:score_sheet_pdf", args=[stage.pk, proposal.pk]),
        reverse("proposals_review:attachment", args=[stage.pk, proposal.pk, attachment.pk]),
        reverse("proposals_review:opinion", args=[proposal.pk]),
    ]
    organization = [
        reverse("proposals:detail", args=[proposal.pk]),
        reverse("proposals:edit", args=[proposal.pk]),
        reverse("proposals:attachment", args=[proposal.pk, attachment.pk]),
        reverse("proposals:submitted_pdf", args=[proposal.pk]),
    ]
    return review + organization


@pytest.mark.parametrize("who", ["council", "official", "chair", "department", "stranger"])
def test_a_draft_is_404_for_everyone_outside(client, draft, who):
    person = UserFactory() if who == "stranger" else draft[who]
    client.force_login(person)
    for url in _urls(draft):
        response = client.get(url)
        assert response.status_code == 404, (who, url, response.status_code)
    for url in (
        reverse("proposals_review:stage", args=[draft["stage"].pk]),
        reverse("proposals_review:dashboard", args=[draft["stage"].pk]),
        reverse("proposals_review:home"),
        reverse("proposals:index"),
        reverse("proposals:results", args=[draft["round"].pk]),
    ):
        body = client.get(url).content.decode()
        assert "非公開の下書きタイトル" not in body, (who, url)


def test_staff_and_the_organization_see_the_draft(client, draft):
    client.force_login(draft["owner"])
    assert (
        "非公開の下書きタイトル"
        in client.get(reverse("proposals:detail", args=[draft["draft"].pk])).content.decode()
    )
    client.force_login(draft["staff"])
    assert (
        "非公開の下書きタイトル"
        in client.get(
            reverse("proposals_staff:proposal", args=[draft["draft"].pk])
        ).content.decode()
    )
    assert (
        "非公開の下書きタイトル"
        not in client.get(
            reverse("proposals_review:dashboard", args=[draft["stage"].pk])
        ).content.decode()
    )  # drafts are not in review

"""The backoffice of the evaluations: staff edit the year's template (items, weights) and the
council members assigned; statuses, sheets, confirmed targets and reports are read-only, and
every change keeps its history."""

import pytest
from django.urls import reverse

from evaluations.models import Sheet, SheetTemplate, TargetSheet


@pytest.fixture
def admin_client(client, world):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    return client


def test_every_evaluation_admin_page_opens(admin_client, world):
    world.decided()
    sheet = Sheet.objects.filter(evaluation=world.evaluation).first()
    for model, obj in [
        ("sheettemplate", world.evaluation.template),
        ("evaluation", world.evaluation),
        ("targetsheet", world.evaluation.targets),
        ("sheet", sheet),
    ]:
        changelist = admin_client.get(reverse(f"admin:evaluations_{model}_changelist"))
        assert changelist.status_code == 200, model
        change = admin_client.get(reverse(f"admin:evaluations_{model}_change", args=[obj.pk]))
        assert change.status_code == 200, model
        history = admin_client.get(reverse(f"admin:evaluations_{model}_history", args=[obj.pk]))
        assert history.status_code == 200, model
    for model in ("evaluationreport", "evaluationreminder"):
        assert admin_client.get(reverse(f"admin:evaluations_{model}_changelist")).status_code == 200


def test_staff_change_the_weights_of_a_year_and_it_is_in_the_history(admin_client, world):
    template = world.evaluation.template
    items = list(template.items.order_by("order"))
    data = {
        "fiscal_year": template.fiscal_year,
        "weight_self": "10",
        "weight_department": "30",
        "weight_council": "60",
        "show_earlier_sheets": "on",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data |= {
            f"items-{i}-id": item.pk,
            f"items-{i}-template": template.pk,
            f"items-{i}-order": item.order,
            f"items-{i}-name": item.name,
            f"items-{i}-name_en": item.name_en,
            f"items-{i}-description": item.description,
        }
    response = admin_client.post(
        reverse("admin:evaluations_sheettemplate_change", args=[template.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.weights == {"self": 10, "department": 30, "council": 60}
    assert template.history.count() == 2


def test_sheets_and_confirmed_targets_are_read_only(admin_client, world):
    world.self_done()
    sheet = Sheet.objects.get(evaluation=world.evaluation)
    page = admin_client.get(reverse("admin:evaluations_sheet_change", args=[sheet.pk]))
    assert 'name="went_well"' not in page.content.decode()
    target_page = admin_client.get(
        reverse("admin:evaluations_targetsheet_change", args=[world.evaluation.targets.pk])
    ).content.decode()
    assert 'name="beneficiary_unmeasured_reason"' not in target_page
    assert 'name="targets-0-title"' not in target_page
    assert TargetSheet.objects.get().is_frozen
    assert SheetTemplate.objects.count() == 1

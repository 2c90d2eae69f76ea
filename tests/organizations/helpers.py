"""Shared builders for the organizations tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import ActivityField

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name="kiyaku.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def application_post(**overrides):
    """A complete, valid 利用団体登録申請 as the form posts it."""
    data = {
        "name": "日本橋こどもの森",
        "name_kana": "にほんばしこどものもり",
        "org_type": "voluntary",
        "corporate_number": "",
        "established_on": "2020-04-01",
        "representative_name": "森　花子",
        "representative_kana": "ﾓﾘ ﾊﾅｺ",
        "postal_code": "１０３０００１",
        "prefecture": "東京都",
        "city": "中央区",
        "street": "日本橋小伝馬町5-1",
        "building": "",
        "phone": "03-1111-2222",
        "fax": "",
        "email": "mori@example.jp",
        "website": "",
        "sns": "",
        "activity_fields": [ActivityField.objects.get(number=13).pk],
        "activity_area": "中央区全域",
        "member_count": "8",
        "staff_count": "0",
        "annual_budget": "",
        "purpose": "子どもの居場所づくり",
        "activities": "放課後の遊び場",
        "activity_schedule": "",
        "active_in_ward": "on",
        "note": "",
        "consent": "on",
        "rules_document": pdf_upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}

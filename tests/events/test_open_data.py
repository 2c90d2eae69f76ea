"""「イベント一覧」: the standard header byte for byte, UTF-8 with BOM, one row per event."""

import csv
import io

import pytest
from django.urls import reverse

from tests.events.conftest import add_session, in_days, make_event
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

STANDARD_HEADER = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,"
    "イベント名_英語,開始日,終了日,開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),"
    "連絡先名称,連絡先電話番号,連絡先内線番号,主催者,場所名称,住所,方書,緯度,経度,アクセス方法,"
    "駐車場情報,定員,参加申込終了日,参加申込終了時間,参加申込方法,URL,備考\r\n"
)


def test_the_open_data_csv_has_the_standard_header_and_one_row_per_event(client, room, staff):
    course = make_event(
        title="市民活動入門講座",
        title_kana="シミンカツドウニュウモンコウザ",
        kind="course",
        cohost_organization=OrganizationFactory(name="日本橋まちづくり会"),
        organizer="organization",
    )
    for week in range(3):
        add_session(course, in_days(10 + 7 * week), hour=14, until=16, room=room, by=staff)
    cafe = make_event(title="十思カフェ", fee=500)
    add_session(cafe, in_days(3), place="区民館", by=staff)
    make_event(title="非公開", published=False)

    response = client.get(reverse("events:open_data"))

    body = response.content
    assert body.startswith(b"\xef\xbb\xbf" + STANDARD_HEADER.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3  # the header and one row per published event
    by_title = {row[4]: row for row in rows[1:]}
    first = by_title["市民活動入門講座"]
    assert first[0] == "131024" and first[2:4] == ["東京都", "中央区"]
    assert first[5] == "シミンカツドウニュウモンコウザ"
    assert first[7] == f"{in_days(10):%Y-%m-%d}" and first[8] == f"{in_days(24):%Y-%m-%d}"
    assert (first[9], first[10]) == ("14:00", "16:00")
    assert first[11].startswith("全3回")
    assert first[13] == "無料" and "日本橋まちづくり会" in first[18]
    assert "会議室" in first[19]
    assert first[30].endswith(reverse("events:event_detail", args=[course.pk]))
    assert by_title["十思カフェ"][13] == "500円"


def test_the_open_data_is_japanese_in_the_english_interface_too(client):
    add_session(make_event(title="十思カフェ"), in_days(3), place="区民館")
    client.cookies["django_language"] = "en"
    body = client.get(reverse("events:open_data")).content.decode("utf-8-sig")
    assert body.startswith("都道府県コード又は市区町村コード") and "無料" in body

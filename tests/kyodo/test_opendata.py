"""The オープンデータ page and the rooms as 「公共施設一覧」."""

import csv
import io

import pytest

from facilities.models import Resource
from facilities.opendata import PUBLIC_FACILITIES_HEADER

pytestmark = pytest.mark.django_db

HEADER_LINE = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,名称_通称,"
    "POIコード,住所,方書,緯度,経度,電話番号,内線番号,法人番号,団体名,利用可能曜日,開始時間,"
    "終了時間,利用可能日時特記事項,説明,バリアフリー情報,URL,備考"
)


def _rows(client):
    response = client.get("/opendata/public-facilities.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    return body, list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_header_is_the_standard_one_byte_for_byte_after_the_bom(client):
    body, rows = _rows(client)
    assert body.encode("utf-8").startswith(b"\xef\xbb\xbf" + HEADER_LINE.encode("utf-8") + b"\r\n")
    assert tuple(rows[0]) == PUBLIC_FACILITIES_HEADER
    assert all(len(row) == len(PUBLIC_FACILITIES_HEADER) for row in rows)


def test_one_row_per_whole_room_with_the_center_and_its_hours(client):
    _body, rows = _rows(client)
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    rooms = Resource.objects.filter(kind="room", parent__isnull=True, is_active=True)
    assert sorted(r["名称_通称"] for r in records) == sorted(room.name for room in rooms)
    meeting = next(r for r in records if r["名称_通称"] == "会議室")
    assert meeting["都道府県コード又は市区町村コード"] == "131024"
    assert (meeting["都道府県名"], meeting["市区町村名"]) == ("東京都", "中央区")
    assert meeting["住所"] == "東京都中央区日本橋小伝馬町5-1"
    assert meeting["方書"] == "十思スクエア2階"
    # Closed on Mondays: the center's hours, whatever the room's own.
    assert "月" not in meeting["利用可能曜日"] and "月曜日休館" in meeting["利用可能日時特記事項"]
    assert (meeting["開始時間"], meeting["終了時間"]) == ("09:00", "21:00")
    assert "定員60名" in meeting["備考"] and "会議室A" in meeting["備考"]
    assert meeting["URL"].endswith(f"/facilities/{Resource.objects.get(name='会議室').pk}/")


def test_an_inactive_room_is_not_published(client):
    Resource.objects.filter(name="サロン").update(is_active=False)
    _body, rows = _rows(client)
    assert all(row[6] != "サロン" for row in rows[1:])


def test_the_open_data_page_lists_the_set_with_its_licence(client):
    body = client.get("/opendata/").content.decode()
    assert 'href="/opendata/public-facilities.csv"' in body
    assert "CC BY 4.0" in body


def test_the_open_data_page_lists_the_events_too(client):
    body = client.get("/opendata/").content.decode()
    assert 'href="/events/opendata/event-list.csv"' in body


def test_the_newsletter_can_carry_the_upcoming_events():
    from publications.blocks import render_blocks
    from tests.events.conftest import add_session, in_days, make_event

    event = make_event(title="つながりマルシェ")
    add_session(event, in_days(10), place="十思スクエア")
    html = render_blocks(["events"])
    assert "つながりマルシェ" in html and f"/events/{event.pk}/" in html
    assert render_blocks([]) == ""

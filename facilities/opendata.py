"""The rooms as the standard open-data set 「公共施設一覧」.

The columns are those of the 推奨データセット's 公共施設一覧 (24 columns, in this order); the
later 自治体標準オープンデータセット revisions add columns — when the ward asks for one, change
this one tuple and its test. One row per bookable room (a room's parts are in its 備考), with
the center's address, phone and operator, and the room's weekly hours from its data."""

import re

from django.urls import reverse

from facilities.enums import ResourceKind
from facilities.models import Resource
from kyodo.opendata import publisher
from kyodo.selectors import annual_closures, center_profile, opening_hours

PUBLIC_FACILITIES_HEADER = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "名称_通称",
    "POIコード",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "法人番号",
    "団体名",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "説明",
    "バリアフリー情報",
    "URL",
    "備考",
)

WEEKDAY_KANJI = "月火水木金土日"


def _address_parts(address: str) -> tuple[str, str]:
    """住所 and 方書 (the building and floor): the center's address holds both, the building
    after the first space (e.g. 「…小伝馬町5-1 十思スクエア2階」)."""
    parts = re.split(r"[ \u3000]+", address.strip(), maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


def public_facilities_rows(site_url: str) -> list[list[str]]:
    center = center_profile()
    who = publisher()
    street, building = _address_parts(center.address)
    closures = "・".join(
        f"{closure.name}（{closure.start_month}/{closure.start_day}〜"
        f"{closure.end_month}/{closure.end_day}）"
        for closure in annual_closures()
    )
    # A weekday counts when the center is open and the room has hours on it.
    center_open = {h.weekday for h in opening_hours() if not h.is_closed}
    rooms = (
        Resource.objects.filter(is_active=True, kind=ResourceKind.ROOM, parent__isnull=True)
        .prefetch_related("hours", "parts")
        .order_by("order", "pk")
    )
    rows = []
    for room in rooms:
        hours = sorted(
            (h for h in room.hours.all() if h.weekday in center_open), key=lambda h: h.weekday
        )
        open_days = {h.weekday for h in hours}
        days = "".join(WEEKDAY_KANJI[day] for day in sorted(open_days))
        closed = "".join(d for i, d in enumerate(WEEKDAY_KANJI) if i not in open_days)
        notes = []
        if closed:
            notes.append(f"{closed}曜日休館")
        if closures:
            notes.append(closures)
        notes.append("臨時休館あり（センターのお知らせで案内）")
        remarks = [f"定員{room.capacity}名"] if room.capacity else []
        parts = [part.name for part in room.parts.all() if part.is_active]
        if parts:
            remarks.append("分割利用可（" + "・".join(parts) + "）")
        rows.append(
            [
                who["code"],
                str(room.pk),
                who["prefecture"],
                who["city"],
                f"{center.name} {room.name}",
                "",
                room.name,
                "",
                street,
                building,
                "",
                "",
                center.phone,
                "",
                "",
                center.operator_name or center.name,
                days,
                min(h.opens for h in hours).strftime("%H:%M") if hours else "",
                max(h.closes for h in hours).strftime("%H:%M") if hours else "",
                "、".join(notes),
                room.description,
                "",
                site_url + reverse("facilities:resource_detail", kwargs={"pk": room.pk}),
                "、".join(remarks),
            ]
        )
    return rows

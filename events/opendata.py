"""The events as the government's standard open data set 「イベント一覧」 (自治体標準オープンデータ
セット): UTF-8 with BOM, exactly its columns in its order, one row per published event. The
data set is Japanese whatever the reader's language."""

from django.utils import timezone, translation

from kyodo.mail import absolute_url

HEADER = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)

CITY_CODE = "131024"  # 中央区 (全国地方公共団体コード with its check digit)
PREFECTURE = "東京都"
CITY = "中央区"


def _place(session, center) -> tuple[str, str]:
    if session.resource_id:
        return f"{center.name} {session.resource.name}", center.address
    return session.place, session.address


def _organizer(event, center) -> str:
    if event.cohost_organization_id:
        return f"{center.name}、{event.cohost_organization.name}（共催）"
    if event.cohost_department:
        return f"{center.name}、{event.cohost_department}（共催）"
    return center.name


def rows(events):
    """The data rows of ``events`` (with their sessions prefetched as ``active_sessions``)."""
    from kyodo.selectors import center_profile

    center = center_profile()
    with translation.override("ja"):
        for event in events:
            sessions = event.active_sessions
            first, last = sessions[0], sessions[-1]
            place, address = _place(first, center)
            close = timezone.localtime(event.applications_close)
            notes = (
                f"全{len(sessions)}回（"
                + "、".join(f"{s.date:%Y-%m-%d} {s.starts:%H:%M}-{s.ends:%H:%M}" for s in sessions)
                + "）"
                if len(sessions) > 1
                else ""
            )
            yield [
                CITY_CODE,
                event.pk,
                PREFECTURE,
                CITY,
                event.title,
                event.title_kana,
                event.title_en,
                f"{first.date:%Y-%m-%d}",
                f"{last.date:%Y-%m-%d}",
                f"{first.starts:%H:%M}",
                f"{last.ends:%H:%M}",
                notes,
                event.description,
                "無料" if event.fee == 0 else f"{event.fee}円",
                event.fee_note,
                center.name,
                center.phone,
                "",
                _organizer(event, center),
                place,
                address,
                "",
                "",
                "",
                "",
                "",
                event.capacity,
                f"{close:%Y-%m-%d}",
                f"{close:%H:%M}",
                "ウェブサイトの申込ページから（先着順、定員を超えるとキャンセル待ち）",
                absolute_url(event.get_absolute_url()),
                "",
            ]

"""The オープンデータ page's registry: each pillar registers the standard open-data sets
(自治体標準オープンデータセット) it publishes, from its ``registrations.py``."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class OpenDataSet:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_datasets: dict[str, OpenDataSet] = {}


def register_dataset(dataset: OpenDataSet) -> None:
    _datasets[dataset.key] = dataset


def datasets() -> list[OpenDataSet]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.key))


# The publisher's identity in every set: Chuo City (地方公共団体コード 131024, DOMAIN.md).
def publisher() -> dict[str, str]:
    from django.conf import settings

    return {
        "code": settings.KYODO_LOCAL_GOVERNMENT_CODE,
        "prefecture": settings.KYODO_PREFECTURE_NAME,
        "city": settings.KYODO_CITY_NAME,
    }

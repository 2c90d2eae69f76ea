"""What 情報 adds to other apps' registries: navigation, the home page, the footer, demo data."""

from django.utils.translation import gettext_lazy as _

from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.footer import register_footer_section
from kyodo.home import HomeSection, register_home_section

navigation.register(
    navigation.NavItem(
        key="publications", label=_("Information"), url_name="publications:news_list", order=40
    )
)


def _home_news(request):
    from publications.selectors import news_for_home

    news = news_for_home()
    if not news["pinned"] and not news["latest"]:
        return None
    return news


register_home_section(
    HomeSection(
        key="news",
        title=_("News"),
        template="publications/home_news.html",
        context=_home_news,
        order=10,
    )
)


def _seed(stdout):
    from publications.demo import seed_publications

    return seed_publications(stdout)


register_seeder(60, "publications", _seed)

register_footer_section(key="newsletter", template="publications/footer_subscribe.html")

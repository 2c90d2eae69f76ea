"""What 情報 adds to other apps' registries: navigation, the home page, the footer, マイページ and
demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.footer import register_footer_section
from kyodo.home import HomeSection, register_home_section
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home

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


def _my_newsletter(request):
    from publications.enums import Topic
    from publications.models import Subscriber
    from publications.newsletter import unsubscribe_token

    if not request.user.is_authenticated:
        return None
    subscriber = Subscriber.objects.filter(email=request.user.email.strip().lower()).first()
    return {
        "subscriber": subscriber,
        "email": request.user.email,
        "unsubscribe_token": unsubscribe_token(subscriber) if subscriber else "",
        "topics": [
            str(Topic(t).label)
            for t in (subscriber.topics if subscriber else [])
            if t in Topic.values
        ],
    }


register_section(
    MyPageSection(
        key="newsletter",
        title=_("Newsletter"),
        template="publications/mypage_section.html",
        context=_my_newsletter,
        order=90,
    )
)


def _staff_work(request):
    from django.urls import reverse

    from publications.enums import GrantStatus, IssueStatus
    from publications.models import GrantListing, Issue
    from publications.rules import can_manage_publications

    if not can_manage_publications(request.user):
        return None
    return [
        WorkLine(
            _("Grant listings suggested by groups"),
            GrantListing.objects.filter(status=GrantStatus.SUGGESTED).count(),
            reverse("publications_staff:grant_suggestions"),
        ),
        WorkLine(
            _("Newsletters being sent"),
            Issue.objects.filter(status=IssueStatus.SENDING).count(),
            reverse("publications_staff:newsletter"),
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="publications", title=_("Information"), lines=_staff_work, order=45)
)

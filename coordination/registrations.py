"""What the board adds to other apps' registries: navigation, マイページ and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home

navigation.register(
    navigation.NavItem(
        key="coordination", label=_("Needs & offers"), url_name="coordination:board", order=55
    )
)


def _my_board(request):
    from coordination.selectors import interests_of, posts_of

    posts = list(posts_of(request.user)[:10])
    interests = list(interests_of(request.user)[:10])
    if not posts and not interests:
        return None
    return {"posts": posts, "interests": interests}


def _staff_board(request):
    from coordination.enums import PostStatus
    from coordination.models import Post
    from coordination.rules import can_moderate

    if not can_moderate(request.user):
        return None
    return {"waiting": Post.objects.filter(status=PostStatus.SUBMITTED).count()}


register_section(
    MyPageSection(
        key="coordination",
        title=_("Needs and offers board"),
        template="coordination/mypage_section.html",
        context=_my_board,
        order=40,
    )
)
register_section(
    MyPageSection(
        key="staff-coordination",
        title=_("Needs and offers board"),
        template="coordination/mypage_staff_section.html",
        context=_staff_board,
        order=8,
    )
)


def _seed(stdout):
    from coordination.demo import seed_board

    return seed_board(stdout)


register_seeder(60, "coordination", _seed)


# --- the council ---------------------------------------------------------------------------

navigation.register(
    navigation.NavItem(key="council", label=_("Council"), url_name="council:meetings", order=65)
)


def _council(request):
    from coordination.rules import can_see_council_pages

    return {} if can_see_council_pages(request.user) else None


register_section(
    MyPageSection(
        key="council",
        title=_("Collaboration Promotion Council"),
        template="coordination/mypage_council_section.html",
        context=_council,
        order=9,
    )
)


def _seed_council(stdout):
    from coordination.demo import seed_council

    return seed_council(stdout)


register_seeder(61, "council", _seed_council)


# --- the documents library -----------------------------------------------------------------

navigation.register(
    navigation.NavItem(key="library", label=_("Documents"), url_name="library:documents", order=75)
)


def _seed_library(stdout):
    from coordination.demo import seed_library

    return seed_library(stdout)


register_seeder(62, "library", _seed_library)


def _staff_work(request):
    from django.urls import reverse

    from coordination.enums import PostStatus
    from coordination.models import Post
    from coordination.rules import can_moderate

    if not can_moderate(request.user):
        return None
    return [
        WorkLine(
            _("Board posts waiting for the center's check"),
            Post.objects.filter(status=PostStatus.SUBMITTED).count(),
            reverse("coordination:staff_posts") + f"?status={PostStatus.SUBMITTED}",
        ),
    ]


register_staff_home(
    StaffHomeProvider(
        key="coordination", title=_("Needs and offers board"), lines=_staff_work, order=70
    )
)

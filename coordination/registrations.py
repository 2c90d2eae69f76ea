"""What the board adds to other apps' registries: navigation, マイページ and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder

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

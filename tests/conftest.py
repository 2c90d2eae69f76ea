import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from kyodo.celery import app as celery_app
from tests.factories import (
    CouncilMemberFactory,
    StaffFactory,
    UserFactory,
    WardOfficialFactory,
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test: tasks run in-process, uploads go to a temporary folder, rate-limit counters
    start at zero, and two-factor log-in is off unless a test turns it on."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = False
    # Hashing passwords the production way costs ~0.3 s a user; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    # A request answered in English leaves English active in the thread (the locale middleware
    # activates, nothing deactivates): every test starts in the portal's language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    celery_app.conf.task_always_eager = eager
    translation.deactivate()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def ward_official(db):
    return WardOfficialFactory()


@pytest.fixture
def council_member(db):
    return CouncilMemberFactory()


@pytest.fixture
def broker_down():
    """The Celery broker unreachable (a closed port, tasks not eager) until ``.restore()``."""
    from tests.kyodo.brokers import BrokerDown

    state = BrokerDown()
    state.start()
    yield state
    state.restore()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Inside a test transaction nothing commits: run the on_commit callbacks (queued tasks,
    e-mails) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def organization(db):
    from tests.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.fixture
def people(organization):
    """One person of every relation to ``organization``: its 代表管理者, a 管理者, a メンバー,
    a member of another organization, a signed-in stranger and center staff."""
    from tests.factories import MembershipFactory, OrganizationFactory

    other = MembershipFactory(organization=OrganizationFactory(), role="owner")
    return {
        "owner": MembershipFactory(organization=organization, role="owner").user,
        "manager": MembershipFactory(organization=organization, role="manager").user,
        "member": MembershipFactory(organization=organization, role="member").user,
        "outsider": other.user,
        "stranger": UserFactory(),
        "staff": StaffFactory(),
    }


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests on a real transaction (the browser journeys on live_server, the Celery worker)
    run last: the flush after each of them also empties what the data migrations made (roles,
    activity fields, the center's profile), which the other tests rely on. pytest-django
    orders them last too, but parametrised groups undo that ordering; a stable sort keeps it."""
    items.sort(
        key=lambda item: bool(
            {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        )
    )

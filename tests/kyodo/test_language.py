import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_japanese_whatever_the_browser_asks_for(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="ja">' in response.content.decode()


def test_the_language_switch_turns_the_site_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert '<html lang="ja">' in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_japanese(client):
    client.cookies["django_language"] = "fr"
    assert '<html lang="ja">' in client.get("/").content.decode()

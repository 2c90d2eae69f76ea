import pytest


@pytest.mark.django_db
def test_home_page_shows_the_center_in_japanese(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "協働ステーション中央" in body
    assert "日本橋小伝馬町5-1" in body

"""400, 403, 404 and 500 are Kehu pages in the reader's language (the top bar, a plain
sentence, a way back), not Django's bare English ones."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from kehu.core.models import Profile
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "title"), [("en", "Not found"), ("zh-hans", "未找到")])
def test_404_is_a_kehu_page(client, org, language, title):
    Profile.objects.filter(user=org.alice).update(language=language)
    login(client, org.alice)
    response = client.get("/customers/987654/")
    assert response.status_code == 404
    page = response.content.decode()
    assert title in page and 'class="topbar"' in page


def test_403_says_the_role_may_not(client, org):
    Profile.objects.filter(user=org.ana).update(language="zh-hans")
    login(client, org.ana)
    response = client.get(f"/customers/{org.customer.pk}/edit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_400_for_a_bad_parameter(client, org):
    Profile.objects.filter(user=org.alice).update(language="en")
    login(client, org.alice)
    response = client.get("/customers/", {"owner": "1,2,3"})
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_500_renders_without_a_request_context():
    # Django renders the 500 page without context processors (they may be what failed).
    with translation.override("en"):
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()

"""Demo data is marked on every page while it is loaded (issue 12)."""

import pytest
from django.urls import reverse

from stemnet.core.selectors import demo_data_loaded
from stemnet.core.services import demo_data_forget, demo_data_record

pytestmark = pytest.mark.django_db

BANNER = 'class="demo-banner"'


def test_no_demo_data_no_banner(client):
    assert not demo_data_loaded()
    for url in (reverse("portal:home"), reverse("reach:public_figures"), "/en/"):
        assert BANNER not in client.get(url).content.decode()


def test_banner_on_every_page_while_demo_data_is_loaded(client):
    demo_data_record(seed=2020)
    assert demo_data_loaded()
    pages = [
        reverse("portal:home"),
        reverse("agenda:activity_list"),
        reverse("organisations:organisation_list"),
        reverse("reach:public_figures"),
        reverse("portal:news_list"),
        "/en/",
        "/no-such-page/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert BANNER in html, url
    assert "verzonnen demogegevens" in client.get(reverse("portal:home")).content.decode()
    demo_data_forget()
    assert not demo_data_loaded()
    assert BANNER not in client.get(reverse("portal:home")).content.decode()


def test_home_key_figures_say_demo(client):
    assert 'id="demo-key-figures-note"' not in client.get(reverse("portal:home")).content.decode()
    demo_data_record(seed=1)
    assert 'id="demo-key-figures-note"' in client.get(reverse("portal:home")).content.decode()

"""Every public page of issue 2, in Dutch and English: no serious or critical axe violations."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

LANGUAGES = ["nl", "en"]


def _news_article_url() -> str:
    from stemnet.portal.models import NewsArticle

    article = NewsArticle.objects.published().order_by("-publish_at").first()
    assert article is not None, "the browser data set has no published news article"
    return article.get_absolute_url()


def _organisation_url() -> str:
    from stemnet.organisations.models import Organisation

    return Organisation.objects.get(name="STEM-academie De Vonk Mechelen").get_absolute_url()


PAGES = {
    "home": lambda: reverse("portal:home"),
    "news": lambda: reverse("portal:news_list"),
    "news-article": _news_article_url,
    "directory": lambda: reverse("organisations:organisation_list"),
    "directory-2800": lambda: reverse("organisations:organisation_list") + "?postcode=2800",
    "organisation": _organisation_url,
    "partnership": lambda: reverse(
        "organisations:organisation_detail", kwargs={"slug": "neteland-stem-land"}
    ),
    "contact": lambda: reverse("portal:contact"),
    "privacy": lambda: reverse("portal:privacy"),
    "accessibility": lambda: reverse("portal:accessibility"),
    "sources": lambda: reverse("portal:sources"),
    "login": lambda: reverse("account_login"),
    "signup": lambda: reverse("account_signup"),
    "password-reset": lambda: reverse("account_reset_password"),
}


def _url(name: str, language: str) -> str:
    with translation.override(language):
        return PAGES[name]()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_has_no_serious_axe_violations(page, name, language):
    url = _url(name, language)
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response.status}"
    assert page.locator("html").get_attribute("lang", timeout=2000).startswith(language)
    assert page.locator("h1").count() == 1, f"{url} should have exactly one h1"
    assert page.title().strip(), f"{url} has no <title>"
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("name", ["home", "directory", "directory-2800"])
def test_no_horizontal_scroll_on_a_phone(page, name):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(_url(name, "nl"))
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways at 375 px: {widths}"


def test_axe_check_catches_serious_violations(page):
    """The harness itself: a page with known problems must fail the check."""
    page.set_content(
        "<html><head><title>x</title></head><body><main><h1>Test</h1>"
        '<img src="/static/nothing.png"><button></button>'
        '<input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_axe_violations(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "button-name (critical)" in message

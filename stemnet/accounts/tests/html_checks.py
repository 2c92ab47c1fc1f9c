"""Small structural accessibility checks for rendered pages (no browser needed)."""

from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.controls = []
        self.label_for = set()
        self.ids = set()
        self.skip_link = False
        self.html_lang = None
        self.described_by = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and "skip-link" in (attrs.get("class") or ""):
            self.skip_link = True
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append(attrs)
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())


def check_page(html: str) -> _Collector:
    """Assert the page uses STEMnet's layout, has one h1 and a label for every control."""
    page = _Collector()
    page.feed(html)
    assert page.skip_link, "page does not extend base.html"
    assert page.h1 == 1, f"expected one h1, found {page.h1}"
    for control in page.controls:
        assert control.get("id"), f"control without id: {control}"
        assert control["id"] in page.label_for, f"control without label: {control}"
    for target in page.described_by:
        assert target in page.ids, f"aria-describedby points to missing id {target}"
    return page

"""The site's frame in Debian's Chromium, at a desktop's and a phone's width.

One navigation landmark holds the main navigation on every public page (no
second bar repeating it); the quick exit stays in the header row on a desktop
and on screen at all times on a phone; no label of a statistics chart is cut
off; on a phone the first search result is on the first screen. In English,
Bulgarian and Greek, whose words run longest.

The demo data comes as the ``demo`` fixture: this module imports no app.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
LANGUAGES = ["en", "bg", "el"]

LIST_PAGES = [
    "/{lang}/search/",
    "/{lang}/activities/projects/",
    "/{lang}/activities/events/",
    "/{lang}/activities/publications/",
    "/{lang}/activities/partners/",
    "/{lang}/activities/reports/",
    "/{lang}/reports/statistics/",
]

# Every navigation landmark: its name and the paths it links to (a link to
# this page in another language is no repeat of the main navigation).
_LANDMARKS = """() => [...document.querySelectorAll('nav, [role=navigation]')].map(
  nav => ({
    name: nav.getAttribute('aria-label') || '',
    hrefs: [...nav.querySelectorAll('a[href]:not([hreflang])')]
      .map(a => new URL(a.href).pathname),
  }))"""

# Each text of each chart whose box leaves the chart's viewBox.
_CLIPPED_TEXTS = """() => [...document.querySelectorAll('svg.bar-chart')].flatMap(
svg => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].filter(text => {
    const box = text.getBBox();
    return box.x < -0.5 || box.y < -0.5 || box.x + box.width > view.width + 0.5
      || box.y + box.height > view.height + 0.5;
  }).map(text => text.textContent);
})"""

# Per chart: the labels it draws (a label's lines joined) and the row labels of
# the table beside it.
_LABELS = """() => [...document.querySelectorAll('section.statistic')]
  .filter(section => section.querySelector('svg.bar-chart'))
  .map(section => ({
    chart: [...section.querySelectorAll('svg.bar-chart text')]
      .filter(text => text.querySelector('tspan'))
      .map(text => [...text.querySelectorAll('tspan')]
        .map(tspan => tspan.textContent).join(' ')),
    table: [...section.querySelectorAll('tbody th[scope=row]')]
      .map(th => th.textContent),
  }))"""


def _letters(text: str) -> str:
    """The text without spaces and hyphens: a label wrapped anywhere still
    compares equal to itself."""
    return re.sub(r"[\s\-]", "", text)


def _project_and_event_pages(page: Any, lang: str) -> list[str]:
    """A project's and an event's own page, found from their lists."""
    paths = []
    for listing, pattern in (
        ("projects", r"/activities/projects/[0-9a-f-]{36}/$"),
        ("events", r"/activities/events/[0-9a-f-]{36}/$"),
    ):
        page.goto(f"/{lang}/activities/{listing}/")
        hrefs = page.locator("main a[href]").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )
        paths.append(next(h for h in hrefs if re.search(pattern, h)))
    return paths


def _open_menu_on_a_phone(page: Any) -> None:
    toggle = page.locator(".site-nav summary")
    if toggle.is_visible():
        toggle.click()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_main_page_has_one_navigation_with_the_main_links(
    page: Any, demo: None, lang: str, viewport: str
) -> None:
    """Exactly one navigation landmark holds the main navigation, and no other
    one repeats its links (the activities pages had a second bar)."""
    page.set_viewport_size(VIEWPORTS[viewport])
    paths = [p.format(lang=lang) for p in LIST_PAGES]
    paths += _project_and_event_pages(page, lang)
    for path in paths:
        assert page.goto(path).status == 200, path
        landmarks = page.evaluate(_LANDMARKS)
        main = [
            nav for nav in landmarks if f"/{lang}/activities/projects/" in nav["hrefs"]
        ]
        assert len(main) == 1, f"{path}: {len(main)} navigations with the main links"
        others = [nav for nav in landmarks if nav is not main[0]]
        repeated = [
            (nav["name"], sorted(set(nav["hrefs"]) & set(main[0]["hrefs"])))
            for nav in others
            if set(nav["hrefs"]) & set(main[0]["hrefs"])
        ]
        assert repeated == [], f"{path}: a second navigation repeats {repeated}"
        # The landmark is the one named "Main", and its links can be reached.
        navigation = page.get_by_role("navigation", name=main[0]["name"], exact=True)
        assert navigation.count() == 1, path
        _open_menu_on_a_phone(page)
        assert navigation.get_by_role("link").first.is_visible(), path
    assert page.foreign_requests == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_quick_exit_stays_in_the_header_row(
    page: Any, demo: None, lang: str, viewport: str
) -> None:
    """On a desktop the quick exit sits on the site name's row; on a phone it is
    on screen, in the corner, also after scrolling to the end of the page."""
    size = VIEWPORTS[viewport]
    page.set_viewport_size(size)
    scrolled_pages = 0
    for path in (p.format(lang=lang) for p in LIST_PAGES):
        page.goto(path)
        exit_link = page.locator("[data-quick-exit]")
        box = exit_link.bounding_box()
        brand = page.locator(".brand").bounding_box()
        header = page.locator(".site-header").bounding_box()
        assert exit_link.is_visible()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], path
        assert box["y"] >= 0 and box["y"] + box["height"] <= header["height"], path
        if viewport == "desktop":
            # The same row: the exit's middle is within the site name's height.
            middle = box["y"] + box["height"] / 2
            assert brand["y"] <= middle <= brand["y"] + brand["height"], (
                f"{path}: the quick exit ({box['y']:.0f}px) is not on the row of"
                f" the site name ({brand['y']:.0f}px)"
            )
        else:
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_timeout(100)
            scrolled_pages += page.evaluate("window.scrollY") > 0
            scrolled = exit_link.bounding_box()
            assert (
                scrolled["y"] >= 0
                and scrolled["y"] + scrolled["height"] <= size["height"]
            )
            assert scrolled["x"] + scrolled["width"] <= size["width"], path
            # Nothing covers it: a tap in its middle lands on it.
            hit = page.evaluate(
                "([x, y]) => !!document.elementFromPoint(x, y)"
                "?.closest('[data-quick-exit]')",
                [
                    scrolled["x"] + scrolled["width"] / 2,
                    scrolled["y"] + scrolled["height"] / 2,
                ],
            )
            assert hit, path
    if viewport == "phone":
        assert scrolled_pages >= 3  # the check ran on pages longer than a screen


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_chart_label_is_cut_off(
    page: Any, demo: None, lang: str, viewport: str
) -> None:
    """Every text of every chart lies inside the chart, and each bar's label is
    the full label of its row in the table beside it."""
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"/{lang}/reports/statistics/")
    assert page.locator("svg.bar-chart").count() >= 5
    assert page.evaluate(_CLIPPED_TEXTS) == []
    charts = page.evaluate(_LABELS)
    for chart in charts:
        assert [_letters(t) for t in chart["chart"]] == [
            _letters(t) for t in chart["table"]
        ]
        assert not any("…" in label for label in chart["chart"])
    if lang == "en":
        labels = [label for chart in charts for label in chart["chart"]]
        assert "migration and human rights consultants" in labels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_first_result_is_on_the_first_screen(
    page: Any, demo: None, lang: str
) -> None:
    """At 390 by 844 pixels the header's menus and the search form's distance
    and filters are folded: the first result starts within the first screen."""
    page.set_viewport_size(PHONE)
    page.goto(f"/{lang}/search/")
    first = page.locator(".result-card").first
    box = first.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"], f"the first result starts at {box['y']:.0f}px"
    # Folded: the navigation, the languages and the distance; each opens.
    for toggle, inside in (
        (".site-nav summary", ".site-nav a"),
        (".language-switcher summary", ".language-switcher a"),
        (".filters > summary", "#id_near"),
    ):
        assert not page.locator(inside).first.is_visible(), inside
        page.locator(toggle).click()
        assert page.locator(inside).first.is_visible(), inside


@pytest.mark.parametrize("lang", ["en", "el"])
def test_the_folded_header_passes_axe_and_works_by_keyboard(
    page: Any, demo: None, lang: str
) -> None:
    """On a phone the menu and the languages open from the keyboard, and axe
    finds nothing wrong with them open."""
    page.set_viewport_size(PHONE)
    page.goto(f"/{lang}/activities/events/")
    menu = page.locator(".site-nav summary")
    languages = page.locator(".language-switcher summary")
    assert menu.is_visible() and languages.is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    first_link = page.locator(".site-nav a").first
    assert first_link.is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    languages.focus()
    page.keyboard.press("Space")
    assert page.locator(".language-switcher a[hreflang=ro]").is_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # On a desktop both show open, with no toggle to press.
    page.set_viewport_size(DESKTOP)
    assert not menu.is_visible() and not languages.is_visible()
    assert first_link.is_visible()
    assert page.locator(".language-switcher a[hreflang=ro]").is_visible()

"""The keyboard focus ring stands out (WCAG 1.4.11: 3:1) on every background the stylesheet paints, read from app.css."""
import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[3] / "lms" / "static" / "css" / "app.css").read_text()


def variables():
    root = re.search(r":root\{([^}]*)\}", CSS).group(1)
    return dict(re.findall(r"--([\w-]+):\s*([^;]+)", root))


def rule(selector):
    """Return the declarations of the first rule whose selector is exactly this one."""
    match = re.search(r"(?:^|[}\n])\s*" + re.escape(selector) + r"\{([^}]*)\}", CSS)
    assert match, f"no rule for {selector} in app.css"
    return dict(re.findall(r"([\w-]+):([^;]+)", match.group(1)))


def colour(value):
    """Resolve var(--name) and #rgb/#rrggbb into an (r, g, b) tuple."""
    names = variables()
    while (found := re.search(r"var\(--([\w-]+)\)", value)):
        value = value.replace(found.group(0), names[found.group(1)])
    hex_value = re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value).group(1)
    if len(hex_value) == 3:
        hex_value = "".join(c * 2 for c in hex_value)
    return tuple(int(hex_value[i:i + 2], 16) for i in (0, 2, 4))


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast(colour("#ffbf47"), colour("#fbfaf7")) < 3  # the old yellow ring on the page: 1.6:1


@pytest.mark.parametrize("background", ["bg", "card"])
def test_the_focus_ring_stands_out_on_the_page_and_on_cards(background):
    ring = rule(":focus-visible")
    assert re.search(r"\d+px solid", ring["outline"]), "the ring is a solid outline"
    assert contrast(colour(ring["outline"]), colour(f"var(--{background})")) >= 3


def test_the_focus_ring_has_a_light_inner_ring_against_the_dark_outline():
    ring = rule(":focus-visible")
    assert contrast(colour(ring["box-shadow"]), colour(ring["outline"])) >= 3


def test_in_the_purple_header_the_ring_is_inverted_and_still_stands_out():
    header = rule(".top :focus-visible")
    assert contrast(colour(header["outline-color"]), colour("var(--brand)")) >= 3
    assert contrast(colour(header["box-shadow"]), colour(header["outline-color"])) >= 3

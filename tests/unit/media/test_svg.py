"""SVG figures are kept, sanitised: drawing stays, scripts, events and outside references go."""
import pytest

from lms.media.svg import SvgError, sanitise

HOSTILE = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="200" height="100" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></body></foreignObject>
  <style>@import url(https://evil.example/x.css);</style>
  <defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>
  <rect width="10" height="10" fill="url(#g)" inkscape:label="box" onclick="steal()"/>
  <image xlink:href="https://evil.example/track.png" width="5" height="5"/>
  <use xlink:href="#g"/>
  <a href="javascript:alert(3)"><text>Hello</text></a>
</svg>"""


def test_a_hostile_svg_keeps_its_drawing_and_loses_everything_active_or_outside():
    clean, width, height = sanitise(HOSTILE)
    text = clean.decode()
    for gone in ("script", "alert", "foreignObject", "iframe", "@import", "evil.example", "onclick", "steal",
                 "inkscape", "javascript"):
        assert gone not in text
    assert 'fill="url(#g)"' in text and 'xlink:href="#g"' in text and "<rect" in text
    assert (width, height) == (200, 100)


def test_entities_are_refused_and_sizes_come_from_the_viewbox():
    with pytest.raises(SvgError):
        sanitise(b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    with pytest.raises(SvgError):
        sanitise(b"<html></html>")
    _clean, width, height = sanitise(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>')
    assert (width, height) == (300, 150)

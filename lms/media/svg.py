"""Keep SVG figures, made safe: an allow-list of drawing elements, no script, no event, no external reference.

Lesson figures are often SVG (diagrams drawn in Inkscape or LibreOffice). An SVG
is a document that may run scripts and fetch other files when opened on its own,
so only drawing elements and attributes in the SVG and XLink namespaces are kept,
and a reference is kept only when it points inside the figure itself (`#id`) or
is an embedded raster image (`data:image/png;base64,…`).
"""
import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 4 * 1024 * 1024
ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "pattern", "clipPath",
    "mask", "marker", "image", "style", "switch", "filter", "feGaussianBlur", "feOffset", "feBlend", "feMerge",
    "feMergeNode", "feColorMatrix", "feFlood", "feComposite", "feMorphology",
}
SAFE_REFERENCE = re.compile(r"^(#[\w.:-]+|data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+)$")
UNSAFE_CSS = re.compile(r"url\s*\(\s*['\"]?(?!#)|@import|expression\s*\(|javascript:", re.I)
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*$")
UNITS = {None: 1, "px": 1, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}


class SvgError(ValueError):
    pass


def sanitise(data):
    """Return (clean bytes, width, height) of an SVG figure, or raise SvgError saying why not."""
    if len(data) > MAX_BYTES:
        raise SvgError("too large")
    if re.search(rb"<!ENTITY", data, re.I):  # entities can expand to gigabytes or read local files
        raise SvgError("declares entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgError(f"not readable XML ({exc})") from None
    if root.tag != f"{{{SVG}}}svg":
        raise SvgError("not an SVG drawing")
    _clean(root)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    width, height = _size(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), width, height


def _clean(element):
    for child in list(element):
        namespace, _, name = child.tag.rpartition("}")
        if namespace.lstrip("{") != SVG or name not in ELEMENTS:
            element.remove(child)  # scripts, foreignObject (HTML), editors' metadata
            continue
        if name == "style" and UNSAFE_CSS.search(child.text or ""):
            element.remove(child)
            continue
        _clean(child)
    for attribute, value in list(element.attrib.items()):
        namespace, _, name = attribute.rpartition("}")
        namespace = namespace.lstrip("{")
        if namespace not in ("", XLINK, XML) or name.lower().startswith("on"):
            del element.attrib[attribute]
        elif name == "href" and not SAFE_REFERENCE.match(value.strip()):
            del element.attrib[attribute]
        elif UNSAFE_CSS.search(value) and name not in ("d", "points"):
            del element.attrib[attribute]


def _size(root):
    """Width and height in CSS pixels, from the attributes or else the viewBox."""
    sizes = []
    for name in ("width", "height"):
        match = LENGTH.match(root.get(name, ""))
        sizes.append(round(float(match.group(1)) * UNITS[match.group(2)]) if match else None)
    if None in sizes:
        box = re.split(r"[\s,]+", root.get("viewBox", "").strip())
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except (IndexError, ValueError):
            box_width, box_height = 600, 400
        if sizes[0] is None and sizes[1] is None:
            sizes = [round(box_width), round(box_height)]
        elif sizes[0] is None:
            sizes[0] = round(sizes[1] * box_width / max(box_height, 1))
        else:
            sizes[1] = round(sizes[0] * box_height / max(box_width, 1))
    return max(1, min(sizes[0], 10000)), max(1, min(sizes[1], 10000))

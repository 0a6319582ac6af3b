"""A JavaScript object literal (a Docusaurus sidebar), parsed as data and never run."""
import re

JS_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>//[^\n]*|/\*.*?\*/) |
    (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{))*`) |
    (?P<number>-?\d+(?:\.\d+)?) | (?P<name>[A-Za-z_$][\w$]*) | (?P<punct>\.\.\.|=>|[{}\[\]():;,=.?<>|&!+\-*/@#%^~])
""", re.S | re.X)
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class JSString(str):
    """A string of the literal that remembers its line, for messages about what it names."""

    def __new__(cls, value, line=None):
        string = super().__new__(cls, value)
        string.line = line
        return string


class UnsafeSidebar(ValueError):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def js_literal(source):
    """Return the value `module.exports =` / `export default` gives, when it is plain data.

    Only objects, arrays, strings, numbers, true, false and null are accepted;
    anything that would have to run (a call, a spread, a variable, a template
    with ${…}) raises UnsafeSidebar with its line.
    """
    tokens = _js_tokens(source)
    names = {}  # const NAME = <literal>, remembered by where the literal starts
    index = 0
    exported = None
    while index < len(tokens):
        kind, text, _line_ = tokens[index]
        if text in ("const", "let", "var") and index + 1 < len(tokens) and tokens[index + 1][0] == "name":
            end = index + 2
            while end < len(tokens) and tokens[end][1] not in ("=", ";"):
                end += 1  # a TypeScript annotation: `const sidebars: SidebarsConfig = {`
            if end < len(tokens) and tokens[end][1] == "=":
                names[tokens[index + 1][1]] = end + 1
            index = end
        elif text == "module" and [t[1] for t in tokens[index + 1:index + 4]] == [".", "exports", "="]:
            exported = index + 4
        elif text == "export" and index + 1 < len(tokens) and tokens[index + 1][1] == "default":
            exported = index + 2
        index += 1
    if exported is None:
        raise UnsafeSidebar("no module.exports or export default")
    if tokens[exported][0] == "name" and tokens[exported][1] in names:
        exported = names[tokens[exported][1]]
    value, _end = _js_value(tokens, exported, 0)
    return value


def _js_tokens(source):
    tokens, line, position = [], 1, 0
    while position < len(source):
        match = JS_TOKEN.match(source, position)
        if not match:
            raise UnsafeSidebar(f"unexpected {source[position]!r}", line)
        kind, text = match.lastgroup, match.group()
        if kind not in ("space", "comment"):
            tokens.append((kind, text, line))
        line += text.count("\n")
        position = match.end()
        if len(tokens) > 200_000:
            raise UnsafeSidebar("too long", line)
    return tokens


def _js_value(tokens, index, depth):
    if index >= len(tokens):
        raise UnsafeSidebar("the file ends too early")
    if depth > 50:
        raise UnsafeSidebar("nested too deep", tokens[index][2])
    kind, text, line = tokens[index]
    if text == "{":
        result, index = {}, index + 1
        while tokens[index][1] != "}":
            key_kind, key, key_line = tokens[index]
            if key_kind == "string":
                key = _js_string(key)
            elif key_kind not in ("name", "number"):
                raise UnsafeSidebar(f"{key} is not a plain key", key_line)
            if tokens[index + 1][1] != ":":
                raise UnsafeSidebar(f"{key} is not 'key: value'", key_line)
            result[key], index = _js_value(tokens, index + 2, depth + 1)
            index = _js_comma(tokens, index, "}")
        return result, index + 1
    if text == "[":
        result, index = [], index + 1
        while tokens[index][1] != "]":
            item, index = _js_value(tokens, index, depth + 1)
            result.append(item)
            index = _js_comma(tokens, index, "]")
        return result, index + 1
    if kind == "string":
        return JSString(_js_string(text), line), index + 1
    if kind == "number":
        return float(text) if "." in text else int(text), index + 1
    if text in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text], index + 1
    raise UnsafeSidebar(f"{text} is not plain data", line)


def _js_comma(tokens, index, closing):
    if index >= len(tokens):
        raise UnsafeSidebar("the file ends too early")
    if tokens[index][1] == ",":
        return index + 1
    if tokens[index][1] != closing:
        raise UnsafeSidebar(f"{tokens[index][1]} where ',' or '{closing}' was expected", tokens[index][2])
    return index


def _js_string(text):
    return re.sub(r"\\(u\{?[0-9a-fA-F]{1,6}\}?|x[0-9a-fA-F]{2}|.)", _js_escape, text[1:-1], flags=re.S)


def _js_escape(match):
    code = match.group(1)
    if code[0] in "ux" and len(code) > 1:
        try:
            return chr(int(code[1:].strip("{}"), 16))
        except ValueError:
            return code
    return JS_ESCAPES.get(code, code)

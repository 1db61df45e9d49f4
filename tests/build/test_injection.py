"""Injection sweep: hostile strings in every field of every record kind, through real builds.

Requirement: every record value is escaped wherever it lands (body, titles,
attributes, meta description, search index); Markdown fields render Markdown but
no raw HTML and no event-handler attributes, and link only to http, https, mailto
and the site's own pages.

How the sweep works
-------------------
* The JSON Schemas are walked (following "$ref" into common.schema.json) to list
  every string field of each record kind, nested objects and array items included.
  Free-text fields (no enum/pattern/format) take hostile strings; constrained
  fields (enum, pattern, date format) cannot, and one build checks that putting
  hostile strings there is refused with a Chinese message per field.
* A sample record of each kind (the real kongkongquan studio, its story and the
  2025 report) is completed from the schema so that *every* field is present,
  and every free-text field gets a marker (⟦n⟧, n = field number) followed by a
  group of hostile strings. The strings are packed into as few groups as the
  200-character limit of a text field allows: one build per group; every field
  of every kind carries every hostile string in some build. Markdown fields
  (studio `description`, story `body`) carry all of them in every build, each as
  its own paragraph, plus Markdown-specific tricks and a few allowed links.
* Each build is compared with a clean build of the real content (the session
  fixture `built_site`), whose script, link and meta elements, hosts and
  per-page counts of dangerous elements define what is "Material's own".

Decision on foreign URLs: a record's `source.url` is a link the editor typed on
purpose (the site cites its sources), so an `<a href>` exactly equal to it is
legitimate even when it points to a foreign host; it must still be escaped in
the attribute. A Markdown link with an explicit http(s) URL is allowed by the
requirement; those tested point to example.org. Nothing else may point to a
foreign host, protocol-relative URLs (//host) are refused, and images may only
come from the site itself.
"""

from __future__ import annotations

import gzip
import html
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from jiangxin.problems import field_name
from jiangxin.records import catalogue
from support.project import ROOT, copy_project, mkdocs_build, read_search_index

SITE_NAME = "匠心滨州"
SAMPLES = {
    "studio": "content/studios/kongkongquan.yml",
    "story": "content/stories/kongkongquan-caustic-soda.yml",
    "report": "content/reports/2025.yml",
}
# Valid values for constrained string fields the samples may lack (by field name).
VALID_PATTERN_VALUES = {
    "studio": "kongkongquan",
    "metric": "jx_metric",
    "file": "media/jx-test.png",
    "url": "https://example.org/source",
}
VALID_FORMAT_VALUES = {"date": "2025-05-01"}
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)

# Hostile strings for every free-text field. Each must survive as plain text.
PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "[点我](javascript:alert(1))",
    '<a href="https://evil.example/">x</a>',
    "![x](https://evil.example/t.png)",
    '{: onclick="alert(1)" }',
    "</title><script>alert(1)</script>",
    "<iframe src=//evil.example>",
    "<svg onload=alert(1)>",
    "&lt;script&gt;",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<style>body{display:none}</style>",
    "{{ 7*7 }}{% if 1 %}jinja{% endif %}",
    "[x](//evil.example/)",
    # A blank line would end an HTML block if a value ever reached Markdown unwrapped.
    "\n\n[断开](javascript:alert(2)){: onclick=alert(3) }\n\n",
    "<!-- --><script>alert(6)</script>",
]
# Extra Markdown-only tricks for the Markdown fields (description, body).
MD_PAYLOADS = [
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](/\\evil.example/)",
    "[x](\\\\evil.example/)",
    "[x](/&#47;evil.example/)",
    "[x](&#47;/evil.example/)",
    "![x](//evil.example/t.png)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[ref][r1]\n\n[r1]: javascript:alert(1)",
    '[x](https://example.org/ok" onmouseover="alert(1))',
    '## 标题 {: onclick="alert(1)" }',
    "段落\n{: onclick=alert(1) }",
    '<div markdown="1">[x](javascript:alert(1))</div>',
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    '<img src="https://evil.example/p.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
]
# Markdown that must still work: (Markdown, href the link must have).
MD_ALLOWED = [
    ("[正常链接](https://example.org/ok)", "https://example.org/ok"),
    ("<https://example.org/auto>", "https://example.org/auto"),
    ("[写信](mailto:jx@example.org)", "mailto:jx@example.org"),
    ("<jx@example.org>", "mailto:jx@example.org"),
    ("[站内页面](../../studios/hewang/)", "../../studios/hewang/"),
]
ALLOWED_MD_HOSTS = {"example.org"}
HOSTILE_URL = 'https://evil.example/?q=" onmouseover="alert(1)" x=\'<script>alert(1)</script>'
MARKER = re.compile(r"⟦(\d+)⟧")
# Facet pages and the names index's shards are named after the values themselves, so they differ by design.
FACET = re.compile(r"(studios/(level|county|industry|honor)|stories/(audience|theme))/|jx-names/(?!index\.json)")
# Free-text fields no page shows today (keywords only feed search segmentation); still swept.
NOT_DISPLAYED = {
    "studio:keywords.*",
    "studio:photos.*.caption",
    "studio:photos.*.alt",
    "story:person.organization",
    "report:figures.*.note",
}
TEXT_LIMIT = 200

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "background",
    "xlink:href",
    "data",
    "srcset",
    "ping",
    "cite",
    "longdesc",
    "manifest",
    "codebase",
}
BAD_SCHEMES = ("javascript", "vbscript", "data", "file", "blob")
# Elements a record must never add to a page (counted per page against the clean build).
WATCHED_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "link",
    "meta",
    "svg",
    "math",
    "template",
    "textarea",
    "input",
    "button",
    "select",
    "video",
    "audio",
    "source",
    "track",
    "portal",
}
# Raw fragments of the payloads that can only appear if a payload escaped as markup
# (each starts a tag, or has a `>` that every escaper on the way would have turned into &gt;).
RAW_FRAGMENTS = [
    "<script>alert",
    "<img src=x",
    "onerror=alert(1)>",
    '<img src="https://evil',
    "<iframe",
    "<svg onload",
    "<style>body",
    '<a href="https://evil.example/">',
    "<b>行分隔</b>",
    '<a href="javascript',
    "<!-- -->",
]


# ----------------------------------------------------------------------------- schema walk


DOCS = catalogue.documents()
# Free text only refuses invisible control characters; it takes every payload.
FREE_TEXT_PATTERN = DOCS["common.schema.json"]["$defs"]["text"]["pattern"]


def classify(schema: dict, defname: str | None) -> str | None:
    """'markdown', 'text' (free text), 'enum', 'pattern', 'format' or None (not a string)."""
    if catalogue.enum_labels(schema) is not None:
        return "enum"
    if schema.get("type") != "string":
        return None
    if schema.get("pattern") not in (None, FREE_TEXT_PATTERN):
        return "pattern"
    if "format" in schema:
        return "format"
    return "markdown" if defname == "markdown" else "text"


def string_fields(kind: str) -> dict[tuple, tuple[str, dict]]:
    """Every string field of a record kind: path ('*' for array items) → (class, schema)."""
    found: dict[tuple, tuple[str, dict]] = {}
    for field in catalogue.fields(kind):
        cls = None if field.type in ("object", "array") else classify(field.schema, field.definition)
        if cls:
            found[field.path] = (cls, field.schema)
    return found


def schema_at(kind: str, path: tuple) -> tuple[dict, str]:
    """The resolved schema of the field at `path` (array indexes as ints), and its document."""
    schema, doc = catalogue.resolve(*catalogue.top(kind))
    for part in path:
        sub = schema.get("items", {}) if isinstance(part, int) else schema.get("properties", {}).get(part, {})
        schema, doc = catalogue.resolve(sub, doc)
    return schema, doc


def complete(kind: str, value, path: tuple = ()):
    """The sample record with every field the schema allows filled with a valid value."""
    schema, doc = schema_at(kind, path)
    kind_of = schema.get("type")
    if kind_of == "object":
        value = dict(value or {})
        for key in schema.get("properties", {}):
            value[key] = complete(kind, value.get(key), path + (key,))
        return value
    if kind_of == "array":
        items = list(value) if value else [None]
        if catalogue.resolve(schema.get("items", {}), doc)[0].get("type") == "string" and len(items) < 2:
            items.append(None)  # lists of texts get two items (uniqueItems: the values differ)
        return [complete(kind, item, path + (i,)) for i, item in enumerate(items)]
    if value is not None:
        return value
    labels = catalogue.enum_labels(schema)
    if labels is not None:
        return next(iter(labels))
    if kind_of == "string":
        name = next(p for p in reversed(path) if isinstance(p, str))
        if schema.get("pattern") not in (None, FREE_TEXT_PATTERN):
            assert name in VALID_PATTERN_VALUES, f"新的受限字段 {path}：请在 VALID_PATTERN_VALUES 里给出一个合法值"
            return VALID_PATTERN_VALUES[name]
        if "format" in schema:
            return VALID_FORMAT_VALUES[schema["format"]]
        return "占位"
    if kind_of in ("integer", "number"):
        return 2025 if path[-1] == "year" else max(schema.get("minimum", 1), 1)
    if kind_of == "boolean":
        return True
    raise AssertionError(f"unknown schema at {path}: {schema}")


def leaves(value, path: tuple = ()):
    """Every (path, value) leaf of a record, array indexes as ints."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))
    else:
        yield path, value


def pattern_of(path: tuple) -> tuple:
    return tuple("*" if isinstance(p, int) else p for p in path)


def set_at(record: dict, path: tuple, new) -> None:
    node = record
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new


def sample(kind: str) -> dict:
    raw = yaml.safe_load((ROOT / SAMPLES[kind]).read_text(encoding="utf-8"))
    return complete(kind, raw)


def groups(payloads: list[str], room: int) -> list[list[str]]:
    """Pack the payloads, joined by a space, into as few groups as fit in `room` characters."""
    out: list[list[str]] = []
    for p in payloads:
        assert len(p) <= room, p
        if out and len(" ".join(out[-1] + [p])) <= room:
            out[-1].append(p)
        else:
            out.append([p])
    return out


GROUPS = groups(PAYLOADS, TEXT_LIMIT - len("⟦000⟧"))


def markdown_value(marker: str, group: list[str]) -> str:
    parts = [marker + " ".join(group).replace("\n", " "), *PAYLOADS, *MD_PAYLOADS, *(md for md, _ in MD_ALLOWED)]
    return "\n\n".join(parts) + "\n"


# ----------------------------------------------------------------------------- hostile project


class Hostile:
    """A scratch project whose three sample records carry one group of payloads in every free-text field."""

    def __init__(self, root: Path, group: list[str]):
        self.project = copy_project(root)
        self.group = group
        self.values: dict[int, str] = {}  # marker number → full value of a plain-text field
        self.fields: dict[int, str] = {}  # marker number → "kind:path"
        self.markdown: dict[str, str] = {}  # "kind:path" → value of a Markdown field
        self.records: dict[str, dict] = {}
        media = self.project / "content" / "media"
        media.mkdir(exist_ok=True)
        (media / "jx-test.png").write_bytes(PNG_1X1)
        payload = " ".join(group)
        for kind in SAMPLES:
            record = sample(kind)
            fields = string_fields(kind)
            for path, _value in list(leaves(record)):
                cls, schema = fields.get(pattern_of(path), (None, None))
                label = f"{kind}:{'.'.join(map(str, path))}"
                if cls == "text":
                    n = len(self.fields) + 1
                    # Second items of lists carry the payloads without spaces: texts without
                    # whitespace (keywords) also go into jieba's dictionary for the search index.
                    spaced = not (isinstance(path[-1], int) and path[-1] > 0)
                    new = f"⟦{n}⟧" + (payload if spaced else re.sub(r"\s", "", payload))
                    assert len(new) <= schema.get("maxLength", TEXT_LIMIT), (label, len(new))
                    self.values[n], self.fields[n] = new, label
                    set_at(record, path, new)
                elif cls == "markdown":
                    n = len(self.fields) + 1
                    self.fields[n] = label
                    new = markdown_value(f"⟦{n}⟧", group)
                    self.markdown[label] = new
                    set_at(record, path, new)
                elif path and path[-1] == "url":
                    set_at(record, path, HOSTILE_URL)
            self.records[kind] = record
            (self.project / SAMPLES[kind]).write_text(
                yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
            )
        self.titles = {  # page → (title, description) as the editor wrote them
            "studios/kongkongquan/index.html": (self.records["studio"]["name"], self.records["studio"]["summary"]),
            "stories/kongkongquan-caustic-soda/index.html": (
                self.records["story"]["title"],
                self.records["story"]["summary"],
            ),
        }

    def build(self) -> Path:
        result = mkdocs_build(self.project)
        assert result.returncode == 0, result.stdout + result.stderr
        return self.project / "site"


# ----------------------------------------------------------------------------- HTML scanning


class Scan(HTMLParser):
    """Elements, attributes (entity-decoded), script bodies and visible text of one HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]], tuple[int, int]]] = []
        self.scripts: list[tuple] = []
        self.text: list[str] = []
        self.title = ""
        self._stack: list[str] = []
        self._script: list | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs, self.getpos()))
        if tag == "script":
            self._script = [dict(attrs).get("src"), dict(attrs).get("type"), dict(attrs).get("id"), ""]
        if tag in ("title", "script", "style"):
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs, self.getpos()))

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._script[3] += data
        elif "title" in self._stack:
            self.title += data
            self.text.append(data)
        else:
            self.text.append(data)


def scan(text: str) -> Scan:
    parser = Scan()
    parser.feed(text)
    parser.close()
    return parser


def site_files(site: Path) -> dict[str, str]:
    """Every text output of a site: .html, search index, sitemap (gz included), by relative path."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/") or path.suffix in (".png", ".jpg", ".jpeg", ".webp"):
            continue  # Material's own bundles, our stylesheet and photos: not made from records
        if rel.startswith("admin/") and path.suffix not in (".html", ".json"):
            continue  # the form's program (Decap CMS, yaml, overrides/admin/): not made from records
        if rel.startswith("pagefind/"):
            continue  # binary search index, named by content hashes; read_search_index() checks its text
        if path.suffix in (".html", ".json", ".xml", ".csv", ".ics", ".svg"):
            out[rel] = path.read_text(encoding="utf-8")
        elif path.name.endswith(".xml.gz"):
            out[rel] = gzip.decompress(path.read_bytes()).decode("utf-8")
        elif path.is_file():
            raise AssertionError(f"unexpected output file {rel}: add it to the sweep")
    return out


def effective_url(value: str) -> str:
    """What a browser makes of an attribute URL: tabs/newlines removed, edges stripped."""
    return re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )


def url_host(url: str) -> str | None:
    """The host a URL points to, or None when it stays on this site."""
    u = effective_url(url).replace("\\", "/")
    if u.startswith("//"):
        return urlsplit("http:" + u).hostname or "?"
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", u)
    if scheme and scheme.group(1).lower() in ("http", "https"):
        return urlsplit(u).hostname or "?"
    return None


def url_scheme(url: str) -> str | None:
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", effective_url(url))
    return m.group(1).lower() if m else None


class Baseline:
    """What a clean build of the real content holds: Material's own scripts, links, metas, hosts."""

    def __init__(self, site: Path):
        self.files = site_files(site)
        self.scripts: set[tuple] = set()
        self.links: set[tuple] = set()
        self.metas: set[str] = set()
        self.hosts: set[str] = set()
        self.handlers: set[tuple] = set()
        self.styles: set[str] = set()
        self.counts: dict[str, dict[str, int]] = {}
        for rel, text in self.files.items():
            if not rel.endswith(".html"):
                continue
            page = scan(text)
            self.scripts.update(page.scripts)
            self.counts[rel] = count_tags(page)
            for tag, attrs, _ in page.elements:
                a = dict(attrs)
                if tag == "link":
                    self.links.add(tuple(sorted(attrs, key=lambda kv: kv[0])))
                if tag == "meta":
                    self.metas.add(meta_key(a))
                for name, value in attrs:
                    if name.startswith("on"):
                        self.handlers.add((tag, name, value))
                    if name == "style":
                        self.styles.add(value or "")
                    if name in URL_ATTRS and value and url_host(value):
                        self.hosts.add(url_host(value))


def meta_key(attrs: dict) -> str:
    for key in ("name", "property", "http-equiv", "charset"):
        if key in attrs:
            return f"{key}={(attrs[key] or '').lower()}"
    return "?"


def count_tags(page: Scan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for tag, attrs, _ in page.elements:
        # Build-time charts are ours, and their number follows the data (a per-year chart appears
        # once entries carry years); their labels are still checked as text like every field.
        if tag == "svg" and dict(attrs).get("class") == "jx-chart":
            continue
        # So are the <source>s of a record photo's <picture> (jx/photo_macros.html): the sweep's
        # records carry a photo, the clean content has none.
        if tag == "source" and re.match(r"(\.\./)*photos/", dict(attrs).get("srcset") or ""):
            continue
        if tag in WATCHED_TAGS:
            counts[tag] = counts.get(tag, 0) + 1
    return counts


def check_markup(rel: str, page: Scan, base: Baseline, source_urls: set[str], where: str = "") -> list[str]:
    """Every problem of one parsed document (a page, or one search-index entry)."""
    problems = []
    for tag, attrs, (line, col) in page.elements:
        at = f"{rel}{where}:{line}:{col} <{tag}>"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and (tag, name, value) not in base.handlers:
                problems.append(f"{at}: event handler {name}={value!r}")
            if name in ("srcdoc", "formaction", "action") or (name == "style" and value not in base.styles):
                problems.append(f"{at}: attribute {name}={value!r}")
            if name == "http-equiv":
                problems.append(f"{at}: meta http-equiv={value!r}")
            if name in URL_ATTRS:
                scheme, host = url_scheme(value), url_host(value)
                if scheme in BAD_SCHEMES or (scheme and scheme not in ("http", "https", "mailto")):
                    problems.append(f"{at}: {name} with scheme {scheme}: {value!r}")
                elif scheme == "mailto" and not (tag == "a" and name == "href"):
                    problems.append(f"{at}: {name}={value!r}")
                elif host and host not in base.hosts:
                    legit_source = tag == "a" and name == "href" and value in source_urls
                    legit_md = (
                        tag == "a" and name == "href" and host in ALLOWED_MD_HOSTS and scheme in ("http", "https")
                    )
                    if not (legit_source or legit_md):
                        problems.append(f"{at}: {name} points to foreign host {host}: {value!r}")
                elif not scheme and effective_url(value).replace("\\", "/").startswith("//"):
                    problems.append(f"{at}: protocol-relative {name}={value!r}")
    for script in page.scripts:
        if script not in base.scripts:
            problems.append(f"{rel}{where}: foreign <script> {script!r:.200}")
    return problems


def check_page(rel: str, text: str, base: Baseline, source_urls: set[str]) -> tuple[Scan, list[str]]:
    page = scan(text)
    problems = check_markup(rel, page, base, source_urls)
    for tag, attrs, pos in page.elements:
        a = dict(attrs)
        if tag == "link" and tuple(sorted(attrs, key=lambda kv: kv[0])) not in base.links:
            problems.append(f"{rel}:{pos[0]} foreign <link> {attrs}")
        if tag == "meta" and meta_key(a) not in base.metas:
            problems.append(f"{rel}:{pos[0]} foreign <meta> {attrs}")
    # A facet page's path depends on its value; all share one template, like this page of the clean build.
    model = (
        "studios/level/national/index.html"
        if FACET.match(rel) and rel.startswith("studios/")
        else "stories/audience/zhongxue/index.html"
        if FACET.match(rel)
        else rel
    )
    expected = base.counts.get(model, {})
    for tag, n in count_tags(page).items():
        if n > expected.get(tag, 0):
            problems.append(f"{rel}: {n} <{tag}> elements, the clean build has {expected.get(tag, 0)}")
    for fragment in RAW_FRAGMENTS:
        if fragment.lower() in text.lower():
            i = text.lower().index(fragment.lower())
            problems.append(f"{rel}: raw {fragment!r} in …{text[max(0, i - 80) : i + 80]!r}…")
    return page, problems


# ----------------------------------------------------------------------------- tests


def test_schema_walk_finds_every_string_field():
    """The sweep covers what the schemas define; a new field is swept without touching this test."""
    fields = {kind: string_fields(kind) for kind in SAMPLES}
    text = {kind: {p for p, (c, _) in f.items() if c == "text"} for kind, f in fields.items()}
    assert {
        ("name",),
        ("leader", "honors", "*"),
        ("achievements", "*", "amount", "label"),
        ("outreach", "*", "speaker"),
        ("photos", "*", "alt"),
        ("source", "author"),
        ("keywords", "*"),
        ("competitions", "*", "results"),
    } <= text["studio"]
    assert {("title",), ("summary",), ("person", "organization"), ("questions", "*")} <= text["story"]
    assert {("figures", "*", "label"), ("figures", "*", "note"), ("source", "title")} <= text["report"]
    assert {p for p, (c, _) in fields["studio"].items() if c == "markdown"} == {("description",)}
    assert {p for p, (c, _) in fields["story"].items() if c == "markdown"} == {("body",)}
    assert ("source", "url") in {p for p, (c, _) in fields["report"].items() if c == "pattern"}
    assert sum(len(t) for t in text.values()) >= 50
    # Every field is present in the hostile records.
    for kind in SAMPLES:
        present = {pattern_of(p) for p, _ in leaves(sample(kind))}
        assert set(fields[kind]) <= present, set(fields[kind]) - present


@pytest.fixture(scope="module")
def baseline(built_site) -> Baseline:
    base = Baseline(built_site)
    problems = []
    for rel, text in base.files.items():
        if rel.endswith(".html"):
            problems += check_page(rel, text, base, set())[1]
    assert not problems, problems  # the checks accept the clean site
    return base


@pytest.mark.parametrize("group", range(len(GROUPS)), ids=[f"group{i}" for i in range(len(GROUPS))])
def test_hostile_strings_in_every_field_stay_text(group, baseline, tmp_path):
    hostile = Hostile(tmp_path / "p", GROUPS[group])
    site = hostile.build()
    files = site_files(site)
    # Facet pages (/studios/county/<slug>/) and name shards (jx-names/<initials>.<hash>.json) differ by design.
    assert {f for f in files if not FACET.match(f)} == {f for f in baseline.files if not FACET.match(f)}, (
        "the hostile build made different pages"
    )
    source_urls = {HOSTILE_URL}
    problems: list[str] = []
    seen: set[int] = set()
    for rel, text in files.items():
        if not rel.endswith(".html"):
            continue
        page, found = check_page(rel, text, baseline, source_urls)
        problems += found
        visible = "".join(page.text)
        # A plain-text field must read exactly as typed wherever it lands: not interpreted, not double-escaped.
        for m in MARKER.finditer(visible):
            n = int(m.group(1))
            seen.add(n)
            if (
                n in hostile.values
                and not visible.startswith(hostile.values[n], m.start())
                and not _shortened(visible, m.start(), hostile.values[n])
            ):
                problems.append(f"{rel}: {hostile.fields[n]} reads {visible[m.start() : m.start() + 120]!r}")
        if rel in hostile.titles:  # <title>, meta description and the heading read exactly as typed
            title, description = hostile.titles[rel]
            if page.title != f"{title} - {SITE_NAME}":
                problems.append(f"{rel}: <title> reads {page.title!r}")
            metas = [
                dict(a).get("content")
                for t, a, _ in page.elements
                if t == "meta" and dict(a).get("name") == "description"
            ]
            if metas != [description]:
                problems.append(f"{rel}: meta description reads {metas!r}")
            h1 = text.split("<h1>", 1)[1].split("</h1>", 1)[0] if "<h1>" in text else None
            if h1 is None or scan(h1).text != [title] or "<" in h1:
                problems.append(f"{rel}: <h1> is {h1!r}")
    # Every plain-text field was found (and checked) on some page, except those no template shows.
    unseen = {re.sub(r"\.\d+", ".*", hostile.fields[n]) for n in hostile.values if n not in seen}
    assert unseen <= NOT_DISPLAYED, unseen - NOT_DISPLAYED

    # The source URL lands in href exactly as typed: its quotes cannot break out of the attribute.
    for rel in ("studios/kongkongquan/index.html", "stories/kongkongquan-caustic-soda/index.html"):
        page = scan(files[rel])
        anchors = [dict(a) for t, a, _ in page.elements if t == "a"]
        if not any(a.get("href") == HOSTILE_URL for a in anchors):
            problems.append(f"{rel}: no <a> whose href is the source URL as typed")
        # Markdown still works for allowed links, and links to other hosts open without an opener.
        for _, href in MD_ALLOWED:
            if not any(a.get("href") == href for a in anchors):
                problems.append(f"{rel}: the allowed Markdown link to {href} is missing")
        for a in anchors:
            if url_host(a.get("href") or "") in ALLOWED_MD_HOSTS and "noopener" not in (a.get("rel") or ""):
                problems.append(f"{rel}: {a} lacks rel=noopener")

    # Search index: Pagefind keeps page text as text (the browser shows its excerpts through
    # jx-search.js, which keeps only text and <mark>; test_browser drives that with a payload).
    index = read_search_index(site)
    for url in index:
        assert not url_scheme(url) and not url.startswith("//"), url
    if any("<" in p for p in GROUPS[group]):
        assert any("<script" in doc["text"] or "<img" in doc["text"] for doc in index.values()), (
            "the payloads never reached the search index"
        )

    # Sitemaps: well-formed, only this site's pages.
    for rel in ("sitemap.xml", "sitemap.xml.gz"):
        tree = ET.fromstring(files[rel])
        for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            assert "evil" not in loc.text and "<" not in loc.text and "⟦" not in loc.text, loc.text

    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} problems)"


def test_constrained_fields_refuse_hostile_strings(tmp_path):
    """Fields with an enum, pattern or date format cannot take the payloads: the build stops, in Chinese."""
    project = copy_project(tmp_path / "p")
    expected = []
    for kind in SAMPLES:
        record = sample(kind)
        fields = string_fields(kind)
        for path, _ in list(leaves(record)):
            cls = fields.get(pattern_of(path), (None,))[0]
            if cls in ("enum", "pattern", "format"):
                bad = "javascript:alert(1)" if path[-1] == "url" else '"><script>alert(1)</script>'
                set_at(record, path, bad)
                expected.append((SAMPLES[kind], field_name(path)))
        (project / SAMPLES[kind]).write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    result = mkdocs_build(project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in log and not (project / "site").exists()
    assert "内容检查发现" in log
    for file, field in expected:
        assert re.search(rf"{re.escape(file)}:\d+:\d+: {re.escape(field)}[（:]", log), (file, field, log[-3000:])
    assert "网址应以 http:// 或 https:// 开头。" in log
    assert len(expected) >= 15


@pytest.mark.parametrize("text", ["a\x7fb", "行\u2028分隔\x85", '引号"与\\反斜杠', "---\ntitle: x"])
def test_front_matter_reads_back_whatever_the_text(text):
    from jiangxin.site.rendering import _front_matter, page_meta

    block = _front_matter(page_meta(text, text))
    assert block.startswith("---\n") and block.endswith("---\n\n")
    meta = yaml.safe_load(block.split("---\n")[1])
    assert meta["title"] == html.escape(text, quote=True)


def _shortened(visible: str, start: int, value: str) -> bool:
    """Chart labels and poster summaries cut long text with "…": a typed prefix, then the ellipsis."""
    end = visible.find("…", start)
    return end > start and value.startswith(visible[start:end])

"""Hostile input shared by the in-process checks and the real publishes that must refuse it."""

from __future__ import annotations

HOSTILE_HTML = {
    # The examples.
    "svg onload": ("<svg/onload=alert(1)>", 1, "<svg>"),
    "handler split over lines": ('<img src="a.png"\nonerror="alert(1)">', 2, "onerror"),
    "entity-encoded javascript:": ('<a href="&#106;avascript:alert(1)">x</a>', 1, "javascript:alert(1)"),
    "base": ('<base href="//other.host/">', 1, "<base>"),
    "meta refresh": ('<meta http-equiv=refresh content="0;url=https://e.example">', 1, "<meta>"),
    "form": ("<form action=https://e.example><input name=a></form>", 1, "<form>"),
    # Variants: a tab entity inside the scheme, Markdown's own link syntaxes, attr_list, other handlers and elements.
    "tab entity in scheme": ('<a href="java&#x09;script:alert(1)">x</a>', 1, "javascript:alert(1)"),
    "reference link": ("[x][r]\n\n[r]: javascript:alert(1)", 3, "javascript:alert(1)"),
    "attr_list handler": ('[x](a.md){: onclick="alert(1)" }', 1, "onclick"),
    "attr_list on a paragraph": ('hello\n{: onmouseover="alert(1)" }', 2, "onmouseover"),
    "attr_list href": ('[x](a.md){: href="javascript:alert(1)" }', 1, "javascript:alert(1)"),
    "details ontoggle": ("<details open ontoggle=alert(1)><summary>a</summary>b</details>", 1, "ontoggle"),
    "md_in_html handler": ('<div markdown="1" onmouseover="alert(1)">**x**</div>', 1, "onmouseover"),
    "comment breakout": ("<!-- --!><img src=x onerror=alert(1)> -->", 1, "onerror"),
    "mXSS through math": ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", 1, "<math>"),
    "foreign image": ("![t](//e.example/t.gif)", 1, "//e.example/t.gif"),
    "data image": ("![x](data:image/svg+xml;base64,PHN2Zz4=)", 1, "data:image/svg+xml"),
    "meta inside md_in_html": ('<div markdown="1">\n<meta http-equiv="refresh" content="0;url=//e.example">\n</div>', 2, "<meta>"),
    "srcset from elsewhere": ('<img src="a.png" srcset="https://e.example/x.png 2x" alt="">', 1, "srcset"),
    "id of Material's own control": ("## H {: #__search }", 1, "__search"),
}  # fmt: skip

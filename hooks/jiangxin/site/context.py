"""The one build context every page, asset and home-block builder receives."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import jinja2

from jiangxin.records.model import Record, Site
from jiangxin.site.admin_config import Settings
from jiangxin.site.rendering import Page, page_meta, root_of


class PageCache:
    """Pages of the last rebuild of `mkdocs serve`, by page, with the records they were made from.

    Whoever holds it clears it when the templates or `mkdocs.yml` change; then equal
    records make an equal page, and the page need not be rendered again.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple, Page]] = {}

    def get(self, src_uri: str, records: Iterable[Record | None], build: Callable[[], Page], extra: tuple = ()) -> Page:
        """The page of `src_uri` cached from equal records (and `extra`), else `build()` (then cached)."""
        inputs = (*((r.id, r.path, r.data) for r in records if r is not None), extra)
        hit = self._pages.get(src_uri)
        if hit is not None and hit[0] == inputs:
            return hit[1]
        page = build()
        self._pages[src_uri] = (inputs, page)
        return page

    def clear(self) -> None:
        """Forget every page (the templates or the configuration changed)."""
        self._pages.clear()


@dataclass(frozen=True)
class BuildContext:
    """What builders read: the templates, the site model, and the settings of `mkdocs.yml` they need."""

    env: jinja2.Environment
    site: Site
    # The public address (`site_url`); None until it is set, and then no feed, QR code or absolute link.
    site_url: str | None = None
    # Who publishes the site (`site_author`): the feed's author, the open data's publisher.
    publisher: str = ""
    # `extra.cms`: the git host of the browser form at /admin/.
    cms: Settings = field(default_factory=Settings)
    # Where the records are, relative to mkdocs.yml (docs_dir): the form edits files there.
    content_dir: str = "content"
    # Only while serving: lets unchanged profiles and stories skip rendering.
    cache: PageCache | None = field(default=None, compare=False)

    def render(
        self,
        template: str,
        src_uri: str,
        url: str,
        title: str,
        description: str,
        record_path: str | None = None,
        image: str | None = None,
        **context,
    ) -> Page:
        """One page from a template; every template also sees `root`, `site` and `site_url`.

        `image`: the page's share picture (a path under the site root), for og:image once `site_url` is set.
        """
        context.setdefault("site", self.site)
        body = self.env.get_template(template).render(root=root_of(url), site_url=self.site_url, **context)
        # Stripped as Markdown would leave it, so the HTML goes to MkDocs as is, without a copy.
        meta = page_meta(title, description) | ({"image": image} if image else {})
        return Page(src_uri, meta, body.strip("\n"), record_path)

    def fragment(self, template: str, **context) -> str:
        """An HTML block for the home page (its links are relative to the site root)."""
        context.setdefault("site", self.site)
        return self.env.get_template(template).render(root="", site_url=self.site_url, **context)

    def reuse(
        self, src_uri: str, records: Iterable[Record | None], build: Callable[[], Page], extra: tuple = ()
    ) -> Page:
        """`build()`, or while serving the page made from equal records (and `extra`) in the last rebuild."""
        if self.cache is None:
            return build()
        return self.cache.get(src_uri, records, build, extra)

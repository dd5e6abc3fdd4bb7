"""The views Great Expectations renders the gates' Data Docs with: its own, with their page
templates compiled once. GX makes a new jinja environment for every view of every rendering,
and compiling its templates anew was most of a stage's rendering (about 0.3 s). Jinja keeps
them compiled in its bytecode cache: a folder of the user's own in the system's temporary
directory, checked against each template's source, so a later rendering, in this process or
the next stage's, only runs them. GX's SiteBuilder takes these views by name (`gx_context`);
this module is imported only when GX renders."""

from __future__ import annotations

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import FileSystemBytecodeCache

COMPILED = FileSystemBytecodeCache()


class PageView(DefaultJinjaPageView):
    """A page of a gate run or of a suite."""

    def __init__(self, custom_styles_directory: str | None = None,
                 custom_views_directory: str | None = None) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)
        self.env.bytecode_cache = COMPILED


class IndexPageView(PageView, DefaultJinjaIndexPageView):
    """The index of every gate run."""

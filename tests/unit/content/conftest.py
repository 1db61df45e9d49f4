"""The fictional photo studio's images in the session's photo cache, for the loads of this folder's tests."""

from __future__ import annotations

import shutil

import pytest

from jiangxin.content.loader import load_site
from support.photofixtures import add_photo_studio, one_by_one
from support.project import ROOT


@pytest.fixture(scope="session", autouse=True)
def _photo_studio_cached(photo_cache, tmp_path_factory) -> None:
    """Made once, one image after another: the tests here load the studio again and again, and four new
    images would otherwise go to the loader's process pool, which a unit test may not start."""
    project = tmp_path_factory.mktemp("photo-studio")
    shutil.copytree(ROOT / "content", project / "content")
    add_photo_studio(project)
    with one_by_one():
        load_site(project / "content", project)

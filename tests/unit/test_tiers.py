"""The unit tier starts no process: every way of starting one fails a unit test (tests/conftest.py), the
photo pool of the loader included. Each start here would run a harmless `true` if the guard let it through."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import subprocess

import pytest

from jiangxin.content import photos
from support.photofixtures import phone_jpeg

STARTS = {
    "subprocess": lambda: subprocess.run(["true"], check=False),
    "os.popen": lambda: os.popen("true").close(),
    "os.system": lambda: os.system("true"),
    "os.posix_spawn": lambda: os.posix_spawn("/bin/true", ["true"], os.environ),
    "os.spawnv": lambda: os.spawnv(os.P_WAIT, "/bin/true", ["true"]),
    "multiprocessing fork": lambda: multiprocessing.get_context("fork").Process(target=int).start(),
    "multiprocessing spawn": lambda: multiprocessing.get_context("spawn").Process(target=int).start(),
}


@pytest.mark.parametrize("start", STARTS.values(), ids=STARTS.keys())
def test_a_unit_test_cannot_start_a_process(start):
    with pytest.raises(AssertionError, match="a unit test started a process"):
        start()


def test_a_process_pool_is_refused(tmp_path):
    fork = multiprocessing.get_context("fork")
    with (
        concurrent.futures.ProcessPoolExecutor(1, mp_context=fork) as pool,
        pytest.raises(AssertionError, match="a unit test started a process"),
    ):
        pool.submit(int).result()


def test_the_photo_pool_is_refused_and_the_loaders_photos_come_from_the_shared_cache(tmp_path, photo_cache):
    jobs = []
    for n in range(4):  # four new images: the loader would encode them on every core
        path = tmp_path / f"{n}.jpg"
        path.write_bytes(phone_jpeg((320 + n, 240), orientation=1))
        jobs.append(("photo", path))
    with pytest.raises(AssertionError, match="a unit test started a process"):
        photos.prepare(jobs, tmp_path / "cache")
    assert photos.cache_dir(tmp_path) == photo_cache

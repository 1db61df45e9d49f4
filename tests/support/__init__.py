"""What the tests share (and the benchmarks borrow): the project and its scripts (`project`), a server and
Chromium (`harness`, `browser`), generated inputs (`photofixtures`, `fictional`, `hostile`, `synth`), the search
query set (`search_queries`), built pages (`pages`) and work counted instead of timed (`work`).

Tests import from here; conftest.py files hold fixtures and hooks only.
"""

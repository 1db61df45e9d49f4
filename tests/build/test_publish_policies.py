"""What scripts/publish.py does with the CSP of a real build: writes the nginx map, reloads nginx when the
scripts change, fails and keeps the site when the reload fails. The policy itself: tests/unit/release/test_security_headers.py."""

from __future__ import annotations

from jiangxin.release import securityheaders
from support.project import copy_project, publish


def test_publish_writes_the_policy_map_and_reloads_nginx_when_the_scripts_change(tmp_path):
    project = copy_project(tmp_path / "p")
    marker = tmp_path / "reloaded"
    result = publish(project, JX_NGINX_RELOAD=f"echo reload >> {marker}")
    assert result.returncode == 0, result.stdout + result.stderr
    conf = (project / "nginx-csp.conf").read_text(encoding="utf-8")
    live = securityheaders.site_hashes(project / "site")
    assert live and securityheaders.hashes_in(conf) == live
    assert marker.read_text() == "reload\n"
    assert list((project / "site").glob("index.html.gz")) and list((project / "site").glob("index.html.br"))
    # The same site again: nothing to reload.
    assert publish(project, JX_NGINX_RELOAD=f"echo reload >> {marker}").returncode == 0
    assert marker.read_text() == "reload\n"
    # A template with a new inline script: both releases' scripts stay allowed while nginx reloads.
    main = project / "overrides" / "main.html"
    assert "{% block scripts %}" not in main.read_text(encoding="utf-8")
    with main.open("a", encoding="utf-8") as f:
        f.write("\n{% block scripts %}{{ super() }}<script>jxTest()</script>{% endblock %}\n")
    result = publish(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "请立即重新加载 nginx" in result.stderr
    allowed = securityheaders.hashes_in((project / "nginx-csp.conf").read_text(encoding="utf-8"))
    assert securityheaders.digest("jxTest()") in allowed and live <= allowed


def test_a_failing_reload_fails_the_publish_and_keeps_the_site(tmp_path):
    project = copy_project(tmp_path / "p")
    result = publish(project, JX_NGINX_RELOAD="echo 'nginx: [emerg] bad' >&2; exit 1")
    assert result.returncode != 0 and "重新加载 nginx 失败" in result.stderr and "[emerg] bad" in result.stderr
    assert not (project / "site").exists()

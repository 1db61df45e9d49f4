"""Publishing: build the site into a new release folder and switch `site` to it only if the whole build succeeded.

MkDocs empties `site/` before rendering, so a failed `--strict` build would leave
a half-built site behind. Here every publish builds into `.releases/.new-*`,
renames it to `.releases/<n>`, and switches the symlink `site` → `.releases/<n>`
in one `os.replace` (rename(2): atomic, so a reader or a kill at any instant
finds the old site or the new one, never none). The release before stays for
`--rollback`; older ones and folders left by killed runs are removed. A lock
file stops a second publish while one runs. MkDocs itself runs as a subprocess
(`python3 -m mkdocs build`); the command is scripts/publish.py.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from jiangxin.checks.built_policy import theme_scripts
from jiangxin.checks.file_policy import theme_dirs
from jiangxin.engine import mkdocsyml
from jiangxin.problems import Stop, report
from jiangxin.release import precompress, securityheaders

RELEASES = ".releases"
LOCK = ".publish.lock"
CSP_FILE = "nginx-csp.conf"  # the `map` of Content-Security-Policies, included by nginx (deploy/nginx.conf)
RELOAD = "JX_NGINX_RELOAD"  # a command that reloads nginx, e.g. "sudo systemctl reload nginx"
FAILED = "发布失败：网站没有更新，原有的 site/ 保持不变。"
RENAME_EXCHANGE = 2  # linux/fs.h
ERRNO = re.compile(r"\[Errno (\d+)\]")
EXCEPTION = re.compile(r"^(?:[\w.]+\.)?\w*(?:Error|Exception|Exit|Interrupt)\b:?")


class Publisher:
    """The releases of one project: publish, roll back, and clean up after a run that was killed.

    `on_step` is the fault-injection point for tests: called with N just before the N-th filesystem
    change of the run, so that a test can stop it there (tests/build/test_publish_faults.py kills the
    process, tests/unit/release/test_publisher.py raises) and check that `site` is still whole.
    """

    def __init__(self, project: Path, on_step: Callable[[int], object] | None = None):
        self.project = project
        self.site = project / "site"
        self.releases = project / RELEASES
        self.steps = 0
        self.on_step = on_step

    def step(self) -> None:
        """Mark one filesystem change (see `on_step`)."""
        self.steps += 1
        if self.on_step is not None:
            self.on_step(self.steps)

    # Releases ---------------------------------------------------------------------------

    def numbered(self) -> list[int]:
        if not self.releases.is_dir():
            return []
        return sorted(int(p.name) for p in self.releases.iterdir() if p.name.isdigit() and p.is_dir())

    def current(self) -> int | None:
        """The release `site` points at; None when `site` is a plain folder or missing."""
        if not self.site.is_symlink():
            return None
        name = Path(os.readlink(self.site)).name
        return int(name) if name.isdigit() and (self.releases / name).is_dir() else None

    def previous(self) -> int | None:
        current = self.current()
        older = [n for n in self.numbered() if current is None or n < current]
        return older[-1] if older else None

    def point_site_at(self, number: int) -> None:
        """Switch `site` to release `number` with one rename over the old symlink."""
        link = self.project / f".site-link-{number}"
        self.step()
        if link.is_symlink():
            link.unlink()
        self.step()
        os.symlink(f"{RELEASES}/{number}", link)
        if self.site.is_symlink() or not self.site.exists():
            self.step()
            os.replace(link, self.site)
        else:
            self.migrate(link)
        _sync(self.project)

    def migrate(self, link: Path) -> None:
        """`site` is still a real folder (first publish of this kind): swap it with the symlink.

        RENAME_EXCHANGE swaps both names in one step, so `site` is never missing; the old
        folder then becomes the previous release. Where the kernel or filesystem can't
        exchange, the folder is moved away first: the one instant without `site`, which
        the next publish repairs (see `recover`) if a kill falls in it.
        """
        old = self.releases / str(self.numbered()[-1] - 1 if self.numbered() else 0)
        self.step()
        if _exchange(link, self.site):
            self.step()
            os.rename(link, old)  # `link` now names the old folder
        else:
            self.step()
            os.rename(self.site, old)
            self.step()
            os.replace(link, self.site)

    # Clean-up ---------------------------------------------------------------------------

    def recover(self) -> None:
        """Undo what a killed run left: a missing `site`, staging folders, surplus releases."""
        if not self.site.exists():
            numbers = self.numbered()
            legacy = sorted(self.project.glob(".site-old-*/site"))  # a kill inside the former two-rename swap
            if numbers:
                self.point_site_at(numbers[-1])
            elif legacy:
                self.step()
                if self.site.is_symlink():
                    self.site.unlink()
                os.rename(legacy[-1], self.site)
        for stale in [*self.project.glob(".site-new-*"), *self.project.glob(".site-old-*")]:
            self.remove(stale)
        for link in self.project.glob(".site-link-*"):  # a symlink, or the old folder after an exchange
            self.remove(link)
        if self.releases.is_dir():
            for staging in self.releases.glob(".new-*"):
                self.remove(staging)
        self.prune()

    def prune(self) -> None:
        """Keep the current release and the one before it."""
        keep = {self.current(), self.previous()}
        for number in self.numbered():
            if number not in keep:
                self.remove(self.releases / str(number))

    def remove(self, path: Path) -> None:
        self.step()
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
            return
        errors: list[str] = []
        shutil.rmtree(path, onerror=lambda _f, p, e: errors.append(f"{p}: {e[1]}"))
        if errors:  # leftovers waste space but never touch the published site
            print(f"提示：未能删除旧文件夹 {path}（{errors[0]}），可稍后手动删除。", file=sys.stderr)

    # Publish ----------------------------------------------------------------------------

    def publish(self, lock_fd: int) -> int:
        config, problems = mkdocsyml.read(self.project)
        if problems:
            print(report(problems).replace("内容检查", "网站配置检查", 1), file=sys.stderr)
            raise Stop.because("publish.config", f"{FAILED}请按上面的提示改正 mkdocs.yml 后重试。")
        self.recover()
        self.step()
        self.releases.mkdir(exist_ok=True)
        staging = self.releases / f".new-{os.getpid()}-{secrets.token_hex(4)}"
        self.step()
        staging.mkdir()  # not mkdtemp: its mode 0700 would keep the web server out of the published site
        try:
            code = self.build(staging, config, lock_fd)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if code != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise Stop.because("publish.build", f"{FAILED}请按上面的提示改正后重试。")
        # The build refused such pages already (on_post_page); this also covers what it did not render
        # through that event (404.html, /admin/). The policy hashes only scripts the templates write.
        templates = theme_dirs(self.project, config.theme, config.custom_dir)
        unknown = securityheaders.unknown_scripts(staging, theme_scripts(templates))
        if unknown:
            shutil.rmtree(staging, ignore_errors=True)
            raise Stop(unknown, heading=f"{FAILED}网页里有模板之外的脚本，安全策略不会允许它：")
        return self.release(staging)

    def release(self, staging: Path) -> int:
        """Make the built site in `staging` (a folder under `.releases/`) the published one."""
        self.step()
        files, before, after = precompress.compress_tree(staging)
        print(f"已压缩 {files} 个文件：{before // 1024} KB → {after // 1024} KB（gzip）")
        self.step()
        self.write_policies(staging)
        number = (self.numbered() or [0])[-1] + (2 if not self.site.is_symlink() and self.site.exists() else 1)
        self.step()
        os.rename(staging, self.releases / str(number))
        _sync(self.releases)
        self.point_site_at(number)
        self.prune()
        print(f"发布成功：{self.site} → {RELEASES}/{number}（上一版保留，可用 --rollback 恢复）")
        return 0

    def build(self, staging: Path, config: mkdocsyml.Config, lock_fd: int) -> int:
        """A strict build into `staging`; MkDocs' output passed on, explained in Chinese, tracebacks summarised."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(staging)]
        # The build inherits the lock: if this process is killed, no other publish starts
        # (and cleans the staging folder) until the orphaned build has ended.
        with subprocess.Popen(
            cmd, cwd=self.project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace", pass_fds=(lock_fd,),
        ) as proc:  # fmt: skip
            assert proc.stdout is not None
            relay(proc.stdout, config)
        return proc.returncode

    def write_policies(self, staging: Path) -> None:
        """Write the nginx map of CSPs before the switch, allowing the inline scripts of the live
        release and of the new one: whichever nginx serves while it reloads, its scripts run."""
        live = securityheaders.site_hashes(self.site) if self.site.is_dir() else set()
        site_policy, admin_policy = securityheaders.policies(staging, also=live)
        text = securityheaders.nginx_map(site_policy, admin_policy)
        path = self.project / CSP_FILE
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old == text:
            return
        tmp = path.with_name(f".{CSP_FILE}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        command = os.environ.get(RELOAD)
        covered = old is not None and securityheaders.hashes_in(old) >= securityheaders.site_hashes(staging)
        if command:
            result = subprocess.run(command, shell=True, capture_output=True, text=True)
            if result.returncode != 0:
                raise Stop.because(
                    "publish.reload",
                    f"{FAILED}已更新 {CSP_FILE}，但重新加载 nginx 失败（{RELOAD}：{command}）：\n"
                    f"{(result.stderr or result.stdout).strip()}\n请检查 nginx 配置后重试。",
                )
        elif not covered:
            print(
                f"提示：网页里的脚本有变化，已更新 {CSP_FILE}（安全策略）。请立即重新加载 nginx"
                "（如 sudo systemctl reload nginx），否则新页面上的部分功能会被浏览器拦截；"
                f"设置环境变量 {RELOAD} 后，发布程序会自动重新加载。",
                file=sys.stderr,
            )

    def rollback(self) -> int:
        self.recover()
        previous = self.previous()
        if previous is None:
            raise Stop.because(
                "publish.no-previous", "没有可恢复的上一版网站（只保留一版，且已恢复过或从未发布过两次）。"
            )
        self.point_site_at(previous)
        print(f"已恢复上一版：{self.site} → {RELEASES}/{previous}")
        return 0


def relay(lines, config: mkdocsyml.Config) -> None:
    """Print MkDocs' lines with a Chinese line after each one editors cause; a traceback becomes two lines."""
    traceback: list[str] = []
    chinese = None
    for line in lines:
        line = line.rstrip("\n")
        # A traceback ends the build's output (MkDocs exits): keep it to the end, print its last exception.
        if traceback or line.startswith("Traceback (most recent call last)"):
            traceback.append(line)
            continue
        if chinese and line == chinese:  # the hook's own Chinese line (jiangxin.mkdocswarnings): once is enough
            chinese = None
            continue
        print(line, file=sys.stderr)
        chinese = mkdocsyml.explain(line, config)
        if chinese:
            print(chinese, file=sys.stderr)
    if traceback:
        last = next((line for line in reversed(traceback) if EXCEPTION.match(line)), traceback[-1])
        print(last, file=sys.stderr)
        print(_crash_message(last), file=sys.stderr)


def _crash_message(line: str) -> str:
    m = ERRNO.search(line)
    if m:
        return _os_message(int(m.group(1)), line)
    return "构建程序意外出错（见上一行的英文说明），请把这一行发给网站的技术维护人员。"


def _os_message(code: int | None, detail: str) -> str:
    if code in (errno.ENOSPC, errno.EDQUOT):
        why = "磁盘空间已满"
        fix = "请清理磁盘或联系服务器管理员扩容后重试"
    elif code in (errno.EACCES, errno.EPERM):
        why = "没有权限写入项目文件夹或 site/"
        fix = "请用有写权限的账号运行，或请服务器管理员开放权限"
    elif code == errno.EROFS:
        why = "项目所在的磁盘是只读的"
        fix = "请在可写的位置运行，或请服务器管理员改为可写"
    else:
        why = "读写文件出错"
        fix = "请检查磁盘和文件夹后重试"
    return f"{why}（{detail}）。{fix}。"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync(folder: Path) -> None:
    """Flush a folder's entries, so a power cut after the switch does not bring back a stale `site`."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def run(project: Path, *, rollback: bool = False, on_step: Callable[[int], object] | None = None) -> int:
    """Publish `project` (or roll it back) under the lock; the exit code, every failure explained in Chinese."""
    publisher = Publisher(project, on_step)
    try:
        with open(project / LOCK, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("另一次发布正在进行，请等它结束后再试（本次没有改动网站）。", file=sys.stderr)
                return 75  # EX_TEMPFAIL
            return publisher.rollback() if rollback else publisher.publish(lock.fileno())
    except Stop as err:  # a publish stopped with a message for the editor; `site` is untouched
        print(err, file=sys.stderr)
        return 1
    except OSError as err:
        detail = f"{err.strerror or err}{'：' + str(err.filename) if err.filename else ''}"
        print(_os_message(err.errno, detail), file=sys.stderr)
        print(FAILED, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"已中断。{FAILED}", file=sys.stderr)
        return 130

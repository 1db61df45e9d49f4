"""Load every record under the content folder, collecting every problem of every file."""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from jiangxin.checks import file_policy, privacy, validate
from jiangxin.checks.yamlsource import Source, decode, parse
from jiangxin.content import photos
from jiangxin.problems import Problem, field_name
from jiangxin.records import catalogue, model
from jiangxin.records.model import Site, freeze
from jiangxin.records.registry import KIND, KINDS, YEAR_ID


def load_site(docs_dir: Path, base: Path | None = None, cache: dict | None = None) -> tuple[Site, list[Problem]]:
    """Read, validate and cross-check all records; paths in problems are relative to `base`.

    `cache` (kept by the caller between loads, as `mkdocs serve` does) skips files whose bytes did not change.
    """
    base = base or docs_dir.parent
    problems: list[Problem] = []
    parsed: list[Parsed] = []
    for kind in KINDS:
        seen: dict[str, str] = {}
        for file in sorted((docs_dir / kind.folder).glob("*")):
            if file.suffix.lower() not in (".yml", ".yaml") or not file.is_file():
                continue
            rel = _rel(file, base)
            if file.stem in seen:
                problems.append(
                    Problem(
                        rel,
                        1,
                        1,
                        "",
                        f"编号“{file.stem}”与 {seen[file.stem]} 重复，请给其中一个改名。",
                        code="record.duplicate-id",
                    )
                )
                continue
            seen[file.stem] = rel
            try:
                raw = file.read_bytes()
            except OSError as err:
                problems.append(file_policy.unreadable(rel, err))
                continue
            item = (
                parse_record(kind.key, raw, rel, file.stem)
                if cache is None
                else _parse_cached(cache, kind.key, raw, rel, file.stem)
            )
            item.problems[:0] = _check_id(kind.key, file.stem, rel)
            problems.extend(item.problems)
            parsed.append(item)
    problems.extend(_cross_check(parsed))
    photo_problems, uses = _photo_checks(parsed, docs_dir)
    problems.extend(photo_problems)
    inventory = file_policy.check_tree(docs_dir, base)
    problems.extend(_page_problems(inventory))
    processed, stripped, image_problems = _process_images(uses, inventory.images, base)
    problems.extend(image_problems)
    # Record files are read by parse_record (their names by _check_id), Markdown pages by check_pages.
    record_dirs = {docs_dir / kind.folder for kind in KINDS}
    problems.extend(
        privacy.check_files(
            docs_dir,
            lambda f: _rel(f, base),
            lambda f: f.parent in record_dirs and f.suffix.lower() in file_policy.RECORD_SUFFIXES,
            file_policy.MARKDOWN_SUFFIXES,
        )
    )
    clean = [p for p in parsed if p.value is not None and not p.problems]
    records = {
        kind.folder: tuple(
            sorted((kind.model(p.id, p.path, freeze(p.value)) for p in clean if p.kind == kind.key), key=lambda r: r.id)
        )
        for kind in KINDS
    }
    # Each folder is paired with its model class in the registry, so the types match.
    return Site(**records, photos=processed, page_images=stripped), problems  # type: ignore[arg-type]


def _parse_cached(cache: dict, kind: str, raw: bytes, rel: str, record_id: str) -> Parsed:
    key = (kind, rel, record_id)
    hit = cache.get(key)
    if hit is not None and hit[0] == raw:
        item = hit[1]
    else:
        item = parse_record(kind, raw, rel, record_id)
        cache[key] = (raw, item)
    # Callers add problems to the list; the cached one stays as parsed.
    return replace(item, problems=list(item.problems))


@dataclass
class Parsed:
    """One record file after parsing: its value (None if unreadable), positions and problems."""

    kind: str
    id: str
    path: str
    value: dict | None
    source: Source | None
    problems: list[Problem]


def parse_record(kind: str, raw: bytes, rel: str, record_id: str) -> Parsed:
    """Decode, parse and validate one record file, keeping every problem."""
    text, problems = decode(raw, rel)
    if text is None:
        return Parsed(kind, record_id, rel, None, None, problems)
    private = privacy.scan(text)
    source, problems = parse(text, rel)
    if source is None:
        # A field named by the parser (one with too many values) is a top-level key: give it its title.
        problems = [replace(p, field=_titled(kind, p.field)) if p.field else p for p in problems]
        shown = private[: max(validate.MAX_PROBLEMS - len(problems), 0)]
        problems += _private_problems(kind, shown, rel, None)
        return Parsed(kind, record_id, rel, None, None, _capped(problems, rel, uncounted=len(private) - len(shown)))
    value, found, more = validate.check(kind, source, rel)
    problems += found
    # Past the report's cap a finding is only counted: 40,000 numbers need not become 40,000 Problems.
    shown = private[: max(validate.MAX_PROBLEMS - len(problems), 0)]
    uncounted = len(private) - len(shown)
    problems += _private_problems(kind, shown, rel, source) + _private_values(kind, source, rel, private)
    if (
        kind == "report"
        and isinstance(value.get("year"), int)
        and str(value["year"]) != record_id
        and YEAR_ID.fullmatch(record_id)
    ):
        line, col = source.where(("year",))
        problems.append(
            Problem(
                rel,
                line,
                col,
                "year（年份）",
                f"年份 {value['year']} 与文件名 {record_id}.yml 不一致，请让两者相同。",
                code="record.year-mismatch",
            )
        )
    return Parsed(kind, record_id, rel, value, source, _capped(problems, rel, more, uncounted))


def _capped(problems: list[Problem], rel: str, more: bool = False, uncounted: int = 0) -> list[Problem]:
    """The first problems of one file and a line saying how many are left out (`more`: the schema stopped early;
    `uncounted`: problems past the cap that were counted, not built)."""
    limit = validate.MAX_PROBLEMS
    if len(problems) + uncounted <= limit and not more:
        return problems
    left = len(problems) + uncounted - limit
    rest = f"还有至少 {max(left, 0) + 1} 个" if more else f"还有 {left} 个"
    return [
        *problems[:limit],
        Problem.file(
            rel,
            "record.too-many-problems",
            f"问题太多，只列出前 {limit} 个，{rest}问题未列出；请先改正列出的这些，再检查一遍。",
        ),
    ]


def _titled(kind: str, field: str) -> str:
    label = catalogue.field_title(kind, (field,))
    return field + (f"（{label}）" if label else "")


def _private_problems(kind: str, findings: list[privacy.Finding], rel: str, source: Source | None) -> list[Problem]:
    problems: list[Problem] = []
    if not findings:
        return problems
    # Sorted once: a record full of numbers would otherwise cost findings × values.
    starts = sorted((pos, path) for path, pos in source.positions.items() if path) if source is not None else []
    lines = [pos for pos, _ in starts]
    names: dict[int, str] = {0: ""}  # one name per field, however many numbers it holds
    for finding in findings:
        # The field is the last value that starts on or before the finding's line.
        above = bisect.bisect_right(lines, (finding.line, sys.maxsize))
        if above not in names:
            path = starts[above - 1][1]
            label = catalogue.field_title(kind, path)
            names[above] = field_name(path) + (f"（{label}）" if label else "")
        field = names[above]
        problems.append(Problem(rel, finding.line, 0, field, privacy.message(finding), code=finding.code))
    return problems


def _private_values(kind: str, source: Source, rel: str, seen: list[privacy.Finding]) -> list[Problem]:
    """Numbers that only the parsed values show (YAML escapes such as "\\u0031", folded lines)."""
    known = {f.masked for f in seen}
    problems = []
    # Strings the file shows verbatim were scanned with its text: 40,000 numbers are not scanned twice.
    for path, value in source.rewritten:
        for finding in privacy.scan(value):
            if finding.masked not in known:
                known.add(finding.masked)
                line, col = source.where(path)
                label = catalogue.field_title(kind, path)
                field = field_name(path) + (f"（{label}）" if label else "")
                problems.append(Problem(rel, line, col, field, privacy.message(finding), code=finding.code))
    return problems


def check_pages(docs_dir: Path, base: Path) -> list[Problem]:
    """Every file of the content folder against the content policy; personal data in the hand-written pages."""
    return _page_problems(file_policy.check_tree(docs_dir, base))


def _page_problems(inventory: file_policy.Inventory) -> list[Problem]:
    problems = list(inventory.problems)
    for rel, text in inventory.pages:
        problems.extend(Problem(rel, f.line, 0, "", privacy.message(f), code=f.code) for f in privacy.scan(text))
    return problems


def _check_id(kind: str, record_id: str, rel: str) -> list[Problem]:
    private = privacy.scan(record_id)
    if private:
        return [Problem.file(rel, "privacy.file-name", privacy.name_message(private[0]))]
    if KIND[kind].id_pattern is YEAR_ID:
        if not YEAR_ID.fullmatch(record_id):
            return [Problem.file(rel, "record.year-file-name", "年度数据的文件名应为四位年份，如 2025.yml。")]
        return []
    if record_id in KIND[kind].reserved_ids:
        reserved = f"“{record_id}”是网站保留的地址（名录和分类页使用），不能作编号，请换一个文件名。"
        return [Problem.file(rel, "record.reserved-id", reserved)]
    if not KIND[kind].id_pattern.fullmatch(record_id):
        suggestion = re.sub(r"[^a-z0-9]+", "-", record_id.lower()).strip("-") or "hewang"
        return [
            Problem.file(
                rel, "record.bad-id",
                f"文件名“{record_id}”不能作编号：只能用小写英文字母、数字和连字符（如 {suggestion}.yml），请改名。",
            )
        ]  # fmt: skip
    return []


def _cross_check(parsed: list[Parsed]) -> list[Problem]:
    """References between records (a story's studio) that name no record."""
    problems = []
    ids = {kind.key: {p.id for p in parsed if p.kind == kind.key} for kind in KINDS}
    for item in parsed:
        if item.source is None:  # unreadable: its problem is reported already
            continue
        value = item.value if isinstance(item.value, dict) else {}
        for name, target in KIND[item.kind].references:
            ref = value.get(name)
            if not isinstance(ref, str) or ref in ids[target]:
                continue
            line, col = item.source.where((name,))
            kind = KIND[target]
            known = "、".join(sorted(ids[target])) or f"（还没有{kind.label}记录）"
            problems.append(
                Problem(
                    item.path,
                    line,
                    col,
                    f"{name}（所属{kind.label}）",
                    f"找不到编号为“{ref}”的{kind.label}（content/{kind.folder}/{ref}.yml 不存在）。现有编号：{known}。",
                    code="record.broken-reference",
                )
            )
    return problems


@dataclass(frozen=True)
class PhotoUse:
    """A record's photo whose file is there to be processed, and where the record names it."""

    record: str
    file: str
    path: Path
    line: int
    column: int
    field: str


def _photo_checks(parsed: list[Parsed], docs_dir: Path) -> tuple[list[Problem], list[PhotoUse]]:
    """Problems of the records' photo entries (alt text, path), and the photos whose files can be processed."""
    problems, uses = [], []
    root = docs_dir.resolve()
    for item in parsed:
        listed = item.value.get("photos") if isinstance(item.value, dict) else None
        if item.source is None or not isinstance(listed, list):  # unreadable: its problem is reported already
            continue
        for i, photo in enumerate(listed):
            file = photo.get("file") if isinstance(photo, dict) else None
            if not isinstance(file, str):
                continue
            alt = photo.get("alt")
            if isinstance(alt, str):
                line, col = item.source.where(("photos", i, "alt"))
                problems += _alt_problems(alt, file, item.path, line, col, f"photos[{i}].alt（替代文字）")
            line, col = item.source.where(("photos", i, "file"))
            field = f"photos[{i}].file（图片文件）"
            if file.startswith(("/", "\\")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", file):
                code, why = (
                    "photo.absolute-path",
                    (
                        f"图片路径“{file}”是绝对路径或网址。图片必须放在 content 文件夹里，"
                        "请写成相对于 content 的路径，如 media/文件名.jpg（网上的图片请先下载，确认可以使用后再放入）。"
                    ),
                )
            elif ".." in file.replace("\\", "/").split("/"):
                # The schema's pattern lets "media/../../x.jpg" through; the path would be published in the open data.
                code, why = (
                    "photo.outside-content",
                    (
                        f"图片路径“{file}”含有“..”，指到了 content 文件夹以外。图片必须放在 content 文件夹里，"
                        "请写成 media/文件名.jpg 这样的路径。"
                    ),
                )
            elif not (docs_dir / file).is_file():
                code, why = "photo.missing", f"找不到图片 content/{file}，请先把图片放进 content 文件夹，或改正文件名。"
            elif not (docs_dir / file).resolve().is_relative_to(root):
                code, why = (
                    "photo.outside-content",
                    (
                        f"图片 content/{file} 是一个链接，指到了 content 文件夹以外。"
                        "请删去这个链接，把图片文件本身放进 content/media 文件夹。"
                    ),
                )
            else:
                uses.append(PhotoUse(item.path, file, docs_dir / file, line, col, field))
                continue
            problems.append(Problem(item.path, line, col, field, why, code=code))
    return problems, uses


def _process_images(
    uses: list[PhotoUse], images: list[tuple[str, Path, str]], base: Path
) -> tuple[dict[str, model.Photo], dict[str, model.Stripped], list[Problem]]:
    """Record photos into their variants, every other image of content/ into a stripped copy (both cached)."""
    media_cache = photos.cache_dir(base)
    used = {u.file for u in uses}
    page_images = [(uri, path, rel) for uri, path, rel in images if uri not in used]
    photos.prepare([("photo", u.path) for u in uses] + [("page", path) for _, path, _ in page_images], media_cache)
    problems = []
    processed: dict[str, model.Photo] = {}
    for use in uses:
        photo, refused = photos.record_photo(use.path, media_cache, use.record, use.line, use.column, use.field)
        problems += refused
        if photo is not None:
            processed[use.file] = photo
    stripped: dict[str, model.Stripped] = {}
    for uri, path, rel in page_images:
        image, refused = photos.page_image(path, media_cache, rel)
        problems += refused
        if image is not None:
            stripped[uri] = image
    return processed, stripped, problems


def _alt_problems(alt: str, file: str, rel: str, line: int, column: int, field: str) -> list[Problem]:
    """A photo's alternative text that tells a reader who cannot see the photo nothing, at its place."""
    text = alt.strip().lower()
    if not text:
        blank = "替代文字不能只有空格：请用一句话描述画面，如“领衔人在车间向徒弟讲解设备操作”。"
        return [Problem(rel, line, column, field, blank, code="photo.alt-blank")]
    name = file.rsplit("/", 1)[-1].lower()
    if text in (file.lower(), name, name.rsplit(".", 1)[0]):
        only_name = (
            f"替代文字“{alt}”只是文件名，看不见图片的读者（读屏软件）从中得不到任何信息。"
            "请用一句话描述画面，如“领衔人在车间向徒弟讲解设备操作”。"
        )
        return [Problem(rel, line, column, field, only_name, code="photo.alt-file-name")]
    return []


def _rel(file: Path, base: Path) -> str:
    try:
        return file.relative_to(base).as_posix()
    except ValueError:
        try:
            return file.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            return file.as_posix()

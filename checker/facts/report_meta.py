"""Who wrote the report, for which year, when it was published, and so which regime applies."""

from __future__ import annotations

import datetime as dt
import re

from checker.facts.dates import parse_date
from checker.ingest.document import compact
from checker.parse.ast import Report

REGIMES = ("regulation-2008", "format-2019", "format-2021")
KINDS = ("government", "department", "township", "unknown")

YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(r"统计期限[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道)(?:人民政府)?$|街道办事处$|街道办$")
# an area governed by a 管委会 that reports as the area's government (平潭综合实验区, 某某高新区)
ZONE = r"(?:综合实验区|综合试验区|经济技术开发区|高新技术产业开发区|开发区|高新区|新区|保税区|自贸区|试验区|实验区)"
_GOVERNMENT = re.compile(rf"(?:人民政府|政府|行政公署|管委会|管理委员会|人民政府办公厅|人民政府办公室|{ZONE})$")
# the agency as the body opens: "2019年，广州市体育局认真贯彻…" (for a report without a title)
_BODY_AGENCY = re.compile(
    r"(?:^|(?:19|20)\d{2}\s*年度?\s*[，,、]?\s*|^本年度\s*[，,]?\s*)"
    rf"([\u4e00-\u9fff]{{2,24}}?(?:人民政府办公厅|人民政府办公室|人民政府|{ZONE}(?:管委会|管理委员会)?|管委会|管理委员会|"
    r"街道办事处|办事处|委员会|局|委|办公室|办|厅|署|中心))"
    r"(?=认真|坚持|深入|全面|始终|紧紧|按照|围绕|严格|进一步|持续|高度|积极|扎实|根据|继续|贯彻|聚焦|以|在|紧扣|不断)")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|院|署|处|所|站|部|会|集团|公司|馆|队)$")
_TITLE_TAIL = re.compile(r"(?:关于)?(?:\d{4}\s*年(?:度)?)?\s*(?:政府信息公开|信息公开|政务公开).*$")


def regime_for(year: int | None) -> str | None:
    if year is None:
        return None
    if year <= 2018:
        return "regulation-2008"
    return "format-2019" if year <= 2020 else "format-2021"


def reporting_year(report: Report, text_lines: list[str], page_title: str | None = None) -> tuple[int | None, str]:
    title = report.title.text if report.title else page_title
    if title:
        match = YEAR.search(title)
        if match:
            return int(match.group(1)), "title"
    for line in text_lines[:40]:
        match = _PERIOD.search(line)
        if match:
            return int(match.group(1)), "statistical-period"
    for line in text_lines[:6]:  # "2019年,广州市体育局认真贯彻…" opens the body
        match = YEAR.search(line[:30])
        if match:
            return int(match.group(1)), "body"
    return None, "unknown"


def agency_name(report: Report, page_title: str | None = None) -> str | None:
    title = report.title.text if report.title else page_title
    if title:
        text = compact(title)
        head = re.split(r"(?:19|20)\d{2}年", text, maxsplit=1)
        name = head[0] if head[0] else (head[1] if len(head) > 1 else "")
        name = _TITLE_TAIL.sub("", name).strip("“”\"《》")
        if 2 <= len(name) <= 40:
            return name
    for dateline in (report.closing, *report.dates):
        if dateline and dateline.signature:
            return compact(dateline.signature)
    for paragraph in list(report.paragraphs())[:6]:  # no title, no signature: the body names it
        match = _BODY_AGENCY.search(compact(paragraph.text)[:60])
        if match:
            return match.group(1)
    return None


LEVELS = ("central", "province", "prefecture", "county", "township", "zone", "department", "unknown")
_CENTRAL = re.compile(r"^(?:国务院|中华人民共和国|国家)[\u4e00-\u9fff]{1,20}(?:部|委员会|委|局|署|总局|行|办公厅|办公室)$")
_GOVERNMENT_OF = re.compile(r"^(.+?)(?:人民政府|政府|行政公署)(?:办公厅|办公室)?$")
_UNIT = re.compile(r"[\u4e00-\u9fff]+?(?:省|自治区|自治州|市|州|盟|地区|县|区|旗)")


def agency_level(name: str | None) -> str:
    """Where the agency stands, for what only some may do (《立法法》: only State Council departments
    and the people's governments of provinces, 设区的市 and 自治州 make 规章). `unknown` when the
    name does not say: a rule that needs the level then stays silent."""
    if not name:
        return "unknown"
    name = re.sub(r"[（(].*?[)）]", "", name)
    if _CENTRAL.match(name):
        return "central"
    if _TOWNSHIP.search(name):
        return "township"
    if re.search(rf"{ZONE}(?:管委会|管理委员会)?$|管委会$|管理委员会$", name):
        return "zone"
    government = _GOVERNMENT_OF.match(name)
    if government:
        units = _UNIT.findall(government.group(1))
        if not units:
            return "unknown"
        from checker.vocab import division_levels

        last = units[-1]
        level = division_levels().get(last)
        if level:
            return level
        if last.endswith(("县", "区", "旗", "市")):
            return "county"  # a county, district, banner or county-level city
        return "unknown"
    if _DEPARTMENT.search(name):
        return "department"
    return "unknown"


def agency_kind(name: str | None) -> str:
    if not name:
        return "unknown"
    name = re.sub(r"[（(].*?[)）]", "", name)  # 上海市人民政府办公厅（代表市政府）
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    if _DEPARTMENT.search(name):
        return "department"
    return "unknown"


def publication(report: Report, meta: dict) -> tuple[dt.date | None, str | None, object]:
    """The page's 发布时间 is the publication; failing that, the date under the signature."""
    if meta.get("published"):
        date = parse_date(meta["published"])
        if date:
            return date, "page", meta.get("published_line")
    for source, dateline in (("signature", report.closing), *(("lead", d) for d in report.dates)):
        if dateline:
            date = parse_date(dateline.text)
            if date:
                return date, source, dateline.loc
    return None, None, None

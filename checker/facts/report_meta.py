"""Who wrote the report, for which year, when it was published, and so which regime applies."""

from __future__ import annotations

import datetime as dt
import re

from checker.facts.dates import parse_date
from checker.kinds import KINDS, REGIMES  # noqa: F401 - (facts says them to the stages after it)
from checker.ingest.document import compact
from checker.parse.ast import Report

# The agencies the regulation treats differently (REGULATION.md §1, "Agency kinds"):
# government: 县级以上地方人民政府 (its report by its competent office: 3月31日, 第四十九条第二款);
# department: a 部门 — a 政府办公厅（室）'s own report and vertically managed units included (1月31日);
# township: 乡镇人民政府 (a 人民政府 for 第五十条（四）; no national deadline);
# subdistrict: 街道办事处, a 派出机关 (no national deadline; not a 人民政府);
# zone: the 管委会 of a 开发区/新区/综合实验区 (no national deadline; not a 人民政府);
# organisation: 法律法规授权组织 and 公共企事业单位 (第五十四、五十五条; outside this format).
KIND_NAMES = {
    "government": "人民政府",
    "department": "政府部门",
    "township": "乡镇人民政府",
    "subdistrict": "街道办事处",
    "zone": "开发区、新区等的管理委员会",
    "organisation": "公共企事业单位",
    "unknown": "未识别",
}

YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(r"统计期限[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_TOWNSHIP = re.compile(r"(?:乡|镇)(?:人民政府)?$")
_SUBDISTRICT = re.compile(r"街道(?:办事处|办|工委)?$")
# an area governed by a 管委会 that reports as the area's government (平潭综合实验区, 某某高新区)
ZONE = r"(?:综合实验区|综合试验区|经济技术开发区|高新技术产业开发区|开发区|高新区|新区|保税区|自贸区|试验区|实验区)"
_GOVERNMENT = re.compile(r"(?:人民政府|政府|行政公署)$")
_ZONE_BODY = re.compile(rf"{ZONE}(?:党工委)?(?:管委会|管理委员会)?$|管委会$|管理委员会$")
# a government's general office reporting its own work is a department (第四十九条第一款)
_OFFICE = re.compile(r"(?:人民政府|政府|行政公署)(?:办公厅|办公室)$")
# 公共企事业单位 (第五十五条): outside the format, whatever their report says
_ORGANISATION = re.compile(r"(?:公司|集团|医院|大学|学院|学校|中学|小学|幼儿园)$")
# the agency as the body opens: "2019年，广州市体育局认真贯彻…" (for a report without a title)
_BODY_AGENCY = re.compile(
    r"(?:^|(?:19|20)\d{2}\s*年度?\s*[，,、]?\s*|^本年度\s*[，,]?\s*)"
    rf"([\u4e00-\u9fff]{{2,24}}?(?:人民政府办公厅|人民政府办公室|人民政府|{ZONE}(?:管委会|管理委员会)?|管委会|管理委员会|"
    r"街道办事处|办事处|委员会|局|委|办公室|办|厅|署|中心))"
    r"(?=认真|坚持|深入|全面|始终|紧紧|按照|围绕|严格|进一步|持续|高度|积极|扎实|根据|继续|贯彻|聚焦|以|在|紧扣|不断)"
)
# vertically managed units are departments too: 海关, the central bank's 分行/支行
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|院|署|处|所|站|部|会|馆|队|海关|分行|支行)$")
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
        name = _TITLE_TAIL.sub("", name).strip('“”"《》')
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
_CENTRAL = re.compile(
    r"^(?:国务院|中华人民共和国|国家)[\u4e00-\u9fff]{1,20}(?:部|委员会|委|局|署|总局|行|办公厅|办公室)$"
)
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
    if _TOWNSHIP.search(name) or _SUBDISTRICT.search(name):
        return "township"
    if _ZONE_BODY.search(name):
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
    """The kind the regulation treats the agency as, from its name; `unknown` where the name does
    not say (an override or the roster then decides)."""
    return kind_evidence(name)[0]


def kind_evidence(name: str | None) -> tuple[str, str]:
    """The kind and what in the name says so ("名称以「办公室」结尾"), for a supervisor to check."""
    if not name:
        return "unknown", "未识别出机关名称"
    bare = re.sub(r"[（(].*?[)）]", "", name)  # 上海市人民政府办公厅（代表市政府）
    for kind, pattern in (
        ("subdistrict", _SUBDISTRICT),
        ("township", _TOWNSHIP),
        ("zone", _ZONE_BODY),
        ("department", _OFFICE),
        ("government", _GOVERNMENT),
        ("organisation", _ORGANISATION),
        ("department", _DEPARTMENT),
    ):
        match = pattern.search(bare)
        if match:
            return kind, f"名称「{name}」以「{match.group(0)}」结尾"
    return "unknown", f"名称「{name}」看不出机关类别"


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

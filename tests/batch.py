"""A batch of reports for audits, made from the project's own clean examples: many agencies
(governments, departments, townships), several years each (carry-over and stock consistent from
year to year), four formats, each agency's own wording in sections 一 and 五, and defects
injected where asked. Every injected defect is listed in MANIFEST.json so tests can check the
audit found exactly those.

    python benchmarks/make_batch.py OUTDIR [--agencies 60] [--years 2021-2025] [--seed 7]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from checker.formats.docx_writer import write as write_docx  # noqa: E402

TEMPLATE = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
NEW = "| 一、本年新收政府信息公开申请数量"
PLACES = [
    "青川",
    "白河",
    "石门",
    "柳江",
    "松溪",
    "临水",
    "桐山",
    "东陵",
    "安远",
    "凤栖",
    "平陆",
    "长宁",
    "汇川",
    "望城",
    "金沙",
    "南岭",
    "清源",
    "鹤峰",
    "玉屏",
    "华亭",
    "兰溪",
    "建宁",
    "永和",
    "江口",
    "新丰",
    "上林",
    "宁远",
    "乐平",
]
DEPARTMENTS = [
    "教育局",
    "民政局",
    "财政局",
    "交通运输局",
    "卫生健康局",
    "生态环境局",
    "市场监督管理局",
    "农业农村局",
    "水利局",
    "统计局",
]

ACTIVE = [
    "依托{site}集中发布政策文件和工作动态{n}条",
    "围绕财政预决算、重点项目和民生事项按时公开信息{n}条",
    "通过政务新媒体同步推送政策解读{n}篇",
    "在公开专栏更新办事指南和服务事项{n}项",
    "开展政策直播解读活动{k}场",
    "对涉及群众切身利益的决策草案公开征求意见{k}次",
    "编印政策汇编{k}册并在服务大厅免费发放",
    "对重大行政决策事项开展预公开{k}项",
    "对权责清单动态调整后及时更新{k}次",
]
REQUESTS = [
    "严格按照法定时限答复，答复文书统一说理格式",
    "建立依申请公开会商机制，疑难申请集体研判{k}次",
    "对申请人提供电话沟通和补正指导服务",
    "完善受理、审查、答复、归档各环节台账",
    "邀请法律顾问审核答复意见{k}件",
    "开展依申请公开案例分析会{k}次",
]
MANAGEMENT = [
    "对制发公文逐件进行公开属性审查",
    "清理过期失效信息{n}条",
    "更新政府信息主动公开目录",
    "建立信息发布三级审核制度",
    "对历史文件开展合法性评估{k}批次",
    "规范政策文件库的分类和检索",
]
PLATFORM = [
    "优化{site}政府信息公开专栏",
    "整合政务新媒体账号{k}个",
    "在服务大厅设置政务公开查阅点{k}处",
    "升级网站智能搜索功能",
    "开通政策问答栏目",
    "完成网站适老化和无障碍改造",
]
OVERSIGHT = [
    "组织业务培训{k}次",
    "开展政务公开专项督查{k}次",
    "将政务公开纳入年度绩效考核",
    "聘请社会监督员{k}名",
    "每季度通报各单位公开情况",
]
PROBLEMS = [
    "部分栏目信息更新不够及时",
    "政策解读形式较为单一",
    "基层公开标准化建设进展不均衡",
    "依申请公开答复说理还不够充分",
    "公开内容与群众需求的契合度有待提高",
    "工作人员业务能力参差不齐",
    "政务新媒体互动回应不够及时",
    "重点领域信息公开深度不够",
    "历史文件清理进度偏慢",
    "办事指南要素不够完整",
    "数据开放的范围仍然较窄",
    "公开目录与实际发布内容衔接不紧",
]
MEASURES = [
    "建立栏目更新月度通报制度",
    "制作图解和短视频等多样化解读产品",
    "编制答复文书范本并开展案例评查",
    "每季度开展一次业务培训",
    "完善公众意见收集和反馈机制",
    "推进基层政务公开标准目录落地",
    "建立政务新媒体留言办理台账",
    "加强重点领域信息公开的督促检查",
    "分批完成历史文件的清理和标注",
    "对照标准逐项补齐办事指南要素",
    "扩大可开放数据的目录范围",
    "按月核对公开目录与发布内容",
]
FIELDS = {
    "教育局": "招生入学和学校收费",
    "民政局": "社会救助和养老服务",
    "财政局": "预决算和政府采购",
    "交通运输局": "道路建设和客运管理",
    "卫生健康局": "医疗服务和疾病防控",
    "生态环境局": "环境质量和执法监管",
    "市场监督管理局": "食品安全和市场准入",
    "农业农村局": "惠农补贴和农村改革",
    "水利局": "水利工程和防汛抗旱",
    "统计局": "统计数据发布和解读",
}


def md_to_html(markdown: str) -> str:
    """The example as a government web page would carry it: <p> lines and a real <table>."""
    out, table = ["<html><head><meta charset='utf-8'><title>年报</title></head><body><div class='nav'>首页</div>"], []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|(-+\|)+", line.strip()):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            out.append(
                "<table border='1'>"
                + "".join(
                    "<tr>" + "".join(f"<td>{html.escape(c) or '&nbsp;'}</td>" for c in row) + "</tr>" for row in table
                )
                + "</table>"
            )
            table = []
        if line.strip():
            out.append(f"<p>{html.escape(line.lstrip('# '))}</p>")
    return "\n".join(out + ["</body></html>"])


def _pick(rng: random.Random, bank: list[str], count: int, site: str) -> str:
    return "，".join(s.format(n=rng.randint(20, 900), k=rng.randint(2, 9), site=site) for s in rng.sample(bank, count))


def overview(rng: random.Random, agency: str, year: int, government: bool) -> str:
    site = rng.choice(["门户网站", "政府网站", "政务公开平台"])
    oversight = _pick(rng, OVERSIGHT, 2, site)
    if government:
        oversight += "；将政务公开纳入对各单位的年度考核，考核结果已通报，本年度开展社会评议1次，群众满意率为95%，未发生需要追究责任的情形"
    return "\n\n".join(
        [
            f"{year}年，{agency}{rng.choice(['认真贯彻落实《条例》', '坚持以公开为常态、不公开为例外', '围绕中心工作推进政务公开'])}，"
            f"{rng.choice(['扎实推进各项工作', '不断提升公开质量', '持续深化政务公开'])}。",
            f"（一）主动公开。{agency}{_pick(rng, ACTIVE, 3, site)}。",
            f"（二）依申请公开。全年共收到政府信息公开申请45件，上年结转3件，办结45件，结转下年度继续办理3件。"
            f"{agency}{_pick(rng, REQUESTS, 2, site)}。",
            f"（三）政府信息管理。{agency}{_pick(rng, MANAGEMENT, 2, site)}。",
            f"（四）政府信息公开平台建设。{agency}{_pick(rng, PLATFORM, 2, site)}。",
            f"（五）监督保障。{agency}{oversight}。",
        ]
    )


def problems(rng: random.Random, agency: str, year: int, before: str = "") -> str:
    """Three problems and three measures in this agency's own field, none of them last year's
    (a report that repeats last year's problems section is 雷同, which only the batch's marked
    defects should be)."""
    field = next((f for d, f in FIELDS.items() if agency.endswith(d)), "基层政务公开和便民服务")
    listed = rng.sample([p for p in PROBLEMS if p not in before], 3)
    done = rng.sample([m for m in MEASURES if m not in before], 3)
    return "\n\n".join(
        [
            f"（一）上年度问题的改进情况。{agency}对上年度报告所列{field}方面的问题逐项整改，已全部完成。",
            f"（二）存在的主要问题。{agency}在{field}方面的公开仍有不足：一是{listed[0]}；二是{listed[1]}；三是{listed[2]}；被行政复议纠正的答复已逐件复查。",
            f"（三）改进措施。{year + 1}年，{agency}将围绕{field}重点做好以下工作：一是{done[0]}；二是{done[1]}；三是{done[2]}。",
        ]
    )


def _replace_section(text: str, heading: str, next_heading: str, body: str) -> str:
    start = text.index(heading) + len(heading)
    end = text.index(next_heading)
    return text[:start] + "\n\n" + body + "\n\n" + text[end:]


def report(agency: str, place: str, year: int, rng: random.Random, texts: dict) -> str:
    """The clean 2021-format example as `agency`'s report for `year`: figures that carry over
    from year to year, and this agency's own wording."""
    text = TEMPLATE.replace("云溪县人民政府", agency).replace("云溪县", place)
    text = text.replace("2025年1月20日", "@PUBLISHED@").replace("2024", str(year))
    text = text.replace("@PUBLISHED@", f"{year + 1}年1月{rng.randint(8, 28)}日")
    # carried over = last year's carried forward, in every column (C403 holds along the chain)
    text = text.replace(f"{NEW} | | | 38 | 4 |", f"{NEW} | | | 37 | 5 |")
    text = text.replace(
        "| 二、上年结转政府信息公开申请数量 | | | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
        "| 二、上年结转政府信息公开申请数量 | | | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
    )
    # documents in force grow by issued − repealed each year (C404 holds along the chain)
    text = text.replace("| 行政规范性文件 | 6 | 2 | 41 |", f"| 行政规范性文件 | 6 | 2 | {41 + 4 * (year - 2024)} |")
    text = _replace_section(text, "## 一、总体情况", "## 二、主动公开政府信息情况", texts["一"])
    text = _replace_section(text, "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项", texts["五"])
    return text


DEFECTS = {
    "late": lambda t, y: re.sub(rf"{y + 1}年1月\d+日", f"{y + 1}年4月15日", t),
    "cell": lambda t, y: t.replace(
        "| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ),
    "section": lambda t, y: (
        t[: t.index("## 六、其他需要报告的事项")] + t[t.index("\n", t.index("本报告所列数据可能")) + 1 :]
    ),
    "carry": lambda t, y: t.replace(
        "| 二、上年结转政府信息公开申请数量 | | | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
        "| 二、上年结转政府信息公开申请数量 | | | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
    ).replace(f"{NEW} | | | 37 | 5 |", f"{NEW} | | | 38 | 4 |"),
}
EXPECTED = {
    "late": ["D601"],
    "cell": ["A303"],
    "section": ["S101"],
    "carry": ["C403"],
    "copied": ["N506"],
    "corrupt": ["E001"],
}


def write(text: str, path: Path, fmt: str) -> Path:
    path = path.with_suffix("." + fmt)
    if fmt == "md":
        path.write_text(text, encoding="utf-8")
    elif fmt == "txt":
        path.write_text(re.sub(r"^#+ ", "", text, flags=re.M), encoding="utf-8")
    elif fmt == "html":
        path.write_text(md_to_html(text), encoding="utf-8")
    else:
        write_docx(text, path)
    return path


def _places(count: int) -> list[str]:
    """County names: the list's own, then two-character names made from them (青白, 川河 …), as
    many as a batch of this size needs (a province has about a hundred counties)."""
    places = list(PLACES)
    for first in PLACES:
        for second in PLACES:
            if len(places) >= count:
                return places
            name = first[0] + second[1]
            if first != second and name not in places:
                places.append(name)
    return places


def _agencies(count: int) -> list[tuple[str, str]]:
    """(agency, county) for `count` agencies: each county's government, its departments and a
    town — counties added until there are enough."""
    per_county = 2 + len(DEPARTMENTS)
    places = _places(max(len(PLACES), -(-count // per_county)))
    return (
        [(f"{p}县人民政府", f"{p}县") for p in places]
        + [(f"{p}县{d}", f"{p}县") for p in places for d in DEPARTMENTS]
        + [(f"{p}县城关镇人民政府", f"{p}县") for p in places]
    )


def _write_job(job: tuple[str, str, str]) -> None:
    write(job[0], Path(job[1]), job[2])


def make(
    outdir: Path,
    agencies: int = 60,
    years: tuple[int, int] = (2021, 2025),
    seed: int = 7,
    defect_rate: float = 0.15,
    formats=("md", "html", "docx"),
    jobs: int = 1,
) -> list[dict]:
    """The reports' texts are made in order from one seeded generator (the batch is the same
    whatever `jobs` is); writing them — Word documents are most of the time — is spread over
    `jobs` processes."""
    rng = random.Random(seed)
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    pending: dict[str, tuple[str, str]] = {}  # path → (text, format), written at the end
    pool = _agencies(agencies)
    rng.shuffle(pool)
    copy_source = None
    for index, (agency, place) in enumerate(pool[:agencies]):
        government = agency.endswith("人民政府") and "镇" not in agency
        texts_by_year = {}
        for year in range(years[0], years[1] + 1):
            before = texts_by_year[year - 1]["五"] if year - 1 in texts_by_year else ""
            texts = {"一": overview(rng, agency, year, government), "五": problems(rng, agency, year, before)}
            defects = []
            if year > years[0] and rng.random() < defect_rate / 2:
                texts["一"] = texts_by_year[year - 1]["一"].replace(str(year - 1), str(year))  # last year's words
                defects.append("copied")
            texts_by_year[year] = texts
            text = report(agency, place, year, rng, texts)
            if rng.random() < defect_rate:
                kind = rng.choice(["late", "cell", "section"] + (["carry"] if year > years[0] else []))
                text = DEFECTS[kind](text, year)
                defects.append(kind)
            fmt = formats[(index + year) % len(formats)]
            path = (outdir / f"{index:03d}-{year}").with_suffix("." + fmt)
            pending[str(path)] = (text, fmt)
            manifest.append({"path": str(path), "agency": agency, "year": year, "defects": defects})
            if copy_source is None and year == years[1]:
                copy_source = (text, texts, agency, year)
    # one agency copies another's problems section in the last year (both are 雷同)
    if copy_source and agencies > 1:
        entry = next(
            e
            for e in reversed(manifest)
            if e["year"] == years[1] and e["agency"] != copy_source[2] and not e["defects"]
        )
        agency = entry["agency"]
        place = agency[: agency.index("县") + 1]
        texts = {
            "一": overview(rng, agency, years[1], agency.endswith("人民政府") and "镇" not in agency),
            "五": copy_source[1]["五"],
        }
        del pending[entry["path"]]
        entry["path"] = str(Path(entry["path"]).with_suffix(".md"))
        pending[entry["path"]] = (report(agency, place, years[1], rng, texts), "md")
        entry["defects"].append("copied")
        source = next(e for e in manifest if e["agency"] == copy_source[2] and e["year"] == years[1])
        source["defects"].append("copied")
    work = [(text, path, fmt) for path, (text, fmt) in pending.items()]
    if jobs > 1 and len(work) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as workers:
            for _ in workers.imap_unordered(_write_job, work, chunksize=16):
                pass
    else:
        for job in work:
            _write_job(job)
    corrupt = outdir / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(rng.getrandbits(8) for _ in range(2000)))
    manifest.append({"path": str(corrupt), "agency": None, "year": None, "defects": ["corrupt"]})
    (outdir / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--years", default="2021-2025")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes writing the files")
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    manifest = make(args.outdir, args.agencies, (first, last), args.seed, jobs=args.jobs)
    print(f"wrote {len(manifest)} reports to {args.outdir}")


if __name__ == "__main__":
    main()


def supervisor_batch(folder: Path) -> Path:
    """A county's spring audit as it arrives (issue 34): the examples rewritten as five agencies'
    reports — one that writes its short name where the roster has the full one, one whose title
    misspells its county by a look-alike (沐阳 for 沭阳), one of last year among this year's —
    and a roster with two agencies that published nothing, one of them created only next year.
    Returns the roster's path."""
    text = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)

    def agency(name: str, place: str, year: int = 2024) -> str:
        out = text.replace("云溪县人民政府", name).replace("云溪县", place)
        if year != 2024:
            out = out.replace("2025年1月20日", f"{year + 1}年1月20日").replace("2024年", f"{year}年")
        return out

    (folder / "hongze.md").write_text(agency("洪泽区人民政府", "洪泽区"), encoding="utf-8")
    (folder / "muyang.md").write_text(agency("沐阳县人民政府", "沐阳县"), encoding="utf-8")
    (folder / "yunxi.md").write_text(agency("云溪县人民政府", "云溪县"), encoding="utf-8")
    (folder / "yunxi-2023.md").write_text(agency("云溪县人民政府", "云溪县", 2023), encoding="utf-8")
    defective = (ROOT / "examples" / "defective-2021.md").read_text(encoding="utf-8")
    (folder / "lanshan.md").write_text(defective.replace("云溪县", "岚山县"), encoding="utf-8")
    roster = folder.parent / "roster.csv"
    roster.write_text(
        "agency,kind,parent,since\n"
        "淮安市洪泽区人民政府,government,,\n"
        "沭阳县人民政府,government,,\n"
        "云溪县人民政府,government,,\n"
        "岚山县人民政府,government,,\n"
        "云溪县教育局,department,云溪县人民政府,\n"
        "云溪县数据局,department,云溪县人民政府,2025\n",
        encoding="utf-8",
    )
    return roster


# 雷同 at scale --------------------------------------------------------------------------------

HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经之进着等部度家电力里如水化高自理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几区强放决西被干做必战先回则任取据处"
)
PHRASES = 4000


def _stock(rng: random.Random) -> tuple[list[str], list[float]]:
    phrases = ["".join(rng.choice(HAN) for _ in range(rng.randint(4, 9))) for _ in range(PHRASES)]
    weights = [1 / (rank + 1) for rank in range(PHRASES)]  # Zipf: a few phrases in every report
    return phrases, weights


def _section(rng: random.Random, stock, sentences: int) -> str:
    phrases, weights = stock
    out = []
    for _ in range(sentences):
        words = rng.choices(phrases, weights, k=rng.randint(2, 4))
        out.append("，".join(words) + f"{rng.randint(1, 300)}件。")
    return "".join(out)


def similar_batch(size: int, seed: int = 11, copy_share: float = 0.03, group_share: float = 0.005):
    """`size` one-year summaries with sections 一 and 五; returns (docs, planted) where planted is
    the set of (copy index, source index, ordinal) pairs. The sections are written from a shared
    stock of phrases drawn with a Zipf law, as real reports share their boilerplate and differ in
    the rest; a few percent copy a section of another agency's report with a sentence or two
    changed, and one text is handed to a group of agencies."""
    from checker.audit.summary import DocSummary

    rng = random.Random(seed)
    stock = _stock(rng)
    docs, planted = [], set()
    shared = _section(rng, stock, 14)  # the text handed to a group of agencies
    for i in range(size):
        agency = f"第{i}号机关"
        sections = {"一": _section(rng, stock, rng.randint(10, 18)), "五": _section(rng, stock, rng.randint(8, 14))}
        roll = rng.random()
        if roll < group_share:
            sections["五"] = shared
            planted.add((i, None, "五"))
        elif roll < group_share + copy_share and i > 10:
            source = rng.randrange(i)
            ordinal = rng.choice(("一", "五"))
            sentences = docs[source].sections[ordinal].split("。")
            for _ in range(2):  # a sentence or two of its own
                sentences[rng.randrange(len(sentences))] = _section(rng, stock, 1).rstrip("。")
            sections[ordinal] = "。".join(sentences)
            planted.add((i, source, ordinal))
        docs.append(DocSummary(f"doc{i}.md", agency, agency, "department", 2025, "format-2021", sections=sections))
    return docs, planted

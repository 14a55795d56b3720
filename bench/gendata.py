"""Synthetic report data in diglot's data format, for benchmarks and tests (any size)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

SURNAMES = ["Chen", "Wang", "Li", "Zhang", "Liu", "Smith", "Garcia", "Müller", "Tanaka", "Kim",
            "Nguyen", "Brown", "Rossi", "Novak", "Singh", "Okafor", "Silva", "Haddad"]
GIVEN = ["Wei", "Yan", "Tim", "Maria", "Jonas", "Aiko", "Min-jun", "Linh", "Grace", "Luca",
         "Petra", "Arjun", "Chidi", "Ana", "Omar", "Yufei", "Bill", "Eric"]
NATIVE = ["陈伟", "王燕", "李明", "张华", "刘洋", "赵敏", "周杰", "吴婷"]
INSTITUTIONS = ["北京大学", "清华大学", "麻省理工学院（MIT）", "斯坦福大学",
                "卡内基梅隆大学（CMU）",
                "伯克利人工智能研究实验室（BAIR）", "浙江大学", "多伦多大学", "苏黎世联邦理工学院"]
FIELDS = ["计算机科学", "物理学", "电子工程（EE）", "应用数学", "高性能计算（HPC）", "设计学"]
# Synthetic people only: no real person is named as anyone's advisor.
ADVISORS = ["Maria Rossi", "Jonas Novak", "Aiko Tanaka", "Omar Haddad", "Petra Silva"]
ORGS = ["OpenAI", "Google", "NVIDIA", "Meta", "Microsoft", "Adobe", "字节跳动", "阿里巴巴达摩院",
        "腾讯 AI Lab", "DeepMind"]
ROLES = ["实习", "研究员", "工程师", "技术负责人", "博士后研究员", "系统负责人"]
WORKS = ["InstructPix2Pix", "Barlow Twins", "DeepSpeed", "Diffusion Transformers", "WebGPT",
         "Scalable Video Generation", "Neural Radiance Fields at Scale",
         "Sparse Attention Revisited"]
VENUES = ["CVPR", "NeurIPS", "ICML", "ICLR", "ECCV", "SIGGRAPH", None]
NOTES = ["共四年", "博士期间", "主要从事大规模训练与推理优化", "参与 DALL·E 3 和 Sora 的工作",
         "生成模型（GAN）相关的研究", "明星工作，利用 **合成数据** 自动生成训练数据",
         "可视化平台", "与导师合作，最有影响力的工作"]
HONORS = ["两篇 CVPR oral", "IPhO 金牌", "国家自然科学基金青年项目", "最佳论文提名",
          "所有的工作不是 Oral 就是 Spotlight"]
HEADLINES = ["{inst}博士，专注生成模型与视频生成", "系统出身，主攻大规模训练与推理优化",
             "典型的工程师，主要技能是 JS 和 Python",
             "{org} 研究员，做了非常多 diffusion 相关的工作"]
COMMENTARY = [
    "从博士年限上来看, 应该是读了硕士的, 但是硕士学历并没有写在领英中, 看起来应该是gap了。",
    "在{year}年就有两篇CVPR oral, 主要从事图像相关处理(超分辨率, 在{org}), 以及生成模型的工作。",
    "这篇文章最大的亮点在于利用GPT3自动生成训练数据, 这样的思想在当时是*非常领先*的。",
    "系统优化对于训练模型, 特别是节省成本起到非常重要的作用, 但它决定的是成本和时间。",
    "我觉得他的物理功底和数学功底都是十分深厚的, 在{org}的工作也获得了比较大的影响力。",
    "Overall his career shows **persistence**: every internship produced a paper of its own.",
    "其实合成数据这个话题一直在被使用, 但是真正将其用在图像视频生成领域"
    "并把一个东西调work, 都是不容易的。",
]
LINK_KINDS = ["google_scholar", "homepage", "github", "linkedin", "twitter", "thesis"]


def _month(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.4 else str(year)


def _person(rng: random.Random, index: int) -> dict[str, Any]:
    given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
    person: dict[str, Any] = {"id": f"person-{index:05d}", "name": f"{given} {surname}"}
    if rng.random() < 0.2:
        person["native_name"] = rng.choice(NATIVE)
    org, inst = rng.choice(ORGS), rng.choice(INSTITUTIONS)
    person["headline"] = rng.choice(HEADLINES).format(inst=inst, org=org)
    if rng.random() < 0.5:
        person["born"] = {"year": rng.randint(1975, 2000), "estimated": rng.random() < 0.7}
    links = []
    for kind in rng.sample(LINK_KINDS, rng.randint(0, 4)):
        link: dict[str, Any] = {"kind": kind}
        if rng.random() < 0.6:
            link["url"] = f"https://example.org/{person['id']}/{kind}"
        links.append(link)
    if links:
        person["links"] = links
    education = []
    year = rng.randint(2005, 2016)
    for degree in rng.sample(["bachelor", "master", "phd"], rng.randint(0, 3)):
        entry: dict[str, Any] = {"degree": degree, "institution": rng.choice(INSTITUTIONS)}
        if rng.random() < 0.5:
            entry["field"] = rng.choice(FIELDS)
        if degree == "phd" and rng.random() < 0.5:
            entry["advisor"] = rng.choice(ADVISORS)
        if rng.random() < 0.7:
            length = rng.randint(2, 5)
            entry["start"], entry["end"] = _month(rng, year), _month(rng, year + length)
            year += length
        if rng.random() < 0.3:
            entry["note"] = rng.choice(NOTES)
        education.append(entry)
    if education:
        person["education"] = education
    experience = []
    for _ in range(rng.randint(0, 4)):
        job: dict[str, Any] = {"organization": rng.choice(ORGS)}
        if rng.random() < 0.6:
            job["role"] = rng.choice(ROLES)
        if rng.random() < 0.4:
            job["start"] = str(rng.randint(2012, 2022))
        if rng.random() < 0.6:
            job["note"] = rng.choice(NOTES)
        experience.append(job)
    if experience:
        person["experience"] = experience
    works = []
    for title in rng.sample(WORKS, rng.randint(0, 3)):
        work: dict[str, Any] = {"title": title}
        venue = rng.choice(VENUES)
        if venue:
            work["venue"], work["year"] = venue, rng.randint(2015, 2024)
        if rng.random() < 0.5:
            work["note"] = rng.choice(NOTES)
        works.append(work)
    if works:
        person["works"] = works
    if rng.random() < 0.4:
        person["honors"] = rng.sample(HONORS, rng.randint(1, 2))
    if rng.random() < 0.3:
        person["metrics"] = {"citations": rng.randint(10, 60000), "papers": rng.randint(1, 80)}
    person["commentary"] = [
        rng.choice(COMMENTARY).format(year=rng.randint(2015, 2023), org=org)
        for _ in range(rng.randint(1, 5))]
    return person


def generate(people: int, seed: int = 0) -> dict[str, Any]:
    """A report with `people` people, the same for the same seed."""
    rng = random.Random(seed)
    return {
        "report": {
            "id": "generated",
            "source_locale": "zh_CN",
            "title": f"{people} 位作者的报告",
            "subtitle": "从求学与工作经历看有什么启发",
            "author": "diglot bench",
            "date": "2024-02",
            "preface": [rng.choice(COMMENTARY).format(year=2020, org="OpenAI") for _ in range(3)],
            "conclusion": {
                "intro": "我们可以学习到的经验是:",
                "points": ["超前的认知, 注重scalable", "极强的工程能力", "好的数学功底和科研经验"],
                "closing": "希望这篇报告与诸君共勉, 共同努力和进步。",
            },
        },
        "people": [_person(rng, i + 1) for i in range(people)],
    }


def dump(data: dict[str, Any]) -> str:
    """The data as YAML text."""
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def write(path: Path, people: int, seed: int = 0) -> Path:
    """Write a generated data file with `people` people to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(generate(people, seed)), encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):  # an option, not a file to write
        sys.exit("usage: python bench/gendata.py [TARGET.yaml [PEOPLE]]  (default: "
                 "bench/out/generated.yaml, 1000)")
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/generated.yaml")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(write(target, count, 0))

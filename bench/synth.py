"""SYNTHETIC workloads for the scale benchmarks: N made-up regions, each with a plan of 60 indicators, five years of
bulletins (2021-2025), a department submission and a published-figures file, plus the catalog that describes them.

    uv run python bench/synth.py --regions 100 --out bench/out/scale-100     # an installation to point planwatch at
    uv run python bench/synth.py --regions 5 --verify                        # check that the real readers read it

Everything here is invented: every file says 合成测试数据 (synthetic test data), region codes start with 9 (no real
division code does), slugs are `synth-0001`…, source URLs are on `synthetic.invalid`. Nothing is written to the
real inbox/, catalog/ or warehouse/: an installation is a folder with its own inbox/, catalog/ and warehouse/, used
through PLANWATCH_INBOX, PLANWATCH_CATALOG and PLANWATCH_WAREHOUSE (planwatch_core/settings.py).

What each region gets (real formats, read by the real readers):
- plans/<slug>.txt: an outline titled 《<region>国民经济和社会发展第十四个五年规划…纲要》 with a review paragraph
  (a 2020 result), a 专栏 table in the outline format (header 序号/指标名称（单位）/2020年/2025年/属性, section rows
  一…五, tab-prefixed cells, blank lines between rows) of 58 numbered rows + 2 '#' sub-rows = 60 indicators of every
  kind: final_year ge/le/lt/gt/approx, average △, cumulative 【】 sum and compound, qualitative 达标, structure
  a:b:c, '－' baselines, a constant-price chained series and two ratios; then two narrative targets.
- bulletins/<slug>_<year>.txt for 2021-2025 in the wording of a district bulletin (the style of
  tests/bulletins/fixtures/qj2023_annual.txt): ~30 figures the alias table maps (gdp_growth, urbanization_rate, …).
- submissions/<slug>.csv: the department template (地区代码(region_code), 指标编号(indicator_id) …) for the 29
  indicators whose actual is submitted, 2021-2025.
- published/<slug>.csv: the industry structure a:b:c per year (the one actual that is text).
The real Qianjiang outline and published figures are part of every installation too: the dbt test of the 13th
plan's verdicts and the check "both plans present" need qianjiang-13th.

The catalog folder holds regions.yaml (Qianjiang + the N regions), indicators.yaml (the real entries + 60 per
region, validated by the real loader) and a copy of every other file of the real catalog (themes, metric aliases,
figure names, peer groups, plausible ranges, …).

Files are generated once into a corpus folder and linked into each installation, so N = 100 and N = 3,000 share them.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
GENERATOR_VERSION = "5"  # bump when the generated files change: cached corpora are then regenerated
YEARS = range(2021, 2026)
BASE_YEAR, TARGET_YEAR = 2020, 2025
LABEL = "合成测试数据"  # every generated file carries it
URL = "https://synthetic.invalid/planwatch-bench"

# Two characters from this list + 区 name a region: 109² = 11,881 names, all three characters long (no name contains
# another), none with a character the readers give a meaning (区/县/市/镇/乡/城, numerals, units, verbs); the
# characters added for N = 10,000 occur nowhere in the catalog, the readers or the bulletin texts.
NAME_CHARS = (
    "松柏梅竹兰菊桃李杏梨枫桂荷莲槐柳杉桐樟榆云霞霜雪露虹星辰琴棋书画诗词歌赋龙凤麟鹤鹿燕鹰雁银铜玉珠丹碧紫黛岚峦芷蘅蕙"
    "榕桦楠椿梓楸柚橘橙柑苇萍芸茉蔷薇葵菱蓉芙琼瑾瑜璋珊瑚琥珀翡翠曦旭皓澜鸥鹭鸳鸯莺鹂蝶藤蕨苔杜鹃桔梧芍薰茜菖"
)
MAX_REGIONS = len(NAME_CHARS) ** 2


@dataclass(frozen=True)
class Region:
    index: int  # 1-based

    @property
    def slug(self) -> str:
        return f"synth-{self.index:04d}"

    @property
    def code(self) -> str:
        return f"9{self.index:05d}"

    @property
    def name_zh(self) -> str:
        i = self.index - 1
        return NAME_CHARS[i // len(NAME_CHARS)] + NAME_CHARS[i % len(NAME_CHARS)] + "区"

    @property
    def plan_id(self) -> str:
        return f"{self.slug}-14th"


# --- the region's made-up economy, year by year --------------------------------------------------------------


def _grow(rng: random.Random, low: float, high: float, bad: float = 0.08) -> float:
    """A growth rate in %, now and then negative."""
    return round(-rng.uniform(0.5, 3) if rng.random() < bad else rng.uniform(low, high), 1)


def world(seed: int, region: Region) -> dict[int, dict[str, float]]:
    """Every figure the region's bulletins state, for 2020 (the plan's base year) to 2025."""
    rng = random.Random(f"{seed}:{region.index}:world")
    size = rng.uniform(0.4, 3.0)
    pop = round(48 * size**0.7, 2)
    w = {
        "gdp": round(250 * size, 2),
        "share1": rng.uniform(0.08, 0.16),
        "share2": rng.uniform(0.30, 0.42),
        "private_share": rng.uniform(0.42, 0.58),
        "population_resident": pop,
        "population_registered": round(pop * rng.uniform(1.05, 1.2), 2),
        "urbanization_rate": round(rng.uniform(42, 62), 2),
        "grain_area": round(40 * size**0.5, 1),
        "grain_output": round(18 * size**0.5, 2),
        "industrial_output": round(250 * size * rng.uniform(0.5, 0.8), 1),
        "retail_sales": round(250 * size * rng.uniform(0.35, 0.5), 2),
        "imports_exports": round(rng.uniform(1, 12) * size, 2),
        "public_budget_revenue": round(250 * size * rng.uniform(0.06, 0.1), 2),
        "disposable_income": rng.randint(22000, 32000),
        "urban_ratio": rng.uniform(2.0, 2.6),
        "invention_patents_per_10k": round(rng.uniform(1.5, 4), 2),
        "doctors_per_1000": rng.uniform(2.2, 3.0),
        "beds_per_1000": rng.uniform(6, 8),
        "tourist_visits": round(rng.uniform(800, 2500) * size**0.5, 1),
        "tourism_revenue": round(rng.uniform(40, 140) * size**0.5, 1),
        "air_quality_good_days": rng.randint(340, 362),
        "forest_coverage": round(rng.uniform(55, 68), 1),
        "new_urban_jobs": rng.randint(5000, 9000),
        "urban_surveyed_unemployment_rate": round(rng.uniform(5.0, 6.0), 1),
        "urban_registered_unemployment_rate": round(rng.uniform(3.0, 4.2), 1),
        "fdi_wan_usd": rng.randint(800, 6000),
    }
    years: dict[int, dict[str, float]] = {}
    for year in range(BASE_YEAR, TARGET_YEAR + 1):
        if year > BASE_YEAR:
            g = _grow(rng, 3.0, 8.5)
            w["gdp_growth"] = g
            w["gdp"] = round(w["gdp"] * (1 + (g + rng.uniform(0.5, 2.5)) / 100), 2)  # nominal = real + prices
            w["share1"] = max(0.04, w["share1"] - rng.uniform(0, 0.006))
            w["share2"] = w["share2"] + rng.uniform(-0.006, 0.006)
            w["population_resident"] = round(w["population_resident"] * (1 + rng.uniform(-0.006, 0.004)), 2)
            w["population_registered"] = round(w["population_registered"] * (1 + rng.uniform(-0.006, 0.002)), 2)
            w["urbanization_rate"] = round(min(85.0, w["urbanization_rate"] + rng.uniform(0.2, 1.3)), 2)
            w["grain_output"] = round(w["grain_output"] * (1 + _grow(rng, -2, 3, 0.2) / 100), 2)
            for key, low, high in (
                ("industrial_output", 3, 12),
                ("retail_sales", 2, 10),
                ("imports_exports", 5, 25),
                ("public_budget_revenue", 1, 10),
                ("tourist_visits", 3, 20),
                ("tourism_revenue", 3, 22),
            ):
                w[f"{key}_growth"] = _grow(rng, low, high, 0.12)
                decimals = 1 if key in ("industrial_output", "tourist_visits", "tourism_revenue") else 2
                w[key] = round(w[key] * (1 + w[f"{key}_growth"] / 100), decimals)
            w["disposable_income_growth"] = _grow(rng, 4, 9, 0.03)
            w["disposable_income"] = round(w["disposable_income"] * (1 + w["disposable_income_growth"] / 100))
            w["invention_patents_per_10k"] = round(w["invention_patents_per_10k"] + rng.uniform(-0.05, 0.35), 2)
            w["doctors_per_1000"] += rng.uniform(-0.02, 0.12)
            w["beds_per_1000"] += rng.uniform(-0.05, 0.2)
            w["air_quality_good_days"] = min(366, max(300, w["air_quality_good_days"] + rng.randint(-8, 8)))
            w["forest_coverage"] = round(min(80.0, w["forest_coverage"] + rng.uniform(-0.1, 0.6)), 1)
            w["new_urban_jobs"] = rng.randint(5000, 9000)
            w["urban_surveyed_unemployment_rate"] = round(
                min(7.5, max(3.5, w["urban_surveyed_unemployment_rate"] + rng.uniform(-0.4, 0.3))), 1
            )
            w["urban_registered_unemployment_rate"] = round(
                min(5.5, max(2.0, w["urban_registered_unemployment_rate"] + rng.uniform(-0.3, 0.3))), 1
            )
            w["fdi_wan_usd"] = rng.randint(300, 7000)
            w["industrial_va_growth"] = _grow(rng, 3, 12, 0.1)
            w["fixed_asset_investment_growth"] = _grow(rng, -2, 12, 0.15)
        else:
            w["gdp_growth"] = _grow(rng, 2, 5, 0.0)
            w["industrial_va_growth"] = _grow(rng, 2, 8, 0.0)
            w["fixed_asset_investment_growth"] = _grow(rng, 0, 8, 0.0)
            w["disposable_income_growth"] = _grow(rng, 5, 8, 0.0)
        row = dict(w)
        va1 = round(w["gdp"] * w["share1"], 2)
        va2 = round(w["gdp"] * w["share2"], 2)
        row.update(va_primary=va1, va_secondary=va2, va_tertiary=round(w["gdp"] - va1 - va2, 2))
        row["structure"] = ":".join(f"{100 * v / w['gdp']:.1f}" for v in (va1, va2, row["va_tertiary"]))
        row["private_va"] = round(w["gdp"] * w["private_share"], 2)
        row["gdp_per_capita"] = round(w["gdp"] * 1e4 / w["population_resident"])
        row["urban_disposable_income"] = round(
            w["disposable_income"] * w["urban_ratio"] / (1 + (w["urban_ratio"] - 1) * 0.55)
        )
        row["rural_disposable_income"] = round(row["urban_disposable_income"] / w["urban_ratio"])
        row["licensed_doctors"] = round(w["doctors_per_1000"] * w["population_resident"] * 10)
        row["hospital_beds"] = round(w["beds_per_1000"] * w["population_resident"] * 10)
        years[year] = row
    for year in YEARS:  # growth of levels derived above, from the rounded levels (as a bulletin would state them)
        now, before = years[year], years[year - 1]
        for key in (
            "va_primary",
            "va_secondary",
            "va_tertiary",
            "private_va",
            "gdp_per_capita",
            "urban_disposable_income",
            "rural_disposable_income",
        ):
            real = (now[key] / before[key] - 1) * 100 - (now["gdp"] / before["gdp"] - 1) * 100 + now["gdp_growth"]
            now[f"{key}_growth"] = round(real if "income" not in key else (now[key] / before[key] - 1) * 100, 1)
    return years


# --- the 60 indicators ----------------------------------------------------------------------------------------

Texts = Callable[[random.Random, dict[int, dict[str, float]]], tuple[str, str]]


@dataclass(frozen=True)
class Indicator:
    seq: int | None  # None for a '#' sub-row (it belongs to the numbered row above)
    name_zh: str
    unit: str | None
    section: int  # 0 = rows before section 一
    binding: bool
    theme: str
    direction: int
    path: str | None
    aggregation: str
    accumulation: str | None
    price_basis: str | None
    actual: dict
    plausible: tuple[float, float] | None
    texts: Texts  # (baseline_text, target_text) of one region
    submit: Callable[[random.Random, str, str, int], str] | None = None  # a submitted yearly value
    structure_component: int | None = None
    name_en: str = ""

    @property
    def name_cell(self) -> str:
        return self.name_zh + (f"（{self.unit}）" if self.unit else "")


def f1(x: float) -> str:
    return f"{x:.1f}"


def f2(x: float) -> str:
    return f"{x:.2f}"


def level(
    key: str, low: float, high: float, fmt: Callable[[float], str] = f1, suffix: str = "", prefix: str = ""
) -> Texts:
    """Baseline = the 2020 figure; target = baseline × (1 + a yearly rate in [low, high])^5, some notation."""

    def texts(rng: random.Random, w: dict[int, dict[str, float]]) -> tuple[str, str]:
        base = w[BASE_YEAR][key]
        return fmt(base), f"{prefix}{fmt(base * (1 + rng.uniform(low, high)) ** 5)}{suffix}"

    return texts


def rate(key: str, low: float, high: float, suffix: str = "", prefix: str = "", fmt: Callable = f1) -> Texts:
    """Baseline = the 2020 figure; target = baseline + a change in [low, high]."""

    def texts(rng: random.Random, w: dict[int, dict[str, float]]) -> tuple[str, str]:
        base = w[BASE_YEAR][key]
        return fmt(base), f"{prefix}{fmt(base + rng.uniform(low, high))}{suffix}"

    return texts


def fixed(baseline: str | Callable[[random.Random], str], target: str | Callable[[random.Random], str]) -> Texts:
    def texts(rng: random.Random, w: dict[int, dict[str, float]]) -> tuple[str, str]:
        b = baseline(rng) if callable(baseline) else baseline
        return b, target(rng) if callable(target) else target

    return texts


def _number(text: str) -> float | None:
    m = re.search(r"\d+(?:\.\d+)?", text)
    return float(m.group(0)) if m else None


def path_value(decimals: int, low: float, high: float) -> Callable[[random.Random, str, str, int], str]:
    """A submitted level on the way from baseline to target at a pace of the region's own, clamped."""

    def value(rng: random.Random, baseline: str, target: str, year: int) -> str:
        b, t = _number(baseline), _number(target)
        if b is None:
            b = t * 0.9
        pace = rng.uniform(0.2, 1.4)
        v = b + (t - b) * (year - BASE_YEAR) / 5 * pace + (t - b) * rng.uniform(-0.05, 0.05)
        return f"{min(high, max(low, v)):.{decimals}f}"

    return value


def flow_value(decimals: int, high: float) -> Callable[[random.Random, str, str, int], str]:
    """A yearly flow for a 【】 sum target (1/5 of the target at a pace of the region's own)."""

    def value(rng: random.Random, baseline: str, target: str, year: int) -> str:
        return f"{min(high, max(0.0, _number(target) / 5 * rng.uniform(0.3, 1.5))):.{decimals}f}"

    return value


def reduction_value(rng: random.Random, baseline: str, target: str, year: int) -> str:
    """A yearly % reduction for a compound 【】 target."""
    per_year = (1 - (1 - _number(target) / 100) ** 0.2) * 100
    return f"{per_year * rng.uniform(0.4, 1.4):.2f}"


def verdict_value(rng: random.Random, baseline: str, target: str, year: int) -> str:
    return "达标" if rng.random() < 0.85 else "未达标"


def _structure_texts(rng: random.Random, w: dict[int, dict[str, float]]) -> tuple[str, str]:
    a, b, c = (float(x) for x in w[BASE_YEAR]["structure"].split(":"))
    shift = rng.uniform(1.5, 5)
    return w[BASE_YEAR]["structure"], f"{a - shift / 2:.1f}:{b - shift / 2:.1f}:{c + shift:.1f}"


# 人均GDP at constant 2020 prices: baseline × Π(1 + real growth), cross-checked at current prices (万元 = 元 × 0.0001)
CHAINED_PER_CAPITA = {
    "kind": "chain_growth",
    "metric": "gdp_per_capita_growth",
    "cross_check": {"kind": "metric", "metric": "gdp_per_capita", "scale": 0.0001},
}


def _per_capita_texts(rng: random.Random, w: dict[int, dict[str, float]]) -> tuple[str, str]:
    base = w[BASE_YEAR]["gdp_per_capita"] / 1e4
    return f1(base), f1(base * (1 + rng.uniform(0.04, 0.08)) ** 5)


def _indicators() -> list[Indicator]:
    M = lambda key: {"kind": "metric", "metric": key}  # noqa: E731
    S = {"kind": "submission"}
    P = (0.0, 100.0)
    ind = Indicator
    # fmt: off
    return [
        # rows before section 一 belong to 高质量发展
        ind(1, '地区生产总值年均增速', '%', 0, False, 'hqd', 1, 'linear', 'average', None, '可比价', M('gdp_growth'),
            (-20, 30), fixed(lambda r: f1(r.uniform(2, 5)), lambda r: f'{r.uniform(5.5, 7.5):.1f}△')),
        ind(2, '人均地区生产总值', '万元，2020年价', 0, False, 'hqd', 1, 'geometric', 'final_year', None, '2020年价',
            CHAINED_PER_CAPITA, (0.5, 100), _per_capita_texts),
        ind(3, '地区生产总值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价', M('gdp'),
            (0, 100000), level('gdp', 0.06, 0.1, f1)),
        ind(4, '第一产业增加值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价', M('va_primary'),
            (0, 10000), level('va_primary', 0.02, 0.05)),
        ind(5, '第二产业增加值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('va_secondary'), (0, 50000), level('va_secondary', 0.05, 0.1)),
        ind(6, '第三产业增加值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('va_tertiary'), (0, 50000), level('va_tertiary', 0.06, 0.11)),
        ind(7, '民营经济增加值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价', M('private_va'),
            (0, 50000), level('private_va', 0.06, 0.1)),
        ind(8, '三次产业结构', '%', 1, False, 'hqd', 1, None, 'final_year', None, '现价', M('industry_structure'),
            None, _structure_texts, structure_component=3),
        ind(9, '规模以上工业总产值', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('industrial_output_above_scale'), (0, 100000), level('industrial_output', 0.05, 0.1, suffix='左右')),
        ind(10, '规模以上工业增加值年均增速', '%', 1, False, 'hqd', 1, 'linear', 'average', None, '可比价',
            M('industrial_va_above_scale_growth'), (-30, 50),
            fixed(lambda r: f1(r.uniform(2, 8)), lambda r: f'{r.randint(6, 10)}△')),
        ind(11, '固定资产投资年均增速', '%', 1, False, 'hqd', 1, 'linear', 'average', None, '现价',
            M('fixed_asset_investment_growth'), (-50, 80),
            fixed(lambda r: f1(r.uniform(0, 8)), lambda r: f'{r.randint(4, 8)}△')),
        ind(12, '社会消费品零售总额', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('retail_sales'), (0, 50000), level('retail_sales', 0.05, 0.09)),
        ind(13, '一般公共预算收入', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('public_budget_revenue'), (0, 5000), level('public_budget_revenue', 0.04, 0.08, suffix='以上')),
        ind(14, '研发经费投入强度', '%', 1, True, 'hqd', 1, 'linear', 'final_year', None, '现价', S, (0, 10),
            fixed(lambda r: f1(r.uniform(0.4, 1.5)), lambda r: f1(r.uniform(1.8, 2.5))), path_value(2, 0, 10)),
        ind(15, '每万人发明专利拥有量', '件', 1, False, 'hqd', 1, 'linear', 'final_year', None, None,
            M('invention_patents_per_10k'), (0, 100), rate('invention_patents_per_10k', 0.5, 2.0)),
        ind(16, '常住人口城镇化率', '%', 1, False, 'hqd', 1, 'linear', 'final_year', None, None,
            M('urbanization_rate'), P, rate('urbanization_rate', 3, 7)),
        ind(17, '新增上市公司数量', '家', 1, False, 'hqd', 1, 'linear', 'cumulative', 'sum', None, S, (0, 50),
            fixed('－', lambda r: f'{r.randint(2, 5)}以上'), flow_value(0, 50)),
        ind(18, '新培育规模以上企业数量', '家', 1, False, 'hqd', 1, 'linear', 'cumulative', 'sum', None, S, (0, 2000),
            fixed(lambda r: f'【{r.randint(150, 300)}】', lambda r: f'【{r.randint(300, 500)}】'),
            flow_value(0, 2000)),
        ind(19, '旅游综合收入', '亿元', 1, False, 'hqd', 1, 'geometric', 'final_year', None, '现价',
            M('tourism_revenue'), (0, 10000), level('tourism_revenue', 0.08, 0.15)),
        ind(20, '接待游客人次', '万人次', 1, False, 'hqd', 1, 'geometric', 'final_year', None, None,
            M('tourist_visits'), (0, 100000), level('tourist_visits', 0.06, 0.14)),
        ind(21, '数字经济增加值占地区生产总值比重', '%', 1, False, 'hqd', 1, 'linear', 'final_year', None, '现价', S,
            P, fixed(lambda r: f1(r.uniform(10, 20)), lambda r: f1(r.uniform(22, 30))), path_value(1, 0, 100)),
        ind(22, '全员劳动生产率', '万元/人，2020年价', 1, False, 'hqd', 1, 'geometric', 'final_year', None,
            '2020年价', S, (1, 100), fixed(lambda r: f1(r.uniform(7, 11)), lambda r: f1(r.uniform(11.5, 14))),
            path_value(1, 1, 100)),
        # 二、高品质生活
        ind(23, '居民人均可支配收入年均增速', '%', 2, False, 'hql', 1, 'linear', 'average', None, '可比价',
            M('disposable_income_growth'), (-10, 30),
            fixed(lambda r: f1(r.uniform(5, 8)), lambda r: f'{r.uniform(6, 8):.1f}△')),
        ind(24, '城镇居民人均可支配收入年均增速', '%', 2, False, 'hql', 1, 'linear', 'average', None, '可比价',
            M('urban_disposable_income_growth'), (-10, 30),
            fixed(lambda r: f1(r.uniform(4, 7)), lambda r: f'{r.uniform(5.5, 7.5):.1f}△')),
        ind(25, '农村居民人均可支配收入年均增速', '%', 2, False, 'hql', 1, 'linear', 'average', None, '可比价',
            M('rural_disposable_income_growth'), (-10, 30),
            fixed(lambda r: f1(r.uniform(6, 9)), lambda r: f'{r.uniform(7, 9):.1f}△')),
        ind(26, '全体居民人均可支配收入', '元', 2, False, 'hql', 1, 'geometric', 'final_year', None, '现价',
            M('disposable_income'), (0, 200000), level('disposable_income', 0.05, 0.09, lambda x: f'{x:.0f}')),
        ind(27, '城镇常住居民人均可支配收入', '元', 2, False, 'hql', 1, 'geometric', 'final_year', None, '现价',
            M('urban_disposable_income'), (0, 200000),
            level('urban_disposable_income', 0.04, 0.08, lambda x: f'{x:.0f}')),
        ind(28, '农村常住居民人均可支配收入', '元', 2, False, 'hql', 1, 'geometric', 'final_year', None, '现价',
            M('rural_disposable_income'), (0, 200000),
            level('rural_disposable_income', 0.06, 0.1, lambda x: f'{x:.0f}')),
        ind(29, '城镇新增就业人数', '万人', 2, False, 'hql', 1, 'linear', 'cumulative', 'sum', None,
            M('new_urban_jobs'), (0, 100),
            fixed(lambda r: f'【{r.uniform(2.5, 4):.1f}】', lambda r: f'【{r.uniform(3, 4.2):.1f}】')),
        ind(30, '城镇调查失业率', '%', 2, True, 'hql', -1, 'linear', 'final_year', None, None,
            M('urban_surveyed_unemployment_rate'), (0, 30),
            rate('urban_surveyed_unemployment_rate', -0.6, -0.2, prefix='<')),
        ind(31, '城镇登记失业率', '%', 2, False, 'hql', -1, 'linear', 'final_year', None, None,
            M('urban_registered_unemployment_rate'), (0, 30), fixed(lambda r: f1(r.uniform(3, 4.2)), '≤4.5')),
        ind(32, '劳动年龄人口平均受教育年限', '年', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S,
            (5, 18), fixed(lambda r: f1(r.uniform(10.5, 11.5)), lambda r: f1(r.uniform(11.6, 12.2))),
            path_value(2, 5, 18)),
        ind(33, '平均预期寿命', '岁', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S, (60, 90),
            fixed(lambda r: f1(r.uniform(75, 78)), lambda r: f1(r.uniform(78, 79))), path_value(2, 60, 90)),
        ind(34, '每千人口拥有3岁以下婴幼儿托位数', '个', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S,
            (0, 20), fixed(lambda r: f1(r.uniform(0.3, 1.5)), lambda r: f1(r.uniform(2.5, 4.5))),
            path_value(2, 0, 20)),
        ind(35, '每千人口拥有执业（助理）医师数', '人', 2, False, 'hql', 1, 'linear', 'final_year', None, None,
            {'kind': 'ratio', 'numerator': 'licensed_doctors', 'denominator': 'population_resident', 'scale': 0.1},
            (0, 20), rate('doctors_per_1000', 0.3, 0.8)),
        ind(36, '每千人口医疗卫生机构床位数', '张', 2, False, 'hql', 1, 'linear', 'final_year', None, None,
            {'kind': 'ratio', 'numerator': 'hospital_beds', 'denominator': 'population_resident', 'scale': 0.1},
            (0, 30), rate('beds_per_1000', 0.4, 1.2)),
        ind(37, '基本养老保险参保率', '%', 2, True, 'hql', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(90, 95)), '95以上'), path_value(1, 80, 100)),
        ind(38, '学前教育毛入园率', '%', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(85, 92)), '≥90'), path_value(1, 60, 100)),
        ind(39, '高中阶段教育毛入学率', '%', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(88, 94)), lambda r: f1(r.uniform(95, 97))), path_value(1, 60, 100)),
        ind(40, '人均体育场地面积', '平方米', 2, False, 'hql', 1, 'linear', 'final_year', None, None, S, (0, 20),
            fixed(lambda r: f2(r.uniform(1.5, 2.2)), lambda r: f2(r.uniform(2.4, 2.8))), path_value(2, 0, 20)),
        # 三、开放
        ind(41, '进出口总额', '亿元', 3, False, 'open', 1, 'geometric', 'final_year', None, '现价',
            M('imports_exports'), (0, 100000), level('imports_exports', 0.08, 0.2, prefix='超过')),
        ind(42, '实际利用外资', '亿美元', 3, False, 'open', 1, 'linear', 'cumulative', 'sum', '现价', M('fdi_actual'),
            (0, 100), fixed('－', lambda r: f'【{r.randint(1, 3)}】')),
        ind(43, '开通航线数量', '条', 3, False, 'open', 1, 'linear', 'final_year', None, None, S, (0, 300),
            fixed(lambda r: str(r.randint(5, 15)), lambda r: str(r.randint(16, 25))), path_value(0, 0, 300)),
        ind(44, '外贸进出口实绩企业数量', '家', 3, False, 'open', 1, 'linear', 'final_year', None, None, S, (0, 5000),
            fixed(lambda r: str(r.randint(20, 60)), lambda r: str(r.randint(70, 120))), path_value(0, 0, 5000)),
        # 四、生态
        ind(45, '单位地区生产总值能源消耗降低', '%', 4, True, 'eco', 1, None, 'final_year', None, None, S, None,
            fixed('达标', '达标'), verdict_value),
        ind(46, '单位地区生产总值二氧化碳排放降低', '%', 4, True, 'eco', 1, None, 'final_year', None, None, S, None,
            fixed('达标', '达标'), verdict_value),
        ind(47, '主要污染物排放总量减少', '%', 4, True, 'eco', 1, 'linear', 'cumulative', 'compound', None, S,
            (0, 50), fixed('－', lambda r: f'【{r.randint(8, 12)}】'), reduction_value),
        ind(None, '化学需氧量', '%', 4, True, 'eco', 1, 'linear', 'cumulative', 'compound', None, S, (0, 50),
            fixed('－', lambda r: f'【{r.randint(6, 10)}】'), reduction_value),
        ind(None, '氨氮', '%', 4, True, 'eco', 1, 'linear', 'cumulative', 'compound', None, S, (0, 50),
            fixed('－', lambda r: f'【{r.randint(6, 10)}】'), reduction_value),
        ind(48, '环境空气质量优良天数', '天', 4, False, 'eco', 1, 'linear', 'average', None, None,
            M('air_quality_good_days'), (0, 366), lambda r, w: (str(w[2020]['air_quality_good_days']), '350左右△')),
        ind(49, '森林覆盖率', '%', 4, True, 'eco', 1, 'linear', 'final_year', None, None, M('forest_coverage'), P,
            rate('forest_coverage', 0.5, 3.0, prefix='≥')),
        ind(50, '地表水达到或好于Ⅲ类水体比例', '%', 4, True, 'eco', 1, 'linear', 'final_year', None, None, S, P,
            fixed('100', '100'), lambda r, b, t, y: '100' if r.random() < 0.9 else f1(r.uniform(90, 99.9))),
        ind(51, '城市生活污水集中处理率', '%', 4, False, 'eco', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(90, 96)), '98以上'), path_value(1, 80, 100)),
        ind(52, '城市生活垃圾无害化处理率', '%', 4, False, 'eco', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(95, 99)), '≥99'), path_value(1, 80, 100)),
        ind(53, '受污染耕地安全利用率', '%', 4, False, 'eco', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(88, 92)), '93左右'), path_value(1, 70, 100)),
        # 五、安全
        ind(54, '粮食综合生产能力', '万吨', 5, True, 'safe', 1, 'linear', 'final_year', None, None, M('grain_output'),
            (0, 1000), lambda r, w: (f2(w[2020]['grain_output']), f"≥{f2(w[2020]['grain_output'])}")),
        ind(55, '亿元地区生产总值生产安全事故死亡率', '人/亿元', 5, True, 'safe', -1, 'linear', 'final_year', None,
            None, S, (0, 1),
            fixed(lambda r: f'{r.uniform(0.04, 0.08):.2f}', lambda r: f'{r.uniform(0.02, 0.04):.2f}'),
            path_value(3, 0, 1)),
        ind(56, '食品安全评价性抽检合格率', '%', 5, False, 'safe', 1, 'linear', 'final_year', None, None, S, P,
            fixed(lambda r: f1(r.uniform(96, 98)), '98以上'), path_value(1, 80, 100)),
        ind(57, '政府债务率', '%', 5, True, 'safe', -1, 'linear', 'final_year', None, None, S, (0, 500),
            fixed(lambda r: f1(r.uniform(70, 110)), '<100'), path_value(1, 0, 500)),
        ind(58, '人均应急避难场所面积', '平方米', 5, False, 'safe', 1, 'linear', 'final_year', None, None, S, (0, 20),
            fixed(lambda r: f2(r.uniform(0.8, 1.5)), lambda r: f2(r.uniform(1.6, 2.5))), path_value(2, 0, 20)),
    ]
    # fmt: on


INDICATORS = _indicators()
assert len(INDICATORS) == 60
SECTIONS = {
    1: "一、推动高质量发展",
    2: "二、创造高品质生活",
    3: "三、全面扩大开放",
    4: "四、建设山清水秀美丽之地",
    5: "五、统筹发展和安全",
}


@dataclass
class RegionPlan:
    region: Region
    world: dict[int, dict[str, float]]
    rows: list[tuple[Indicator, str, str, str]] = field(default_factory=list)  # (indicator, id, baseline, target)


def region_plan(seed: int, region: Region) -> RegionPlan:
    w = world(seed, region)
    rng = random.Random(f"{seed}:{region.index}:plan")
    plan = RegionPlan(region, w)
    parent, sub = 0, 0
    for ind in INDICATORS:
        if ind.seq is None:
            sub += 1
            indicator_id = f"{region.plan_id}-{parent:02d}.{sub}"
        else:
            parent, sub = ind.seq, 0
            indicator_id = f"{region.plan_id}-{ind.seq:02d}"
        baseline, target = ind.texts(rng, w)
        plan.rows.append((ind, indicator_id, baseline, target))
    return plan


# --- documents -----------------------------------------------------------------------------------------------


def plan_text(plan: RegionPlan) -> str:
    r, w = plan.region, plan.world
    lines = [
        f"《{r.name_zh}国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》",
        f"（{LABEL}：本规划纲要由基准测试程序生成，地区、指标和数字均为虚构，不是真实规划）",
        f" “十三五”时期，全区经济实力稳步增强，地区生产总值达到{w[2020]['gdp']:.1f}亿元。",
        " “十四五”时期经济社会发展的主要目标如下。",
        "\t专栏1：“十四五”经济社会发展主要指标",
        "",
    ]
    lines += ["\t序号", "\t指标名称（单位）", "\t2020年", "\t2025年", "\t属性", ""]
    section = 0
    for ind, _, baseline, target in plan.rows:
        if ind.section != section:
            section = ind.section
            lines += [f"\t{SECTIONS[section]}", ""]
        seq = "" if ind.seq is None else str(ind.seq)
        name = ("#" if ind.seq is None else "") + ind.name_cell
        attribute = "" if ind.seq is None else ("约束性" if ind.binding else "预期性")
        lines += [f"\t{seq}", f"\t{name}", f"\t{baseline}", f"\t{target}", f"\t{attribute}", ""]
    target_gdp = next(t for i, _, _, t in plan.rows if i.seq == 3)
    tourism = next(t for i, _, _, t in plan.rows if i.seq == 19)
    lines += [
        " 第二章 推动高质量发展",
        f" 到2025年，全区地区生产总值达到{target_gdp}亿元，旅游综合收入达到{tourism}亿元。",
        f" 到2025年，新建5G基站{300 + r.index % 200}个。",
        "",
    ]
    return "\n".join(lines)


def _g(x: float) -> str:
    """增长/下降 in a bulletin's words."""
    x = 0.0 if abs(x) < 0.05 else x
    return f"增长{x:.1f}%" if x >= 0 else f"下降{abs(x):.1f}%"


def bulletin_text(plan: RegionPlan, year: int) -> tuple[str, dict[str, float]]:
    """(text, planted mapped figures) of one region-year, in the wording of a district bulletin."""
    r, y = plan.region, plan.world[year]
    rng = random.Random(f"{r.index}:{year}:bulletin")
    p = [
        f"{year}年{r.name_zh}国民经济和社会发展统计公报",
        f"（{LABEL}：本公报由基准测试程序生成，数字随机，不是真实统计）",
        f"{year}年，全区上下坚持稳中求进工作总基调，经济运行总体平稳，民生保障持续加强。",
        "一、综合",
        f"全年实现地区生产总值{y['gdp']:.2f}亿元。按可比价格计算，比上年{_g(y['gdp_growth'])}。分产业看，第一产业增加值"
        f"{y['va_primary']:.2f}亿元，{_g(y['va_primary_growth'])}；第二产业增加值{y['va_secondary']:.2f}亿元，"
        f"{_g(y['va_secondary_growth'])}；第三产业增加值{y['va_tertiary']:.2f}亿元，{_g(y['va_tertiary_growth'])}。"
        f"三次产业结构比为{y['structure']}。按常住人口计算，全年人均地区生产总值{y['gdp_per_capita']:.0f}元，比上年"
        f"{_g(y['gdp_per_capita_growth'])}。",
        f"全年民营经济实现增加值{y['private_va']:.2f}亿元，比上年{_g(y['private_va_growth'])}，占全区地区生产总值的"
        f"{100 * y['private_va'] / y['gdp']:.1f}%。",
        f"年末全区户籍人口{y['population_registered']:.2f}万人。年末常住人口{y['population_resident']:.2f}万人，其中城镇"
        f"常住人口{y['population_resident'] * y['urbanization_rate'] / 100:.2f}万人，常住人口城镇化率为"
        f"{y['urbanization_rate']:.2f}%。",
        "二、农业",
        f"全年粮食播种面积{y['grain_area']:.1f}万亩，粮食总产量{y['grain_output']:.2f}万吨，比上年"
        f"{_g(rng.uniform(-2, 3))}。",
        "三、工业和建筑业",
        f"全年规模以上工业增加值比上年{_g(y['industrial_va_growth'])}。规模以上工业总产值{y['industrial_output']:.1f}"
        f"亿元，{_g(y['industrial_output_growth'])}。",
        "四、固定资产投资",
        f"全年固定资产投资比上年{_g(y['fixed_asset_investment_growth'])}。",
        "五、国内贸易和对外经济",
        f"全年社会消费品零售总额{y['retail_sales']:.2f}亿元，比上年{_g(y['retail_sales_growth'])}。全年进出口总额"
        f"{y['imports_exports']:.2f}亿元，{_g(y['imports_exports_growth'])}。全年实际利用外资{y['fdi_wan_usd']}万美元。",
        "六、财政和金融",
        f"全年一般公共预算收入{y['public_budget_revenue']:.2f}亿元，比上年{_g(y['public_budget_revenue_growth'])}。",
        "七、居民收入和就业",
        f"全年全体居民人均可支配收入{y['disposable_income']:.0f}元，比上年{_g(y['disposable_income_growth'])}。按常住地分，"
        f"城镇常住居民人均可支配收入{y['urban_disposable_income']:.0f}元，{_g(y['urban_disposable_income_growth'])}；"
        f"农村常住居民人均可支配收入{y['rural_disposable_income']:.0f}元，{_g(y['rural_disposable_income_growth'])}。",
        f"全年城镇新增就业{y['new_urban_jobs']}人，城镇调查失业率{y['urban_surveyed_unemployment_rate']:.1f}%，"
        f"城镇登记失业率{y['urban_registered_unemployment_rate']:.1f}%。",
        "八、科技、卫生和旅游",
        f"年末每万人发明专利拥有量{y['invention_patents_per_10k']:.2f}件。年末全区共有医疗卫生机构"
        f"{rng.randint(300, 900)}个，卫生技术人员{y['licensed_doctors'] * 2 + rng.randint(0, 999)}人，"
        f"其中执业（助理）医师{y['licensed_doctors']}人，注册护士{round(y['licensed_doctors'] * 1.3)}人；"
        f"医疗卫生机构床位{y['hospital_beds']}张。",
        f"全年接待游客{y['tourist_visits']:.1f}万人次，比上年{_g(y['tourist_visits_growth'])}；实现旅游综合收入"
        f"{y['tourism_revenue']:.1f}亿元，{_g(y['tourism_revenue_growth'])}。",
        "九、资源和环境",
        f"全年城区空气质量优良天数{y['air_quality_good_days']}天。年末森林覆盖率达到{y['forest_coverage']:.1f}%。",
    ]
    planted = {
        "gdp": round(y["gdp"], 2),
        "gdp_growth": y["gdp_growth"],
        "va_primary": round(y["va_primary"], 2),
        "va_secondary": round(y["va_secondary"], 2),
        "va_tertiary": round(y["va_tertiary"], 2),
        "gdp_per_capita": float(y["gdp_per_capita"]),
        "gdp_per_capita_growth": y["gdp_per_capita_growth"],
        "private_va": round(y["private_va"], 2),
        "population_registered": y["population_registered"],
        "population_resident": y["population_resident"],
        "urbanization_rate": y["urbanization_rate"],
        "grain_output": y["grain_output"],
        "industrial_va_above_scale_growth": y["industrial_va_growth"],
        "industrial_output_above_scale": y["industrial_output"],
        "fixed_asset_investment_growth": y["fixed_asset_investment_growth"],
        "retail_sales": y["retail_sales"],
        "imports_exports": y["imports_exports"],
        "fdi_actual": y["fdi_wan_usd"] / 1e4,
        "public_budget_revenue": y["public_budget_revenue"],
        "disposable_income": float(y["disposable_income"]),
        "disposable_income_growth": y["disposable_income_growth"],
        "urban_disposable_income_growth": y["urban_disposable_income_growth"],
        "rural_disposable_income_growth": y["rural_disposable_income_growth"],
        "new_urban_jobs": y["new_urban_jobs"] / 1e4,
        "urban_surveyed_unemployment_rate": y["urban_surveyed_unemployment_rate"],
        "invention_patents_per_10k": y["invention_patents_per_10k"],
        "licensed_doctors": float(y["licensed_doctors"]),
        "hospital_beds": float(y["hospital_beds"]),
        "tourist_visits": y["tourist_visits"],
        "tourism_revenue": y["tourism_revenue"],
        "air_quality_good_days": float(y["air_quality_good_days"]),
        "forest_coverage": y["forest_coverage"],
    }
    return "\n".join(p) + "\n", planted


SUBMISSION_HEADER = [
    "地区代码(region_code)",
    "指标编号(indicator_id)",
    "指标名称(indicator_name)",
    "年份(year)",
    "数值(value)",
    "计量单位(unit)",
    "数据来源(source)",
    "备注(note)",
]


def submission_csv(seed: int, plan: RegionPlan) -> str:
    """The department template (planwatch template) filled in for every submitted indicator and year."""
    rng = random.Random(f"{seed}:{plan.region.index}:submission")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUBMISSION_HEADER)
    for ind, indicator_id, baseline, target in plan.rows:
        if ind.submit is None:
            continue
        qualitative = target == "达标"
        for year in YEARS:
            writer.writerow(
                [
                    plan.region.code,
                    indicator_id,
                    ind.name_zh,
                    year,
                    ind.submit(rng, baseline, target, year),
                    "" if qualitative else ind.unit.split("，")[0],
                    f"{plan.region.name_zh}相关部门（{LABEL}）",
                    LABEL,
                ]
            )
    return "\ufeff" + buffer.getvalue()


def published_csv(plan: RegionPlan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["region_code", "year", "indicator_zh", "value", "unit", "value_kind", "note", "source_kind", "source_url"]
    )
    for year in YEARS:
        writer.writerow(
            [
                plan.region.code,
                year,
                "三次产业结构",
                plan.world[year]["structure"],
                "比例",
                "reported",
                LABEL,
                "bulletin",
                f"{URL}/{plan.region.slug}/{year}/bulletin.html",
            ]
        )
    return buffer.getvalue()


# --- catalog ---------------------------------------------------------------------------------------------------


def _q(value: object) -> str:
    """A YAML scalar (JSON is YAML): strings double-quoted, None as null."""
    return json.dumps(value, ensure_ascii=False)


def catalog_entries(plan: RegionPlan) -> str:
    out = []
    for ind, indicator_id, baseline, target in plan.rows:
        lines = [
            f"  - id: {indicator_id}",
            f"    name_zh: {_q(ind.name_zh)}",
            f"    name_en: {_q(ind.name_en or 'synthetic indicator ' + indicator_id.rsplit('-', 1)[1])}",
            f"    unit: {_q(ind.unit.split('，')[0] if ind.unit else None)}",
            f"    baseline_text: {_q(baseline)}",
            f"    target_text: {_q(target)}",
            f"    theme: {ind.theme}",
            f"    direction: {ind.direction}",
            f"    price_basis: {_q(ind.price_basis)}",
            f"    path: {_q(ind.path)}",
            f"    aggregation: {ind.aggregation}",
            f"    accumulation: {_q(ind.accumulation)}",
            f"    actual: {json.dumps(ind.actual, ensure_ascii=False)}",
            f"    plausible: {json.dumps(list(ind.plausible)) if ind.plausible else 'null'}",
        ]
        if ind.structure_component:
            lines.append(f"    structure_component: {ind.structure_component}")
        lines.append(f"    note: {_q(LABEL)}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def write_catalog(folder: Path, regions: list[Region], entries: list[str]) -> None:
    """The installation's own catalog: the real one plus the synthetic regions and indicators."""
    folder.mkdir(parents=True, exist_ok=True)
    real = REPO / "catalog"
    extended = ("regions.yaml", "indicators.yaml")  # written below: the real entries plus the synthetic ones
    for path in sorted(real.iterdir()):  # every other catalog file as it is (themes, aliases, peer groups, …)
        if path.is_file() and path.name not in extended and not path.name.startswith("."):
            shutil.copyfile(path, folder / path.name)
    region_lines = "".join(
        f'  - code: "{r.code}"\n    name_zh: {r.name_zh}\n    slug: {r.slug}\n    aliases: [{r.name_zh}]\n'
        for r in regions
    )
    (folder / "regions.yaml").write_text(
        (real / "regions.yaml").read_text(encoding="utf-8").rstrip("\n")
        + f"\n# --- {LABEL}: synthetic regions of the benchmark (bench/synth.py) ---\n"
        + region_lines,
        encoding="utf-8",
    )
    with (folder / "indicators.yaml").open("w", encoding="utf-8") as handle:
        handle.write((real / "indicators.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n\n")
        handle.write(f"  # --- {LABEL}: synthetic indicators of the benchmark (bench/synth.py) ---\n")
        for chunk in entries:
            handle.write(chunk + "\n")


# --- corpus and installations ------------------------------------------------------------------------------


def corpus_dir(seed: int) -> Path:
    return OUT / "corpus" / f"v{GENERATOR_VERSION}-seed{seed}"


def held_back(region: Region) -> tuple[Region, int]:
    return region, TARGET_YEAR


def ensure_corpus(n: int, seed: int = 7, progress: Callable[[str], None] = print) -> Path:
    """Generate the files of regions 1..n once (kept in bench/out/corpus/…); later calls reuse them."""
    folder = corpus_dir(seed)
    done = folder / "regions.txt"
    have = int(done.read_text()) if done.exists() else 0
    if have >= n:
        return folder
    if n > MAX_REGIONS:
        raise SystemExit(f"at most {MAX_REGIONS} synthetic regions (names are two characters of NAME_CHARS + 区)")
    started = time.perf_counter()
    for kind in ("plans", "bulletins", "submissions", "published", "catalog"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    for index in range(have + 1, n + 1):
        region = Region(index)
        plan = region_plan(seed, region)
        (folder / "plans" / f"{region.slug}.txt").write_text(plan_text(plan), encoding="utf-8")
        for year in YEARS:
            text, _ = bulletin_text(plan, year)
            (folder / "bulletins" / f"{region.slug}_{year}.txt").write_text(text, encoding="utf-8")
        (folder / "submissions" / f"{region.slug}.csv").write_text(submission_csv(seed, plan), encoding="utf-8")
        (folder / "published" / f"{region.slug}.csv").write_text(published_csv(plan), encoding="utf-8")
        (folder / "catalog" / f"{region.slug}.yaml").write_text(catalog_entries(plan), encoding="utf-8")
    done.write_text(str(n))
    progress(f"generated the files of regions {have + 1}-{n} in {time.perf_counter() - started:.1f} s ({folder})")
    return folder


def _link(source: Path, target: Path) -> None:
    """Put a corpus file into an inbox: a hard link (the inbox does not follow symbolic links that leave it), a
    copy when the corpus is on another file system."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class Installation:
    root: Path
    n: int
    held_back: tuple[str, Path]  # (inbox name, corpus file) of the bulletin kept for the incremental rerun

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    def env(self) -> dict[str, str]:
        return {
            "PLANWATCH_INBOX": str(self.inbox),
            "PLANWATCH_CATALOG": str(self.catalog),
            "PLANWATCH_WAREHOUSE": str(self.warehouse),
        }

    def add_held_back_bulletin(self) -> Path:
        name, source = self.held_back
        target = self.inbox / "bulletins" / name
        if not target.exists():
            _link(source, target)
        return target


def install(
    n: int, root: Path, seed: int = 7, fresh: bool = True, progress: Callable[[str], None] = print
) -> Installation:
    """An installation of n synthetic regions (+ the real Qianjiang inputs) at root: inbox/ of hard links to the corpus,
    catalog/, empty warehouse/. The 2025 bulletin of region 1 is held back for the one-new-bulletin rerun."""
    corpus = ensure_corpus(n, seed, progress)
    if fresh and root.exists():
        shutil.rmtree(root)
    regions = [Region(i) for i in range(1, n + 1)]
    inbox = root / "inbox"
    for kind in ("plans", "bulletins", "submissions", "published"):
        (inbox / kind).mkdir(parents=True, exist_ok=True)
    real_inbox = REPO / "inbox"
    for kind in ("plans", "published"):  # the real Qianjiang outline and published figures
        for path in (real_inbox / kind).iterdir():
            if path.is_file() and not path.name.startswith((".", "README")):
                _link(path, inbox / kind / path.name)
    held_name = f"{regions[0].slug}_{TARGET_YEAR}.txt"
    for r in regions:
        _link(corpus / "plans" / f"{r.slug}.txt", inbox / "plans" / f"{r.slug}.txt")
        _link(corpus / "submissions" / f"{r.slug}.csv", inbox / "submissions" / f"{r.slug}.csv")
        _link(corpus / "published" / f"{r.slug}.csv", inbox / "published" / f"{r.slug}.csv")
        for year in YEARS:
            name = f"{r.slug}_{year}.txt"
            if name != held_name:
                _link(corpus / "bulletins" / name, inbox / "bulletins" / name)
    entries = [(corpus / "catalog" / f"{r.slug}.yaml").read_text(encoding="utf-8") for r in regions]
    write_catalog(root / "catalog", regions, entries)
    (root / "warehouse").mkdir(parents=True, exist_ok=True)
    (root / "README.txt").write_text(
        f"{LABEL}: a benchmark installation of {n} synthetic regions made by bench/synth.py; safe to delete.\n",
        encoding="utf-8",
    )
    return Installation(root, n, (held_name, corpus / "bulletins" / held_name))


# --- verification: the real readers read what was generated --------------------------------------------------


def verify(n: int, seed: int = 7, sample: int = 5) -> int:
    """Parse a sample of generated plans and bulletins with the real readers; compare with what was planted."""
    sys.path.insert(0, str(REPO))
    import tempfile

    from ingest.bulletins import extract_file
    from ingest.catalog import drift, load_catalog
    from ingest.plan_document import read_plan_file, target_records
    from ingest.submissions import read_submission_file
    from ingest.themes import load_theme_rules

    problems = 0
    with tempfile.TemporaryDirectory(prefix="synth_verify_") as tmp:
        inst = install(n, Path(tmp) / "install", seed, progress=lambda s: None)
        themes = load_theme_rules(inst.catalog / "themes.yaml")
        catalog = load_catalog(inst.catalog / "indicators.yaml", set(themes.codes))
        slugs = {r.slug: r.code for r in (Region(i) for i in range(1, n + 1))} | {"qianjiang": "500114"}
        rng = random.Random(seed)
        for index in sorted(rng.sample(range(1, n + 1), min(sample, n))):
            region = Region(index)
            plan = region_plan(seed, region)
            doc = read_plan_file(inst.inbox / "plans" / f"{region.slug}.txt", inst.catalog / "regions.yaml")
            records = target_records(doc, themes)
            found = drift(records, [e for e in catalog if e.indicator_id.startswith(region.plan_id + "-")])
            tables = sum(r["kind"] == "table" for r in records)
            print(
                f"{region.slug} {region.name_zh}: plan {doc.current_plan.plan_id}, {tables} table rows, "
                f"{len(records) - tables} narrative, drift {len(found)}"
            )
            problems += len(found) + (tables != 60)
            for d in found[:5]:
                print(f"  drift: {d}")
            for year in YEARS:
                path = corpus_dir(seed) / "bulletins" / f"{region.slug}_{year}.txt"
                result = extract_file(path, alias_file=inst.catalog / "metric_aliases.yaml")
                got = {f.metric_key: f.value for f in result.figures if f.metric_key and f.year == year}
                _, planted = bulletin_text(plan, year)
                wrong = {
                    k: (v, got.get(k))
                    for k, v in planted.items()
                    if got.get(k) is None or abs(got[k] - v) > 1e-6 * max(1, abs(v))
                }
                ok = result.region_code == region.code and result.year == year
                print(
                    f"  bulletin {year}: region {result.region_code} year {result.year}, "
                    f"{len(planted) - len(wrong)}/{len(planted)} planted figures read back"
                    + (f"; wrong or missing: {wrong}" if wrong else "")
                )
                problems += len(wrong) + (not ok)
            values, rejections = read_submission_file(inst.inbox / "submissions" / f"{region.slug}.csv", catalog, slugs)
            print(
                f"  submission: {len(values)} values, {len(rejections)} rejected"
                + (f": {rejections[:3]}" if rejections else "")
            )
            problems += len(rejections)
    print("verify: OK" if not problems else f"verify: {problems} problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write an installation here (inbox/, catalog/, warehouse/)")
    parser.add_argument("--verify", action="store_true", help="read a sample back with the real readers")
    args = parser.parse_args(argv)
    if args.verify:
        return verify(args.regions, args.seed)
    root = args.out or OUT / f"scale-{args.regions}"
    inst = install(args.regions, root, args.seed)
    print(f"installation of {args.regions} synthetic regions at {root}; use it with:")
    for key, value in inst.env().items():
        print(f"  export {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of the bulletin reader on generated documents.

    uv run python bench/bench_extract.py [--n 1000] [--seed 7] [--keep DIR]

Writes N clearly synthetic bulletins (every file says 合成测试数据; numbers are random) to a temporary
directory, in the formats a bureau publishes (UTF-8 text, GB18030 text, HTML with a table), extracts them all
in one process and prints documents/s, MB/s, figures/s and the peak RSS. It also reports how many of the
planted headline figures came back with the right value (a sanity check, not an accuracy claim: the generator
only knows a few phrasings).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from ingest.bulletins import extract_file

REGIONS = ["黔江区", "万州区", "涪陵区", "石柱土家族自治县", "城口县", "忠县", "武隆区", "巫山县"]
FILLER = "全区上下坚持稳中求进工作总基调,经济运行总体平稳,民生保障持续加强,社会大局和谐稳定。"


def _doc(rng: random.Random, i: int) -> tuple[str, str, dict[str, float]]:
    """(format, text, planted figures) of one synthetic bulletin."""
    region, year = rng.choice(REGIONS), rng.randint(2015, 2025)
    self_word = "全县" if region.endswith("县") else "全区"
    gdp = round(rng.uniform(80, 900), 2)
    shares = [rng.uniform(0.05, 0.2), rng.uniform(0.3, 0.45)]
    va1, va2 = round(gdp * shares[0], 2), round(gdp * shares[1], 2)
    va3 = round(gdp - va1 - va2, 2)
    g = [round(rng.uniform(-2, 9), 1) for _ in range(4)]
    pop, income = round(rng.uniform(15, 120), 2), rng.randint(15000, 52000)
    retail, urban = round(gdp * rng.uniform(0.3, 0.5), 2), round(rng.uniform(35, 75), 2)
    jobs = rng.randint(2000, 30000)
    truth = {"gdp": gdp, "gdp_growth": g[0], "va_primary": va1, "va_secondary": va2, "va_tertiary": va3,
             "population_resident": pop, "disposable_income": income, "retail_sales": retail,
             "urbanization_rate": urban, "new_urban_jobs": round(jobs / 10000, 4)}  # fmt: skip
    verb = lambda x: f"增长{x}%" if x >= 0 else f"下降{abs(x)}%"  # noqa: E731
    grow = rng.choice(
        [
            "全年实现地区生产总值{v}亿元,比上年{g}。",
            "初步核算,{s}地区生产总值{v}亿元,按可比价格计算,比上年{g}。",
            "全年实现地区生产总值{v}亿元。按可比价格计算,比上年{g}。",
        ]
    )
    paragraphs = [
        f"{year}年{region}国民经济和社会发展统计公报",
        "(合成测试数据,数字随机生成,非真实统计)",
        f"{year}年,{FILLER * rng.randint(1, 4)}",
        "一、综合",
        grow.format(v=gdp, g=verb(g[0]), s=self_word)
        + rng.choice(
            [
                f"分产业看,第一产业增加值{va1}亿元,{verb(g[1])};第二产业增加值{va2}亿元,{verb(g[2])};"
                f"第三产业增加值{va3}亿元,{verb(g[3])}。",
                f"其中,一、二、三产业增加值分别为{va1}亿元、{va2}亿元和{va3}亿元。",
            ]
        )
        + f"三次产业结构比为{va1 / gdp * 100:.1f}:{va2 / gdp * 100:.1f}:{va3 / gdp * 100:.1f}。",
        f"年末常住人口{pop}万人,比上年末增加{rng.randint(1, 50) / 100}万人,常住人口城镇化率{urban}%。",
        f"全年全体居民人均可支配收入{income}元,比上年增长{rng.randint(30, 90) / 10}%。{FILLER}",
        f"全年社会消费品零售总额{retail}亿元,增长{rng.randint(-30, 120) / 10}%。全年城镇新增就业{jobs}人。",
    ]
    paragraphs += [f"全年{FILLER}其他指标{rng.randint(1, 999)}个,增长{rng.randint(1, 99) / 10}%。"
                   for _ in range(rng.randint(5, 25))]  # fmt: skip
    fmt = ("txt", "gbk", "html")[i % 3]
    if fmt == "html":
        body = "".join(f"<p>{p}</p>" for p in paragraphs[:-3])
        table = "<table><tr><th>指标</th><th>单位</th><th>绝对数</th></tr>" + "".join(
            f"<tr><td>指标{k}</td><td>万元</td><td>{rng.randint(100, 99999)}</td></tr>" for k in range(8)
        ) + "</table>"  # fmt: skip
        return fmt, f"<html><head><meta charset='utf-8'></head><body>{body}{table}</body></html>", truth
    return fmt, "\n".join(paragraphs), truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the documents here (kept) instead of a temp dir")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench_extract_") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        planted: dict[Path, dict[str, float]] = {}
        for i in range(args.n):
            fmt, text, truth = _doc(rng, i)
            path = folder / f"synthetic_{i:05d}.{'html' if fmt == 'html' else 'txt'}"
            path.write_bytes(text.encode("gb18030" if fmt == "gbk" else "utf-8"))
            planted[path] = truth
        size = sum(p.stat().st_size for p in planted)
        extract_file(next(iter(planted)))  # warm the caches (alias table, OpenCC) outside the timing
        start, cpu_start = time.perf_counter(), time.process_time()
        results = [extract_file(p) for p in planted]
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    figures = sum(len(r.figures) for r in results)
    hits = total = 0
    for (_, truth), result in zip(planted.items(), results, strict=True):
        got = {f.metric_key: f.value for f in result.figures if f.metric_key}
        total += len(truth)
        hits += sum(1 for k, v in truth.items() if got.get(k) == v)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(results)} ({size / 1e6:.1f} MB, synthetic) in {elapsed:.2f} s")
    print(f"throughput: {len(results) / elapsed:.0f} documents/s, {size / 1e6 / elapsed:.2f} MB/s, "
          f"{figures / elapsed:.0f} figures/s ({figures} figures)")  # fmt: skip
    print(f"CPU time: {cpu:.2f} s = {len(results) / cpu:.0f} documents per CPU-second (the machine's other load aside)")
    print(f"planted headline figures recovered: {hits}/{total}")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

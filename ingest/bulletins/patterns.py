"""The regular expressions of bulletin phrasing, in one place so that they can be read (and reviewed)
together. Everything works on normalised text: ASCII `,;:()%-`, Simplified characters."""

from __future__ import annotations

import re

from ingest.bulletins.units import UNIT_PATTERN

# ---- numbers ----------------------------------------------------------------------------------------------
# A number glued to a Latin letter is part of a name (PM2.5, 5G, G318, 4A级), not a figure.
NUMBER = re.compile(
    rf"(?<![\dA-Za-z.])(?P<sign>(?<!\d)-)?(?P<num>\d+(?:\.\d+)?)(?P<unit>{UNIT_PATTERN})?(?![A-Za-z\d])"
)
RATIO = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?){1,4}(?![\d.:])")
# A number hit by an encoding error: `?` (also from ？) or U+FFFD next to digits, or in place of the digits
# right before a unit.
DAMAGED = re.compile(rf"(?:\d[\d.]*)?[?\ufffd]+[\d.?\ufffd]*(?P<unit>{UNIT_PATTERN})?")
LIST_JOIN = re.compile(r"^(?:、|和|与|及|以及|,)$")  # between the items of "分别为41.0、38.6和170.4亿元"
ORDINAL_BEFORE = ("第", "前", "居", "列")

# ---- clause grammar -----------------------------------------------------------------------------------------
CLAUSE_SEP = ",;"
# Notes in brackets that are not part of the label: scope notes, definitions, anything holding a number.
SCOPE_NOTE = re.compile(r"下同|简称|以下称|以下简称|注|口径|及以上|以上的|统计范围|不含|不包括|未含|剔除|扣除")
NOTE_CONTENT = re.compile(rf"{SCOPE_NOTE.pattern}|\d")

_CMP = (
    r"(?:比|较|与)(?:上年|去年|上一年|上年度)(?:末|底|同期)?(?:相比)?|同比|环比|比年初|较年初|比上期"
    r"|(?:比|较)\d{4}年(?:末|底|同期)?|(?:比|较)\"?十[一二三四五]五\"?末"
)
_UP = "增长|增加|提高|上升|上涨|增速|增幅|增|扩大|多"
_DOWN = "减少|下降|回落|降低|下滑|下跌|减|缩小|收窄|少|下调"
# "…比上年增长" right before the number (end of the left context). 增加值/增长率 never match: the verb must
# be the last word before the number.
CHANGE = re.compile(
    rf"(?P<fen>分别)?(?P<cmp>{_CMP})?(?P<fen2>分别)?(?P<kb>可比|名义|实际|按?同口径|按?可比口径)?(?P<verb>{_UP}|{_DOWN}|高|低)"
    r"(?:了|达|为|约|近|超)?$"
)
DOWN_VERBS = frozenset(_DOWN.split("|")) | {"低"}
# Verbs that need a comparison to be a change (比全市高0.5个百分点); alone they are part of a label.
CMP_ONLY_VERBS = frozenset({"高", "低", "多", "少", "增", "减"})
GROWTH_BASIS = re.compile(r"按(?:可比|不变)价(?:格)?计算|按可比口径计算|按可比口径")
AVERAGE = re.compile(r"(?:年均|平均每年|年平均|[两二三四五]年平均|平均)$")

# A value of another year before the number: 上年为… / 由上年的… / 2022年为…
PREVIOUS = re.compile(
    r"(?:(?:上年|去年|上一年|上年度)(?:末|底|同期)?(?:为|是|的|有|达)?"
    r"|由(?:上年|去年|\d{4}年)?(?:末|底|同期)?的?|(?P<year>\d{4})年(?:末|底)?(?:为|是|的|有|达))$"
)

# "(上年为增长4.2%)": last year's growth rate
PREVIOUS_GROWTH = re.compile(
    r"(?<![比较与])(?:上年|去年|上一年|上年度)(?:同期)?(?:为|是)?(?:(?P<up>增长|增加|上升|提高)|(?P<down>下降|减少|回落))$"
)
# Words of a clause that put it in the statistical year, whatever year the sentence named before
CURRENT_YEAR_WORDS = re.compile(r"全年|年末|年底|本年|今年|当年|\d{4}年")
# A sentence that opens with a date of another year: its figures are of that date ("2022年末,…", "截至2024年2月末,…")
SENTENCE_DATE = re.compile(
    r"^(?:截至|截止|到|至)?(?P<year>\d{4})年(?:\d{1,2}月)?(?:末|底|份)?(?:[,:]|(?=全区|全县|本区|本县))"
    r"|^(?P<census_year>\d{4})年[^,。;:\d]{0,16}(?:普查|修订|核实|调整)[^,。;:]{0,6}[:,]"
)
# Numbered sections of the bulletin's body, and the notes/appendices after it
SECTION_START = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|\([一二三四五六七八九十]+\))")
NOTES_START = re.compile(r"^(?:注释|注解|附注|注|说明|附表|附件|资料来源|数据来源)\d?(?:[:：]|$)")

# Predicate words between a label and its number (达到, 为, 控制在 …), stripped from the end of a label.
LEVEL_TAIL = re.compile(
    r"(?:分别|为|是|达到|达|到|至|约|近|超过|超|逾|突破|共计|合计|总计|累计|共有|拥有|共|计|实现|完成"
    r"|经?(?:提高|上升|增长|增加|下降|减少|回落|降低|调整|修订|核实|核定|升|降|增|减)(?:到|至|为|后)"
    r"|控制在|保持在|稳定在|维持在|在|了|有|迈上|跨上|接近|平均)+$"
)
APPROX_BEFORE = re.compile(r"突破|超过|超|逾|近|约|迈上|跨上|接近")
APPROX_AFTER = ("左右", "以上", "多", "余")
# A ceiling, not a value: "城镇登记失业率控制在4.5%以内", "…控制在4.5%的目标以内"
BOUND_AFTER = re.compile(r"^(?:的)?(?:目标|预期|调控)?(?:以内|以下|之内|范围内|目标内)")
# Words before a label that say when/where, not what (全年实现地区生产总值 → 地区生产总值).
LEAD = re.compile(
    r"^(?:(?:全年|年末|年底|年初|年内|全区|全县|全旗|本年|当年|今年|本区|本县|我区|我县|辖区|区内|县内"
    r"|其中|另外|此外|同时|另|初步核算|经核算|据核算|最终核实|最终核算|最终计算|初步测算|经测算|据统计|据初步统计|根据[^,]*?结果"
    r"|按常住人口计算|按户籍人口计算|按常住地分|按(?:可比|不变)价(?:格)?计算|按可比口径计算|按现价计算"
    r"|分产业看|分产业|按产业分|分三次产业看|分三次产业|从产业看|分行业看|分门类看|按行业分|分领域看|从结构看"
    r"|现价|当年价|截至\d{0,4}年?(?:末|底)?|截止\d{0,4}年?(?:末|底)?|到\d{0,4}年?(?:末|底)|\d{4}年(?:末|底|度)?"
    r"|上半年|下半年|一季度|第一季度|前三季度|\d{1,2}-\d{1,2}月(?:份)?|\d{1,2}月(?:末|底|份)?"
    r"|实现|完成|共有|拥有|共|累计|总计|合计|全部|全口径)[,:]?)+"
)
MID_VERBS = re.compile(r"实现|完成")
BREAKDOWN = re.compile(
    r"^(?:其中|分产业看|分产业|按产业分|分三次产业看|分三次产业|从产业看|分行业看|分门类看|按行业分|分领域看|从结构看)"
)
GROWTH_SUFFIX = re.compile(r"(?:的)?(?:增速|增长率|增幅|增长速度|增长幅度|增长)$")
CONTRIBUTION = re.compile(r"拉动|贡献")

# ---- document level --------------------------------------------------------------------------------------------
TITLE_HINT = re.compile(r"统计公报|经济运行|经济和社会发展|经济社会发展|主要经济指标|统计数据|经济形势")
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# a statistical year, not a date: 2023年 / 2023年度, never 2024年4月(30日)
STAT_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月)")
# the year the opening of a bulletin names: 2023年,全县… / 2023年是… / 初步核算,2023年全县…
OPENING_YEAR = re.compile(
    r"(?:^|(?<![\d.-]))(?P<year>(?:19|20)\d\d)\s*年(?:度)?(?!\s*\d{1,2}\s*月)"
    r"(?=[,:是]|[全我本][县区市省州盟旗]|在|面对|以来"
    r"|[\u4e00-\u9fff]{1,12}(?:县|区|市|州|省|旗|盟)(?:[,:在面以坚全]|地区生产总值|生产总值|经济)"
    r"|(?<=^\d{4}年)|(?<=^\d{4}年度))"
)
PUBLICATION_LINE = re.compile(
    r"发布|来源|日期|时间|浏览|点击|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}"
)
BULLETIN_TITLE = re.compile(
    r"(?:国民经济(?:和|与)?社会发展|经济(?:和|与)?社会发展)统计公报|统计公报$|经济运行情况$|经济运行简况$"
)
BREADCRUMB = re.compile(r"当前位置|首页\s*>|>\s*统计|您现在的位置|位置:")
# the bureau that signs a page: 晋城市统计局, 重庆市统计局 国家统计局重庆调查总队
BUREAU = re.compile(r"^(?P<names>[\u4e00-\u9fff]{2,20}?)统计局")
# the region the opening sentences name as their subject: 黄陵县委、县政府… / 2022年,江苏省GDP… / 开州区2024年全年…
OPENING_REGION = re.compile(
    r"(?:^|[,。:;])(?:\d{4}年,?)?(?P<names>[\u4e00-\u9fff]{1,10}?[省市州盟县区旗])(?<!地区)(?<!城区)(?<!园区)"
    r"(?=委|\d{4}年|全年|实现|完成|地区生产总值|生产总值|GDP|经济(?:总量|运行|社会)|坚持|全面)"
)
# a short form as the subject of the opening sentence, right after its year: 2020年咸宁经济… / 2021年是略阳发展…
OPENING_SHORT_NAME = re.compile(
    r"^(?:19|20)\d\d年(?:是|,)?(?P<name>[\u4e00-\u9fff]{2,4}?)(?=经济|发展|全年|坚持|全面|地区生产总值|生产总值|GDP)"
)
SELF_WORD = re.compile(r"全([省市州盟县区旗])")
# a table or chart caption naming one year: 表1 2024年分产业地区生产总值、增速… / 2022年全区生产总值及其增长速度
CAPTION_YEAR = re.compile(
    r"(?:^|\n)(?:[表图]\s*\d{1,2}\s*)?(?<![-—~至\d])(?P<year>(?:19|20)\d\d)\s*\n?\s*年(?![\d-])(?:末|底)?"
    r"[^。\n\d]{0,24}(?:增长速度|增速|及其构成|构成|比重|情况)"
)
CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
PERIODS = (
    (re.compile(r"上半年|1-6月|一至六月|1至6月"), "H1"),
    (re.compile(r"前三季度|1-9月|一至九月|1至9月"), "Q1-Q3"),
    (re.compile(r"一季度|第一季度|1-3月|1至3月"), "Q1"),
    (re.compile(r"1-(\d{1,2})月|1至(\d{1,2})月"), "M"),
    (re.compile(r"(?<!前)三季度|第三季度"), "Q3"),
    (re.compile(r"二季度|第二季度"), "Q2"),
    (re.compile(r"四季度|第四季度"), "Q4"),
)
ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:自治县|自治旗|新区|区|县|市|旗)")
TITLE_NOISE = re.compile(
    r"(?:19|20)\d\d\s*年(?:度)?|国民经济和社会发展统计公报|国民经济和社会发展|经济社会发展|统计公报|经济运行情况"
    r"|经济运行|主要经济指标|统计数据|经济形势|上半年|前三季度|[一二三四]季度|第[一二三四]季度|\d{1,2}-\d{1,2}月|简析|分析"
    r"|统计局|[()\s]"
)
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+部分|表\d)")

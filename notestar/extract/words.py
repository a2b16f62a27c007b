"""Grammar words of the note genre (not metric, segment, unit or company names — those are lexicon data).

These are the function words a reader uses to tell a level from a change, a forecast from an actual,
a loss from a profit, and the company from the industry. They are regex fragments, longest first.
"""

from __future__ import annotations

# change words -> measure family
YOY_WORDS = ["较上年同期", "较去年同期", "比上年同期", "比去年同期", "与上年同期相比", "与去年同期相比", "同比", "按年",
             "yoy", "YoY", "YOY", "年同比", "较上年", "较去年", "比上年", "比去年"]
QOQ_WORDS = ["较上一季度", "较上季度", "较上季", "比上季度", "比上一季度", "环比", "按季", "qoq", "QoQ", "QOQ"]
BOTH_WORDS = ["同环比"]
# a change against the start of the year or the last year-end ("较年初增长6.7%", "较上年末增长5.2%"): no measure
SINCE_START_WORDS = ["较上年末", "较上年度末", "较去年末", "较去年底", "较上年底", "较年初", "比年初", "较期初",
                     "比上年末", "比上年度末", "与年初相比", "较年初的"]

# direction words: up / down.  收窄 and 减亏 are "down" on the size of a loss (see prose.py).
UP_WORDS = ["增长", "增加", "提升", "上升", "回升", "上涨", "提高", "增至", "升至", "激增", "大增", "翻倍",
            "改善", "扩大", "加快", "增幅", "增速", "增", "升", "涨", "+"]
DOWN_WORDS = ["下降", "下滑", "减少", "降低", "回落", "下跌", "收窄", "减亏", "缩窄", "降至", "减至", "降幅", "减幅",
              "下降幅度", "降", "减", "跌", "-", "−"]
NARROW_WORDS = {"收窄", "减亏", "缩窄"}
# a rate of change named as a noun ("降幅为27.2%", "增速达18%"): year on year when no other change word is said
RATE_NOUN_WORDS = {"增幅", "增速", "降幅", "减幅", "下降幅度"}
WIDEN_WORDS = {"扩大"}

# loss words: the amount that follows is the negative of the profit metric
LOSS_WORDS = ["净亏损", "亏损", "净流出", "流出"]
GAIN_RESET_WORDS = ["扭亏为盈", "扭亏", "转正", "转盈", "盈利"]

# basis words
FORECAST_WORDS = ["预计", "预测", "预期", "有望", "指引", "展望", "将达", "将达到", "或将"]
PRIOR_WORDS = ["原预测为", "原预测", "原预期", "此前预测", "前次预测", "原值为", "原为", "前值为", "前值", "此前为"]
# a forecast revision: in "预测由A下调至B", A is the replaced forecast
REVISE_WORDS = ["上调", "下调", "调高", "调低", "上修", "下修"]

# comparative: the next level value belongs to the year-earlier period
PRIOR_YEAR_WORDS = ["去年同期", "上年同期", "上年同期的", "去年同期的"]
# "毛利率25.3%，较去年同期的23.1%提升2.2个百分点": the next value is the year-earlier level, the change after it yoy
PRIOR_YEAR_VS_WORDS = ["较去年同期的", "较上年同期的", "比去年同期的", "比上年同期的", "相比去年同期的",
                       "相比上年同期的"]
# the last year-end before the period the sentence is about: "存货由年初的12.4亿元降至9.7亿元" starts at 2024-12-31
YEAR_START_WORDS = ["年初", "上年末", "上年度末", "去年末", "上年底", "去年底"]
# from / to markers of "从A增长至B"
FROM_WORDS = ["从", "由"]
# words that contain a grammar character but mean something else ("由于" is not "由A至B")
NEUTRAL_WORDS = ["由于", "从而", "从事", "由此", "至今", "至少", "以至", "直至", "甚至", "盈亏平衡", "增值税",
                 "增持", "减持", "占据", "占领",
                 "年初至今", "年初以来",
                 "截至今日", "截止今日",  # "截至今日收盘": 截至 + 今日, not 至今
                 "利润分配", "利润分红"]  # "中期利润分配方案：每10股派…": a dividend plan, not 利润
TO_WORDS = ["至", "到"]

# "单季度毛利率…" with no quarter named: the last quarter of the period the note covers (Q3 of a 三季报)
SINGLE_QUARTER_WORDS = ["单季度", "单季"]

LIST_WORDS = ["分别为", "分别是", "分别达", "分别实现", "分别"]

# industry- or market-wide subjects: facts in such a clause are not company facts (rule 10)
INDUSTRY_WORDS = ["市场规模", "行业规模", "行业平均", "行业整体", "产业规模", "全国", "全球", "我国", "中国",
                  "国内", "同行业", "可比公司", "行业", "板块", "整体市场", "指数",
                  "规上", "规模以上"]  # "规上企业实现利润总额…": above-scale enterprises, an industry total
# a product as the subject of a clause ("核心产品X上半年实现销售收入9.6亿元"): the product's figure, no company fact
PRODUCT_WORDS = ["核心产品", "主力产品", "重磅产品", "大单品", "单品", "该产品", "核心品种", "主力品种"]
# in a paragraph of forecast assumptions by business line ("核心假设：1）谐波减速器：预计收入增速…；2）…"), an item's
# heading names what it is about; one that names no metric, segment or company is a product or business line without
# a code, unless it is one of these topics of the company's own
ASSUMPTION_HEADS = ["核心假设", "关键假设", "主要假设", "盈利预测假设", "分业务假设", "分业务", "分产品", "分板块",
                    "业务拆分", "收入拆分"]
HEADING_TOPIC_WORDS = ["公司", "集团", "整体", "合计", "总体", "业绩", "盈利", "财务", "经营", "估值", "费用", "利润",
                       "收入", "营收", "现金", "资产", "负债", "风险", "预测", "假设", "展望", "分红", "股东", "回报",
                       "端", "能力", "方面", "情况", "指标", "数据", "要点", "结论", "事件", "点评", "季度", "年度"]
# words that bring the clause back to the company
COMPANY_WORDS = ["公司", "集团", "本公司"]

# a peer named next: the figures after "同业X" / "竞争对手X" are X's, not the subject's
PEER_WORDS = ["竞争对手", "同业公司", "同行公司", "同业", "友商", "竞对"]

# lines with no metric code: a figure after them is theirs, not the metric named before ("每股股息8港仙");
# "EPS per ADS" is per depositary share (several shares each), not the per-share `eps`
# "扣非前净利润": before the non-recurring deduction, net profit of the parent or the group (not said which)
UNCODED_LINE_WORDS = ["扣非前净利润", "扣非前净利", "扣非前",
                      "股息", "派息", "分红", "末期息", "中期息", "特别息", "现金红利", "每10股", "每十股",
                      "per ADS", "per ADR",
                      "per American depositary share", "每股美国存托股", "每股ADS", "每ADS", "每份美国存托股",
                      # a price change is no change of a line ("产品平均降价约30%")
                      "降价", "提价", "涨价", "调价", "均价", "单价"]
# a line of one region ("境内收入12.40亿元"): no company figure (the line before a region-coded segment name)
REGION_WORDS = ["境内", "境外", "国内", "国外", "海外", "省内", "省外", "内销", "外销"]

# intraday trading context: prices / turnover here are not closes (rule 10)
INTRADAY_WORDS = ["盘中", "早盘", "午盘", "尾盘", "截至发稿", "截止发稿", "暂报", "一度", "日内", "成交额", "盘初",
                  "收涨", "收跌", "涨超", "跌超", "涨幅", "跌幅"]

# a speaker's words ("管理层：四季度收入增速12%-15%", "董秘表示"): what they say of a quarter named with no year is
# the quarter to come, not the one a year before the results reviewed
SPEAKER_WORDS = ["管理层", "董秘", "董事长", "总经理", "总裁", "首席执行官", "首席财务官", "CEO", "CFO"]
SPEECH_MARKS = ["：", ":", "表示", "称", "指出"]

# "as of going to press": intraday while the market trades, the close in a note published after it
PRESS_TIME_WORDS = ["截至发稿", "截止发稿"]

# targets and thresholds (incentive plans, buy-backs): conditions, not results or forecasts
CONDITION_WORDS = ["考核目标", "业绩考核", "激励目标", "股权激励", "不低于", "不少于", "不超过", "触发值", "目标值"]
# lower bounds that are the company's guidance when it forecasts ("公司预计全年收入增长不低于35%"): kept as
# written, unless the sentence is about a target (考核目标…不低于 stays a condition)
GUIDANCE_BOUND_WORDS = ["不低于", "不少于"]

# compound growth and shares of a segment in another segment: never a fact (rule 10)
CAGR_WORDS = ["复合增长率", "年复合增速", "复合增速", "CAGR"]
SHARE_OF_WORDS = ["占"]
# "来自X的收入": revenue from a source, a fact only when X is a known segment
SOURCE_WORDS = ["来自于", "来自"]

# counted things: a number followed by one of these is an operating count, never an amount
COUNT_WORDS = ["个", "家", "项", "台", "张", "卡", "人", "次", "座", "架", "套", "片", "颗", "核", "户", "名", "条",
               "款", "位", "份", "所", "倍数", "EFLOPS", "PFLOPS", "P", "MW", "GW", "kW", "度", "亩", "平方米",
               "标准机架", "机柜", "年", "月", "日", "天", "季度", "周"]

# words after a company name in a title that mark where the name stops
COMPANY_SUFFIXES = ["科技", "股份", "集团", "控股", "数据", "智能", "信息", "网络", "软件", "云", "电子", "技术",
                    "通信", "医药", "生物", "能源", "电气", "电器", "汽车", "传媒", "证券", "银行", "动力", "材料",
                    "半导体", "微电子", "光电", "机器人", "互联", "教育", "健康", "物流", "文化", "-W", "-SW", "-B"]

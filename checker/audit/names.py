"""The audit's words for severities, rule families and formats, shared by its pages and its spreadsheet."""

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
FAMILY_NAMES = {
    "E": "输入",
    "S": "结构",
    "T": "表格",
    "A": "算术",
    "C": "一致性",
    "N": "内容",
    "D": "日期",
    "Q": "文字",
}
# the formats as a person names them
REGIME_NAMES = {
    "format-2021": "2021年版格式",
    "format-2019": "2019年版格式（试行）",
    "regulation-2008": "2008年条例时期（无统一格式）",
}

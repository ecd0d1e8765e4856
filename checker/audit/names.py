"""The audit's words for severities and rule families, shared by its pages and its spreadsheet."""

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

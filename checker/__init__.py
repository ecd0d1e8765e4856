"""xxgk-checker: checks 政府信息公开工作年度报告 against the regulation and the State Council formats."""

__version__ = "0.1.0"

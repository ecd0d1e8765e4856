"""xxgk-checker: checks 政府信息公开工作年度报告 against the regulation and the State Council formats."""

__version__ = "0.1.0"

__all__ = ["check_bytes", "check_path", "Report", "Finding", "Location", "__version__"]


def __getattr__(name):  # the API is imported when first used: `xxgk --version` stays fast
    if name in ("check_bytes", "check_path", "Report", "Finding", "Location"):
        from checker import api

        return getattr(api, name)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")

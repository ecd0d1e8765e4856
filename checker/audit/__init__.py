"""Supervisor audit: many reports checked in parallel, cross-report rules on their facts
(carry-over, stock-flow, 雷同), a score, and an HTML/JSON/CSV/XLSX audit report."""

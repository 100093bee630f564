"""kpitool: correct, honest quarterly KPI tables from CSV files."""

__version__ = "0.1.0"

"""Dashboards per kind of user, the statistics API, incremental aggregates and the offline map (Đ18, Đ19)."""

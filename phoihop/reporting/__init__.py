"""The six-monthly reporting cycle: periods and obligations, each party's report, the consolidated report to the
Provincial People's Committee, review meetings, difficulties and awareness activities (Đ18, Đ19, Đ4.1, Đ5.3, Đ9).
"""

"""Listing decisions on indicators verified as used for fraud, review dates, appeals, the public look-up and the
sharing of listed indicators (CSV, STIX 2.1, MISP) (Đ4.1, Đ5.3, Đ9).
"""

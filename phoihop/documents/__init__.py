"""Official documents (Decree 30/2020/NĐ-CP): drafts, the head's approval and PAdES signature, outgoing and incoming
registers, verification (Đ3.2, Đ4.5, Đ5.4).
"""

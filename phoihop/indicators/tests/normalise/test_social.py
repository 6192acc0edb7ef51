"""Social network accounts."""

from __future__ import annotations

import pytest

from phoihop.indicators.normalise import IndicatorKind, normalise, related

from .helpers import assert_idempotent, assert_invalid

K = IndicatorKind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("facebook.com/some.name", "facebook:some.name"),
        ("https://www.facebook.com/Some.Name/?ref=bookmarks", "facebook:some.name"),
        ("https://m.facebook.com/profile.php?id=100012345", "facebook:100012345"),
        ("fb.com/profile.php?id=100012345", "facebook:100012345"),
        ("https://www.facebook.com/people/Nguyen-Van-A/100012345678/", "facebook:100012345678"),
        ("facebook.com/groups/LuaDao123/", "facebook:groups/luadao123"),
        ("https://www.facebook.com/100012345678", "facebook:100012345678"),
        ("t.me/Scam_Bot", "telegram:scam_bot"),
        ("https://telegram.me/s/channelx", "telegram:channelx"),
        ("tiktok.com/@Shop.VN/video/7300000000000000000", "tiktok:shop.vn"),
        ("https://www.tiktok.com/@user_1", "tiktok:user_1"),
        ("zalo.me/0912345678", "zalo:+84912345678"),
        ("https://zalo.me/84912345678", "zalo:+84912345678"),
        ("zalo.me/4301234567890123456", "zalo:4301234567890123456"),  # official account id
        ("@Handle_1", "@handle_1"),
        ("facebook:Some.Name", "facebook:some.name"),
        ("fb: some.name", "facebook:some.name"),
        ("tg:@abcd", "telegram:abcd"),
        ("tiktok:@user", "tiktok:user"),
        ("zalo: 0912 345 678", "zalo:+84912345678"),
    ],
)
def test_social_accounts(raw, expected):
    ind = normalise(K.SOCIAL_ACCOUNT, raw)
    assert ind.valid and ind.value == expected
    assert_idempotent(K.SOCIAL_ACCOUNT, raw)


def test_zalo_account_relates_to_its_phone():
    ind = normalise(K.SOCIAL_ACCOUNT, "zalo.me/0912345678")
    assert [(r.kind, r.value) for r in related(ind)] == [(K.PHONE, "+84912345678")]
    assert related(normalise(K.SOCIAL_ACCOUNT, "t.me/scam_bot")) == []


@pytest.mark.parametrize(
    "raw",
    [
        "facebook.com",
        "facebook.com/share/abc123",
        "facebook.com/pages",
        "facebook.com/photo.php?fbid=1",
        "https://www.facebook.com/watch?v=1",
        "facebook.com/profile.php?id=abc",
        "t.me/+AbCdEf",
        "t.me/joinchat/xyz",
        "tiktok.com/foryou",
        "zalo.me/g/abcdef",
        "example.com/user",
        "myspace:abc",
        "hello world",
        "@",
    ],
)
def test_invalid_social_accounts(raw):
    assert_invalid(K.SOCIAL_ACCOUNT, raw, "social_account_invalid")

#!/usr/bin/env python
"""Intake benchmark: bulk throughput, growth to 1M reports, one public submission, indicator lookup.

Run from the project root (one command; see bench/README.md for what each figure means):

    .venv/bin/python bench/intake.py --reports 100000 --grow-to 1000000 --db sqlite
    .venv/bin/python bench/intake.py --reports 5000 --grow-to 20000 --db both      # a quick check

Every run works on a fresh database: an SQLite file in a temporary folder, or a new PostgreSQL
database named ``phoihop_bench_<pid>`` on ``--pg-url``. It is deleted at the end unless ``--keep``.
Everything goes through the real services (``report_submit_many``, ``report_submit``,
``indicator_lookup``, ``correlations_for``): nothing is stubbed, tasks are enqueued in the database.

``--db both`` runs the two databases one after the other, each in its own process (Django settings
are read once per process), then prints one combined summary.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, and bench/http.py would shadow the standard
# library's `http` package (Django imports it): take the folder off first.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import cProfile
import datetime as dt
import io
import json
import math
import os
import platform
import pstats
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432"
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

# --------------------------------------------------------------------------------------------------
# Synthetic data: what the enterprises and the public of Sóc Trăng report
# --------------------------------------------------------------------------------------------------

# Current mobile prefixes (without the trunk 0) that phonenumbers accepts with any 7-digit subscriber.
MOBILE_PREFIXES = (
    "90", "93", "70", "76", "77", "78", "79", "91", "94", "88", "81", "82", "83", "84", "85", "96",
    "97", "98", "86", "32", "33", "34", "35", "36", "37", "38", "39", "92", "56", "58", "59",
)  # fmt: skip
# The 2018 renumbering in reverse: today's prefix -> the 11-digit 01xx prefix people still write.
OLD_MOBILE_PREFIX = {
    "32": "162", "33": "163", "34": "164", "35": "165", "36": "166", "37": "167", "38": "168", "39": "169",
    "70": "120", "79": "121", "77": "122", "76": "126", "78": "128",
    "83": "123", "84": "124", "85": "125", "81": "127", "82": "129",
    "56": "186", "58": "188", "59": "199",
}  # fmt: skip
BANKS = ("VCB", "BIDV", "ICB", "VBA", "TCB", "MB", "ACB", "VPB", "TPB", "STB", "SHB", "HDB")
BANK_NAMES = {"VCB": "Vietcombank", "BIDV": "BIDV", "ICB": "VietinBank", "VBA": "Agribank", "TCB": "Techcombank"}
BRANDS = (
    "vietcombank", "techcombank", "mbbank", "bidv", "agribank", "vietinbank", "sacombank", "tpbank", "vpbank",
    "acb", "shopee", "lazada", "tiki", "dichvucong", "evn", "viettel", "vnpt", "momo",
    "zalopay", "vneid", "baohiem", "thue",
)  # fmt: skip
LURES = (
    "xacminh", "hotro", "khuyenmai", "vaynhanh", "nhanqua", "baomat", "capnhat", "dangnhap", "uudai", "tracuu",
    "hoantien",
)  # fmt: skip
TLDS = ("com", "net", "online", "xyz", "top", "vip", "info", "site", "com.vn", "vn", "click", "shop")
URL_PATHS = ("", "/", "/dang-nhap", "/xac-minh", "/nhan-thuong?id=2026", "/vay-nhanh", "/otp")
MAIL_HOSTS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "mail.ru")
SMS_BRANDS = ("BO CONG AN", "VIETCOMBANK", "KHUYEN MAI", "EVN", "TONG CUC THUE", "VNEID", "BHXH", "TPBANK")
FIRST_NAMES = (
    "an", "binh", "chi", "dung", "giang", "ha", "hoa", "hung", "khanh", "lan",
    "linh", "minh", "nam", "ngoc", "phuong", "quang", "thao", "trang", "tuan", "vy",
)  # fmt: skip
AMOUNTS = ("2 triệu đồng", "5.000.000đ", "20 triệu", "3.500.000 đồng", "150 triệu đồng", "800.000đ", "45 triệu")
STREETS = ("Trần Hưng Đạo", "Lê Lợi", "Nguyễn Văn Linh", "Hùng Vương", "Phú Lợi", "Lê Hồng Phong", "Mạc Đĩnh Chi")
SCAM_TEXTS = {
    "13.4": (
        "Thuê bao {phone} gọi đến khách hàng tự xưng là cán bộ công an {place}, yêu cầu chuyển {amount} vào tài "
        "khoản để 'xác minh' vì liên quan đến đường dây rửa tiền. Khách hàng đã phản ánh với tổng đài.",
        "Số {phone} phát sinh hàng trăm cuộc gọi ra trong một giờ, nhiều khách hàng ở {place} phản ánh bị giả "
        "danh nhân viên ngân hàng yêu cầu cung cấp mã OTP.",
        "Khách hàng nhận tin nhắn báo trúng thưởng xe máy, yêu cầu nộp phí {amount} và gọi lại số {phone} để "
        "nhận giải. Tin nhắn gửi hàng loạt trong địa bàn {place}.",
        "Có người gọi nhiều lần từ số {phone} đe dọa vì không trả nợ ứng dụng vay tiền, lời lẽ xúc phạm, "
        "gọi cả cho người thân của khách hàng.",
    ),
    "14.4": (
        "Trang web {url} giả mạo ngân hàng, yêu cầu nhập mật khẩu và mã OTP; khách hàng bị trừ {amount} "
        "trong tài khoản ngay sau đó.",
        "Nhóm Zalo mời đầu tư tiền ảo lãi 30% mỗi tháng, sau khi nạp {amount} thì không rút được tiền, "
        "liên hệ số {phone} không còn liên lạc được.",
        "Tài khoản Facebook của người thân bị chiếm đoạt, nhắn tin mượn {amount} chuyển vào tài khoản lạ.",
        "Giả danh nhân viên điện lực gọi báo cắt điện, gửi đường link {url} yêu cầu thanh toán tiền điện.",
    ),
    "15.3": (
        "Mua hàng trên mạng, đã chuyển khoản {amount} nhưng không nhận được hàng, người bán dùng số {phone} "
        "đã chặn liên lạc.",
        "Sàn giao dịch ảo {url} hứa hẹn lợi nhuận cao, khách hàng ở {place} đã nạp {amount} nhưng không rút được.",
        "Email giả mạo cơ quan thuế yêu cầu cập nhật thông tin qua đường link {url}, nhiều người đã làm theo.",
    ),
}
GENERIC_TEXT = (
    "Phát hiện hành vi vi phạm: {help}. Sự việc xảy ra tại {place} vào khoảng {hour} giờ, khách hàng đã "
    "phản ánh với doanh nghiệp."
)
# Behaviours weighted toward the scams that make most of the reports; the rest share what is left.
HOT_BEHAVIOURS = {"13.4": 30.0, "14.4": 20.0, "15.3": 20.0}
OTHER_BEHAVIOURS_SHARE = 25.0
NOT_SURE_SHARE = 5.0
# Share of each kind among the indicators written in the form's fields.
KIND_WEIGHTS = {
    "phone": 50,
    "bank_account": 20,
    "url": 15,
    "social_account": 6,
    "email": 4,
    "sms_sender": 4,
    "phone_typo": 1,
}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class DataSet:
    """A deterministic stream of realistic ReportInput rows.

    Indicators are drawn from pools sized from ``target`` (the number of reports the run will hold) so
    that values repeat: ``target // 5`` phone numbers, ``target // 8`` bank accounts, ``target // 10``
    web sites... A fifth of the draws hit a small "hot" pool (repeat scammers), the rest are uniform.
    Each value is written in varied ways ("0912 345 678", "+84912345678", "0162 345 6789"...), so the
    normaliser has work to do and different spellings meet on one key.
    """

    def __init__(self, *, seed: int, target: int, behaviours: list[Any], areas: list[Any]):
        from phoihop.intake.services import ContactInput, IndicatorInput, ReportInput

        self._ReportInput, self._IndicatorInput, self._ContactInput = ReportInput, IndicatorInput, ContactInput
        self.rng = random.Random(seed)
        self.seed = seed
        self.target = max(target, 1000)
        self.pools = {
            "phone": self.target // 5,
            "bank_account": self.target // 8,
            "url": self.target // 10,
            "social_account": self.target // 20,
            "email": self.target // 50,
        }
        self.hot = {kind: max(10, size // 400) for kind, size in self.pools.items()}
        self.behaviours = {b.code: b for b in behaviours}
        others = [code for code in self.behaviours if code not in HOT_BEHAVIOURS]
        self.behaviour_weights = {code: w for code, w in HOT_BEHAVIOURS.items() if code in self.behaviours}
        self.behaviour_weights |= {code: OTHER_BEHAVIOURS_SHARE / len(others) for code in others}
        self.behaviour_weights[""] = NOT_SURE_SHARE
        self.areas = [(a.code, a.name) for a in areas]
        self.produced = 0

    # -- pools -------------------------------------------------------------------------------------

    def _index(self, kind: str) -> int:
        if self.rng.random() < 0.2:
            return self.rng.randrange(self.hot[kind])
        return self.rng.randrange(self.pools[kind])

    @staticmethod
    def phone_nsn(index: int) -> str:
        """The national number (9 digits, no trunk 0) of phone ``index``: a bijection on 0..310M."""
        prefix = MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]
        subscriber = (index // len(MOBILE_PREFIXES) * 7_368_787 + 1_234_567) % 10_000_000  # 7368787 ⊥ 10
        return f"{prefix}{subscriber:07d}"

    def phone_written(self, index: int) -> str:
        nsn = self.phone_nsn(index)
        old = OLD_MOBILE_PREFIX.get(nsn[:2])
        roll = self.rng.random()
        if old and roll < 0.25:  # still written with the pre-2018 11-digit prefix
            sub = nsn[2:]
            return f"0{old} {sub[:3]} {sub[3:]}" if roll < 0.15 else f"0{old}{sub}"
        forms = (
            f"0{nsn[:3]} {nsn[3:6]} {nsn[6:]}",
            f"0{nsn}",
            f"+84{nsn}",
            f"+84 {nsn[:2]} {nsn[2:5]} {nsn[5:]}",
            f"0{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}",
            f"84-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}",
            f"(+84) {nsn}",
        )
        return self.rng.choices(forms, weights=(30, 25, 15, 10, 10, 5, 5))[0]

    def _bank_account(self, index: int) -> tuple[str, str | None]:
        length = 10 + index % 5
        span = 9 * 10 ** (length - 1)  # a bijection on the numbers of that length (48271117 ⊥ 2, 3, 5)
        digits = str(10 ** (length - 1) + (index * 48_271_117 + 7_777_777) % span)
        bank = BANKS[index % len(BANKS)]
        roll = self.rng.random()
        if roll < 0.15:
            return digits, None  # the reporter did not say which bank
        if roll < 0.25 and bank in BANK_NAMES:
            return f"{digits[:4]} {digits[4:8]} {digits[8:]}", BANK_NAMES[bank]
        return digits, bank

    def _domain(self, index: int) -> str:
        brand = BRANDS[index % len(BRANDS)]
        lure = LURES[(index // len(BRANDS)) % len(LURES)]
        tld = TLDS[(index // 7) % len(TLDS)]
        return f"{brand}-{lure}{index}.{tld}"

    def _url(self, index: int) -> str:
        domain = self._domain(index)
        path = self.rng.choice(URL_PATHS)
        roll = self.rng.random()
        if roll < 0.4:
            return f"https://{domain}{path}"
        if roll < 0.6:
            return f"http://www.{domain}{path}"
        if roll < 0.85:
            return domain + path
        return f"hxxps://{domain.replace('.', '[.]')}{path}"  # defanged, as analysts write it

    def _social(self, index: int) -> str:
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]}.{FIRST_NAMES[(index // 20) % 20]}.{index}"
        roll = self.rng.random()
        if roll < 0.6:
            return f"https://www.facebook.com/{name}"
        if roll < 0.8:
            return f"t.me/{name.replace('.', '_')}"
        return f"https://www.tiktok.com/@{name.replace('.', '_')}"

    def _email(self, index: int) -> str:
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]}.hotro{index}"
        return f"{name}@{MAIL_HOSTS[index % len(MAIL_HOSTS)]}"

    def indicator(self) -> Any:
        """One indicator as written in a form field."""
        kind = _weighted(self.rng, KIND_WEIGHTS)
        make = self._IndicatorInput
        if kind == "phone":
            return make("phone", self.phone_written(self._index("phone")))
        if kind == "phone_typo":  # a digit missing: kept as written and flagged invalid
            return make("phone", self.phone_written(self._index("phone"))[:-1])
        if kind == "bank_account":
            value, bank = self._bank_account(self._index("bank_account"))
            return make("bank_account", value, bank)
        if kind == "url":
            return make("url", self._url(self._index("url")))
        if kind == "social_account":
            return make("social_account", self._social(self._index("social_account")))
        if kind == "email":
            return make("email", self._email(self._index("email")))
        return make("sms_sender", self.rng.choice(SMS_BRANDS))

    # -- reports -----------------------------------------------------------------------------------

    def description(self, behaviour: str, area_name: str, phone: str | None, url: str | None) -> str:
        rng = self.rng
        templates = SCAM_TEXTS.get(behaviour)
        values = {
            "place": area_name,
            "amount": rng.choice(AMOUNTS),
            "hour": rng.randrange(6, 23),
            "phone": phone or self.phone_written(self._index("phone")),
            "url": url or self._url(self._index("url")),
        }
        if templates:
            return rng.choice(templates).format(**values)
        help_text = self.behaviours[behaviour].help_vi if behaviour else "không rõ thuộc loại vi phạm nào"
        return GENERIC_TEXT.format(help=help_text[0].lower() + help_text[1:], **values)

    def report(self, *, with_ref: bool = True, n_indicators: int | None = None) -> Any:
        rng = self.rng
        self.produced += 1
        behaviour = _weighted(rng, self.behaviour_weights)
        area_code, area_name = rng.choice(self.areas)
        count = n_indicators or rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        indicators = [self.indicator() for _ in range(count)]
        phone = next((i.value for i in indicators if i.kind == "phone"), None)
        url = next((i.value for i in indicators if i.kind == "url"), None)
        contact = None
        if rng.random() < 0.1:
            contact = self._ContactInput(
                name=f"Khách hàng {rng.choice(FIRST_NAMES).title()}",
                phone=f"0{self.phone_nsn(rng.randrange(10**6, 10**7))}",
                consent=True,
            )
        return self._ReportInput(
            description=self.description(behaviour, area_name, phone, url),
            behaviour=behaviour or None,
            area=area_code,
            address=f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}" if rng.random() < 0.4 else "",
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 30)),
            indicators=indicators,
            contact=contact,
            on_behalf_of="Khách hàng thuê bao" if rng.random() < 0.1 else "",
            external_ref=f"BENCH-{self.seed}-{self.produced:07d}" if with_ref else "",
        )

    def rows(self, n: int) -> list[Any]:
        return [self.report() for _ in range(n)]


# --------------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------------


@dataclass
class Target:
    """A fresh database for one run and the temporary folder used as PHOIHOP_VAR_DIR."""

    kind: str  # "sqlite" or "postgres"
    pg_url: str = DEFAULT_PG_URL
    pg_options: str = ""  # a query string for DATABASE_URL, e.g. "server_side_binding=true"
    var_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="phoihop_bench_")))
    pg_name: str = ""

    @property
    def url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.var_dir / 'bench.sqlite3'}"
        url = f"{self.pg_url.rstrip('/')}/{self.pg_name}"
        return f"{url}?{self.pg_options}" if self.pg_options else url

    def create(self) -> None:
        if self.kind == "postgres":
            self.pg_name = f"phoihop_bench_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}"', f'CREATE DATABASE "{self.pg_name}"')

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.kind == "postgres" and self.pg_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def size_bytes(self) -> int:
        from django.db import connection

        if self.kind == "postgres":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_database_size(current_database())")
                return int(cur.fetchone()[0])
        return sum(p.stat().st_size for p in self.var_dir.glob("bench.sqlite3*"))

    def server_version(self) -> str:
        from django.db import connection

        if self.kind == "postgres":
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                return f"PostgreSQL {cur.fetchone()[0]}"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"

    def autovacuum_off(self) -> bool:
        """Whether the PostgreSQL server runs without autovacuum (then nothing ever gathers statistics)."""
        from django.db import connection

        if self.kind != "postgres":
            return False
        with connection.cursor() as cur:
            cur.execute("SHOW autovacuum")
            return cur.fetchone()[0] == "off"

    def analyze(self) -> None:
        """PostgreSQL only: what autovacuum would have done after a large load (SQLite is left alone,
        as the application never runs ANALYZE on it)."""
        from django.db import connection

        if self.kind == "postgres":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")


def setup_django(target: Target) -> None:
    """Point the settings at the fresh database, then set Django up (the env is read only here)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PHOIHOP_VAR_DIR"] = str(target.var_dir)
    os.environ["DATABASE_URL"] = target.url
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory and slows everything down
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass
class Actors:
    enterprise: Any  # the API user of st-viettel (enterprise_reporter)
    dic_focal: Any  # a DIC focal point, for the report page's correlation query


def prepare_database() -> Actors:
    """Migrate, load the 2013 rule set, create the users."""
    from django.core.management import call_command

    from phoihop.audit.services import SYSTEM
    from phoihop.directory.choices import Role
    from phoihop.directory.models import Organisation, User
    from phoihop.directory.services import api_token_issue
    from phoihop.rulesets.services import ruleset_load

    call_command("migrate", interactive=False, verbosity=0)
    ruleset_load(code_or_path="soctrang-2013")
    token, _key = api_token_issue(organisation=Organisation.objects.get(code="st-viettel"), name="bench", ctx=SYSTEM)
    dic = User.objects.create_user(
        username="dic.focal", organisation=Organisation.objects.get(code="st-dic"), role=Role.FOCAL_POINT
    )
    return Actors(enterprise=token.user, dic_focal=dic)


def new_dataset(seed: int, target: int) -> DataSet:
    from phoihop.directory.models import AdministrativeUnit
    from phoihop.taxonomy.models import Behaviour

    behaviours = list(Behaviour.objects.filter(is_active=True).order_by("position", "code"))
    districts = list(AdministrativeUnit.objects.filter(parent__code="st").order_by("code"))
    return DataSet(seed=seed, target=target, behaviours=behaviours, areas=districts)


# --------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timing_stats(samples_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "median_ms": round(statistics.median(samples_ms), 3),
        "p95_ms": round(percentile(samples_ms, 95), 3),
        "min_ms": round(min(samples_ms), 3),
        "max_ms": round(max(samples_ms), 3),
    }


@dataclass
class AutoAnalyze:
    """Stands in for autovacuum's ANALYZE where the server has autovacuum off.

    Autovacuum analyses a table once 50 rows + 10 % of it have changed (the defaults); without it the
    planner works from no statistics at all and picks plans no production server would. Run between
    batches, outside their timing, as autovacuum runs beside the application.
    """

    enabled: bool
    last: int = 0
    runs: int = 0
    seconds: float = 0.0

    def __call__(self, stored: int) -> None:
        from django.db import connection

        if not self.enabled or stored - self.last <= 50 + 0.1 * self.last:
            return
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        self.seconds += time.perf_counter() - start
        self.runs += 1
        self.last = stored

    def as_dict(self) -> dict[str, Any]:
        return {"emulated": self.enabled, "runs": self.runs, "seconds": round(self.seconds, 1)}


@dataclass
class BulkRunner:
    """Feeds the bulk path batch by batch, exactly as the import endpoint does."""

    data: DataSet
    user: Any
    chunk: int
    retries: int = 0
    created: int = 0
    last_cpu_seconds: float = 0.0  # CPU time of this process in the last call (the rest is waiting)
    after_batch: Any = None  # called with the number of reports created so far, outside the timing

    def submit(self, rows: list[Any]) -> tuple[int, float]:
        """(reports created, seconds) for one report_submit_many call over ``rows``.

        A tracking-code collision (no retry in _new_reference) aborts the call with IntegrityError;
        the batch is then submitted again, which is safe: rows already written are replays.
        """
        from django.db import IntegrityError

        from phoihop.audit.services import AuditContext
        from phoihop.intake.choices import Channel
        from phoihop.intake.services import report_submit_many

        ctx = AuditContext(actor=self.user)
        created, start, cpu_start = 0, time.perf_counter(), time.process_time()
        for _attempt in range(5):
            try:
                results = report_submit_many(rows=rows, channel=Channel.BULK, ctx=ctx, chunk=self.chunk)
            except IntegrityError as exc:
                self.retries += 1
                print(f"    ! IntegrityError, batch resubmitted: {exc}", flush=True)
                continue
            bad = [r for r in results if r.errors]
            if bad:
                raise SystemExit(f"the generator produced invalid rows, e.g. row {bad[0].row}: {bad[0].errors}")
            created = sum(r.created for r in results)
            break
        seconds = time.perf_counter() - start
        self.last_cpu_seconds = time.process_time() - cpu_start
        self.created += created
        if self.after_batch is not None:
            self.after_batch(self.created)
        return created, seconds


def measure_throughput(runner: BulkRunner, reports: int, slice_size: int) -> dict[str, Any]:
    """Reports/s of each ``slice_size`` batch from an empty database to ``reports`` reports."""
    print(f"\n== Bulk intake throughput: {reports:,} reports in slices of {slice_size:,}", flush=True)
    print(f"  {'slice':>17}  {'reports/s':>9}  {'seconds':>8}  {'python CPU s':>12}", flush=True)
    slices = []
    while runner.created < reports:
        rows = runner.data.rows(min(slice_size, reports - runner.created))
        before = runner.created
        created, seconds = runner.submit(rows)
        rate = created / seconds
        cpu = runner.last_cpu_seconds
        slices.append(
            {
                "from": before,
                "to": runner.created,
                "seconds": round(seconds, 3),
                "cpu": round(cpu, 3),
                "rate": round(rate, 1),
            }
        )
        print(f"  {before:>8,}–{runner.created:<8,}  {rate:>9.1f}  {seconds:>8.1f}  {cpu:>12.1f}", flush=True)
    rates = [s["rate"] for s in slices]
    total_s = sum(s["seconds"] for s in slices)
    out = {
        "reports": runner.created,
        "slice_size": slice_size,
        "slices": slices,
        "median_rate": round(statistics.median(rates), 1),
        "min_rate": min(rates),
        "max_rate": max(rates),
        "first_rate": rates[0],
        "last_rate": rates[-1],
        "overall_rate": round(runner.created / total_s, 1),
        "seconds": round(total_s, 1),
    }
    print(
        f"  median {out['median_rate']} reports/s (min {out['min_rate']}, max {out['max_rate']}, "
        f"overall {out['overall_rate']}), {total_s:.0f} s",
        flush=True,
    )
    return out


def profile_batch(runner: BulkRunner, rows: int, tag: str) -> dict[str, Any]:
    """cProfile one report_submit_many call of ``rows`` rows; top functions by cumulative time."""
    print(f"\n== cProfile of one bulk batch of {rows:,} rows ({runner.created:,} reports stored)", flush=True)
    batch = runner.data.rows(rows)
    profiler = cProfile.Profile()
    profiler.enable()
    created, seconds = runner.submit(batch)
    profiler.disable()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    prof_path = OUT_DIR / f"profile-{tag}.prof"
    profiler.dump_stats(prof_path)
    text = {}
    for order in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(25)
        text[order] = stream.getvalue()
    print(text["cumulative"], flush=True)
    print(text["tottime"], flush=True)
    (OUT_DIR / f"profile-{tag}.txt").write_text(text["cumulative"] + "\n" + text["tottime"], encoding="utf-8")
    print(f"  {created / seconds:.1f} reports/s under the profiler; stats in {prof_path}", flush=True)
    return {"rows": rows, "seconds_profiled": round(seconds, 2), "file": str(prof_path.relative_to(ROOT))}


def grow(runner: BulkRunner, target: int, batch: int) -> dict[str, Any]:
    """Fill the database to ``target`` reports through the same bulk path, timing every batch."""
    start_count = runner.created
    print(f"\n== Growing from {start_count:,} to {target:,} reports (bulk path, batches of {batch:,})", flush=True)
    batches, start = [], time.perf_counter()
    while runner.created < target:
        rows = runner.data.rows(min(batch, target - runner.created))
        created, seconds = runner.submit(rows)
        elapsed = time.perf_counter() - start
        done = runner.created - start_count
        eta = elapsed / done * (target - runner.created) if done else 0
        cpu = runner.last_cpu_seconds
        batches.append(
            {
                "to": runner.created,
                "seconds": round(seconds, 3),
                "cpu": round(cpu, 3),
                "rate": round(created / seconds, 1),
            }
        )
        print(
            f"  {runner.created:>10,}  {created / seconds:7.1f} reports/s  {seconds:6.1f} s ({cpu:5.1f} s python CPU)"
            f"  elapsed {_hms(elapsed)}  eta {_hms(eta)}",
            flush=True,
        )
    seconds = time.perf_counter() - start
    rates = [b["rate"] for b in batches] or [0.0]
    tail = rates[-5:]
    out = {
        "from": start_count,
        "to": runner.created,
        "seconds": round(seconds, 1),
        "rate": round((runner.created - start_count) / seconds, 1) if seconds else 0.0,
        "median_batch_rate": round(statistics.median(rates), 1),
        "last_batches_median_rate": round(statistics.median(tail), 1),
        "batches": batches,
    }
    print(f"  grown in {_hms(seconds)} ({out['rate']} reports/s)", flush=True)
    return out


def top_up_indicators(data: DataSet, minimum: int) -> dict[str, Any]:
    """Insert distinct phone indicators (never drawn by the generator) until ``minimum`` exist."""
    from phoihop.indicators.models import Indicator

    existing = Indicator.objects.count()
    added, index, start = 0, data.pools["phone"], time.perf_counter()
    while existing + added < minimum:
        n = min(10_000, minimum - existing - added)
        rows = [Indicator(kind="phone", value=f"+84{data.phone_nsn(index + k)}") for k in range(n)]
        Indicator.objects.bulk_create(rows, ignore_conflicts=True)
        index += n
        added += n
    total = Indicator.objects.count()
    if added:
        print(f"\n== Added {total - existing:,} distinct indicators to reach {total:,}", flush=True)
    return {"from_reports": existing, "added": total - existing, "total": total, "seconds": _since(start)}


def measure_public_submission(data: DataSet, samples: int, warmup: int = 5) -> dict[str, Any]:
    """report_submit through the web form's door: public context, channel web, one phone indicator.

    Each call builds its own IntakeContext, as a web request does.
    """
    from phoihop.audit.services import AuditContext
    from phoihop.intake.choices import Channel
    from phoihop.intake.services import report_submit

    print(f"\n== One public submission (report_submit, channel web), {samples} samples", flush=True)
    ctx = AuditContext(label="public")
    timings = []
    for i in range(warmup + samples):
        row = data.report(with_ref=False, n_indicators=1)
        phone = data.phone_written(data._index("phone"))
        row.indicators = [data._IndicatorInput("phone", phone)]
        row.description = (
            f"Tôi nhận được cuộc gọi từ số {phone} tự xưng là nhân viên ngân hàng, yêu cầu đọc mã OTP để "
            "nhận quà tri ân khách hàng. Tôi không làm theo và báo lại để cơ quan chức năng xử lý."
        )
        row.on_behalf_of = ""
        start = time.perf_counter()
        report_submit(data=row, channel=Channel.WEB, ctx=ctx)
        if i >= warmup:
            timings.append((time.perf_counter() - start) * 1000)
    out = timing_stats(timings)
    print(f"  median {out['median_ms']} ms, p95 {out['p95_ms']} ms", flush=True)
    return out


def measure_api_submission(data: DataSet, user: Any, samples: int, warmup: int = 3) -> dict[str, Any]:
    """report_submit as the REST API calls it: the enterprise's user, channel api, its own external_ref.

    The only extra work over the public door is the idempotency check on (organisation, external_ref),
    which runs against every report that organisation has already sent.
    """
    from phoihop.audit.services import AuditContext
    from phoihop.intake.choices import Channel
    from phoihop.intake.services import report_submit

    print(f"\n== One enterprise API submission (report_submit, channel api, external_ref), {samples} samples")
    ctx = AuditContext(actor=user)
    timings = []
    for i in range(warmup + samples):
        row = data.report(n_indicators=1)
        row.external_ref = f"API-{data.seed}-{i:05d}"
        start = time.perf_counter()
        report_submit(data=row, channel=Channel.API, ctx=ctx)
        if i >= warmup:
            timings.append((time.perf_counter() - start) * 1000)
    out = timing_stats(timings)
    print(f"  median {out['median_ms']} ms, p95 {out['p95_ms']} ms", flush=True)
    return out


def _sample_pks(model: Any, n: int, rng: random.Random) -> list[int]:
    from django.db.models import Max, Min

    bounds = model.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    wanted = {rng.randint(bounds["lo"], bounds["hi"]) for _ in range(n * 2)}
    found = list(model.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    rng.shuffle(found)
    return found[:n]


def measure_lookup(actors: Actors, samples: int, seed: int) -> dict[str, Any]:
    """indicator_lookup by (kind, value), and correlations_for a report as a DIC focal point sees it."""
    from phoihop.indicators.models import Indicator
    from phoihop.indicators.selectors import indicator_lookup
    from phoihop.intake.models import Report, ReportIndicator
    from phoihop.intake.selectors import correlations_for

    rng = random.Random(seed)
    print(f"\n== Indicator lookup and correlations, {samples} samples each", flush=True)
    keys = list(Indicator.objects.filter(pk__in=_sample_pks(Indicator, samples, rng)).values_list("kind", "value"))
    rng.shuffle(keys)
    lookups = []
    for kind, value in keys:
        start = time.perf_counter()
        hit = indicator_lookup(kind, value)
        lookups.append((time.perf_counter() - start) * 1000)
        assert hit is not None
    misses = []
    for k in range(min(samples, 100)):
        start = time.perf_counter()
        indicator_lookup("phone", f"+8400000{k:05d}")
        misses.append((time.perf_counter() - start) * 1000)

    user = actors.dic_focal
    reports = list(Report.objects.filter(pk__in=_sample_pks(Report, samples, rng)))
    correlations, links = [], []
    for report in reports:
        start = time.perf_counter()
        found = correlations_for(user, report)
        correlations.append((time.perf_counter() - start) * 1000)
        links.append(len(found))

    hot = Indicator.objects.order_by("-report_count").first()
    hot_report = Report.objects.get(pk=ReportIndicator.objects.filter(indicator=hot).values("report_id")[:1])
    hot_timings = []
    for _ in range(min(samples, 30)):
        start = time.perf_counter()
        correlations_for(user, hot_report)
        hot_timings.append((time.perf_counter() - start) * 1000)
    out = {
        "lookup_hit": timing_stats(lookups),
        "lookup_miss": timing_stats(misses),
        "correlations": timing_stats(correlations) | {"mean_indicators_per_report": statistics.mean(links)},
        "correlations_hottest": timing_stats(hot_timings)
        | {"indicator": f"{hot.kind}:{hot.value}", "report_count": hot.report_count},
    }
    for name, stats in out.items():
        print(f"  {name:22} median {stats['median_ms']} ms, p95 {stats['p95_ms']} ms", flush=True)
    return out


def table_counts() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    from phoihop.audit.models import AuditEvent
    from phoihop.inbox.models import Delivery
    from phoihop.indicators.models import Indicator
    from phoihop.intake.models import Report, ReporterContact, ReportIndicator

    models = {
        "reports": Report,
        "indicators": Indicator,
        "report_indicators": ReportIndicator,
        "deliveries": Delivery,
        "contacts": ReporterContact,
        "audit_events": AuditEvent,
        "tasks": DBTaskResult,
    }
    return {name: model.objects.count() for name, model in models.items()}


# --------------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------------


def _hms(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 1)


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "?")
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def tree_state() -> dict[str, Any]:
    """What was measured: the commit, the files changed since, the migrations applied (read-only git)."""

    def git(*cmd: str) -> str:
        done = subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder.Migration.objects.filter(app__in=["intake", "cases", "audit"]).order_by("app", "id")
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": git("status", "--porcelain").splitlines(),
        "migrations": [f"{m.app}.{m.name}" for m in applied],
    }


def _cpu_rates(batches: list[dict[str, Any]], start: int) -> list[float]:
    """Reports per second of this process's CPU time, batch by batch (SQLite's work included, not PostgreSQL's)."""
    rates, before = [], start
    for batch in batches:
        rates.append((batch["to"] - batch.get("from", before)) / batch["cpu"])
        before = batch["to"]
    return rates


def command_line(options: dict[str, Any], db: str) -> str:
    """The command that reproduces a run, from its options (defaults left out)."""
    parts = [".venv/bin/python", "bench/intake.py", "--reports", str(options["reports"])]
    parts += ["--grow-to", str(options["grow_to"]), "--db", db]
    defaults = {"slice": 10_000, "chunk": 500, "samples": 200, "min_indicators": 0, "profile": 0, "seed": 2013}
    defaults |= {"pg_options": ""}
    for name, default in defaults.items():
        if options.get(name, default) != default:
            parts += [f"--{name.replace('_', '-')}", str(options[name])]
    return shlex.join(parts)


def _fmt_rate(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} reports/s"


def _fmt_ms(stats: dict | None) -> str:
    return "–" if not stats else f"{stats['median_ms']:.1f} / {stats['p95_ms']:.1f} ms"


def summary_markdown(results: list[dict[str, Any]]) -> str:
    """The README block: one column per database."""
    cols = [DB_LABELS[r["db"]] for r in results]

    def row(label: str, fn) -> str:
        cells = []
        for r in results:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
                cells.append("–")  # a figure this run did not measure
        return f"| {label} | " + " | ".join(cells) + " |"

    first = results[0]
    n = first["options"]["reports"]
    grow_to = first["options"]["grow_to"]
    slice_size = first["options"]["slice"]
    command = command_line(first["options"], results[0]["db"] if len(results) == 1 else "both")
    lines = [
        f"Measured {first['finished_at'][:10]} with `{command}`",
        "",
        f"Machine: {first['machine']['nproc']} cores ({first['machine']['cpu']}), {first['machine']['ram_gib']} GiB "
        f"RAM, shared; Python {first['machine']['python']}, Django {first['machine']['django']}; "
        + ", ".join(r["db_version"] for r in results)
        + f". Code: commit {first['tree']['commit']}"
        + (f" plus {len(first['tree']['changed_files'])} uncommitted files" if first["tree"]["changed_files"] else "")
        + ".",
        "",
        "| Figure | " + " | ".join(cols) + " |",
        "|---|" + "---:|" * len(cols),
        row(
            f"Bulk intake, median of {slice_size // 1000}k slices, 0 → {n:,} reports",
            lambda r: _fmt_rate(r["throughput"]["median_rate"]),
        ),
        row(
            "… first / last slice (flat if close)",
            lambda r: f"{r['throughput']['first_rate']:,.0f} / {r['throughput']['last_rate']:,.0f}",
        ),
        row(
            "… per CPU-second of the Python process, first / last slice (what contention cannot blur)",
            lambda r: " / ".join(f"{_cpu_rates(r['throughput']['slices'], 0)[i]:,.0f}" for i in (0, -1)),
        ),
        row(
            f"Growth {first['grow']['from']:,} → {first['grow']['to']:,} reports (bulk path), wall time",
            lambda r: f"{_hms(r['grow']['seconds'])} ({r['grow']['rate']:,.0f} reports/s)",
        ),
        row(
            f"Bulk intake, last {slice_size // 1000}k batches before {grow_to:,} (median of 5)",
            lambda r: _fmt_rate(r["grow"]["last_batches_median_rate"]),
        ),
        row(
            "… per CPU-second of the Python process, median of the last 5 batches",
            lambda r: f"{statistics.median(_cpu_rates(r['grow']['batches'], r['grow']['from'])[-5:]):,.0f}",
        ),
        row(
            f"One public submission, {grow_to:,} stored (median / p95, n={first['options']['samples']})",
            lambda r: _fmt_ms(r["public_submission"]),
        ),
        row(
            f"One enterprise API submission with its own reference, {grow_to:,} stored (median / p95)",
            lambda r: _fmt_ms(r["api_submission"]),
        ),
        row(
            "Indicator lookup by value (median / p95)",
            lambda r: _fmt_ms(r["lookup"]["lookup_hit"]),
        ),
        row(
            "Correlations of a random report, DIC view (median / p95)",
            lambda r: _fmt_ms(r["lookup"]["correlations"]),
        ),
        row(
            "Correlations of a report with the most-reported indicator",
            lambda r: (
                _fmt_ms(r["lookup"]["correlations_hottest"])
                + f" ({r['lookup']['correlations_hottest']['report_count']:,} reports)"
            ),
        ),
        row(
            "Stored: reports / indicators / indicator links / deliveries",
            lambda r: " / ".join(
                f"{r['counts'][k]:,}" for k in ("reports", "indicators", "report_indicators", "deliveries")
            ),
        ),
        row("Database size", lambda r: f"{r['db_size_bytes'] / 1024**3:.2f} GiB"),
        row("Total run time", lambda r: _hms(r["total_seconds"])),
        "",
        "Notes: every figure goes through the real services (validation, normalisation, routing, correlation, "
        "audit chain, tasks enqueued in the database). Reports/s are reports created per second of "
        f"`report_submit_many` calls of {slice_size:,} rows (chunks of {first['options']['chunk']}), data "
        "generation excluded. Latencies exclude building the input. "
        + "; ".join(f"{DB_LABELS[r['db']]}: {r['notes']}" for r in results if r.get("notes")),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark against one database, in this process."""
    t0 = time.perf_counter()
    target = Target(args.db, pg_url=args.pg_url, pg_options=args.pg_options)
    target.create()
    print(f"# {DB_LABELS[args.db]} at {target.url}", flush=True)
    result: dict[str, Any] = {"db": args.db, "options": vars(args).copy(), "started_at": _now()}
    try:
        setup_django(target)
        result["machine"] = machine()
        result["db_version"] = target.server_version()
        result["load_average_start"] = os.getloadavg()
        start = time.perf_counter()
        actors = prepare_database()
        result["setup_seconds"] = _since(start)
        result["tree"] = tree_state()
        data = new_dataset(args.seed, max(args.grow_to, args.reports))
        auto_analyze = AutoAnalyze(enabled=target.autovacuum_off())
        runner = BulkRunner(data=data, user=actors.enterprise, chunk=args.chunk, after_batch=auto_analyze)

        result["throughput"] = measure_throughput(runner, args.reports, args.slice)
        if args.profile:
            result["profile"] = profile_batch(runner, args.profile, f"{args.db}-{args.tag}")
        # With --profile, the last ROWS reports are a second profiled batch: where the time goes at full size.
        end_profile = args.profile if args.profile and args.grow_to - args.profile > runner.created else 0
        result["grow"] = grow(runner, args.grow_to - end_profile, args.slice)
        if end_profile:
            result["profile_end"] = profile_batch(runner, end_profile, f"{args.db}-{args.tag}-end")
        result["indicators_top_up"] = top_up_indicators(data, args.min_indicators or args.grow_to)
        target.analyze()
        result["public_submission"] = measure_public_submission(data, args.samples)
        result["api_submission"] = measure_api_submission(data, actors.enterprise, max(20, args.samples // 4))
        result["lookup"] = measure_lookup(actors, args.samples, args.seed + 1)
        result["counts"] = table_counts()
        result["db_size_bytes"] = target.size_bytes()
        result["reference_collisions_retried"] = runner.retries
        result["auto_analyze"] = auto_analyze.as_dict()
        notes = []
        if auto_analyze.enabled:
            notes.append(
                f"the server runs with autovacuum off, so ANALYZE was run whenever the reports grew by 10 % "
                f"(autovacuum's default), {auto_analyze.runs} times, {auto_analyze.seconds:.0f} s, outside the timings"
            )
        if args.db == "postgres":
            notes.append("ANALYZE run after loading (as autovacuum would)")
        if result["indicators_top_up"]["added"]:
            notes.append(f"{result['indicators_top_up']['added']:,} distinct phone indicators added directly")
        if runner.retries:
            notes.append(f"{runner.retries} batch(es) resubmitted after a tracking-code collision")
        result["notes"] = ", ".join(notes)
    finally:
        if args.keep:
            print(f"\nkept: {target.url} (PHOIHOP_VAR_DIR={target.var_dir})", flush=True)
        else:
            target.drop()
    result["load_average_end"] = os.getloadavg()
    result["total_seconds"] = _since(t0)
    result["finished_at"] = _now()
    return result


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    p.add_argument("--reports", type=int, default=100_000, help="reports for the throughput figure (default 100k)")
    p.add_argument("--grow-to", type=int, default=1_000_000, help="reports stored before the latency figures")
    p.add_argument("--slice", type=int, default=10_000, help="rows per report_submit_many call (default 10k)")
    p.add_argument("--chunk", type=int, default=500, help="report_submit_many's chunk (rows per transaction)")
    p.add_argument("--samples", type=int, default=200, help="samples per latency figure (default 200)")
    p.add_argument("--min-indicators", type=int, default=0, help="indicators stored before lookups (default: grow-to)")
    p.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="ROWS",
        help="cProfile a bulk batch of ROWS rows at 0+reports and at grow-to",
    )
    p.add_argument("--seed", type=int, default=2013)
    p.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL server, without the database name")
    p.add_argument("--pg-options", default="", help="DATABASE_URL options, e.g. server_side_binding=true")
    p.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    p.add_argument("--tag", default=dt.datetime.now().strftime("%Y%m%d-%H%M%S"), help="name of the output files")
    p.add_argument("--from-json", type=Path, nargs="+", metavar="JSON", help="only print the summary of saved runs")
    p.add_argument("--json-out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.grow_to = max(args.grow_to, args.reports)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    raw_argv = sys.argv[1:] if argv is None else argv
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.from_json:
        results = []
        for path in args.from_json:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            results += loaded if isinstance(loaded, list) else [loaded]
        print(summary_markdown(results))
        return
    if args.db == "both":
        results = []
        for db in ("sqlite", "postgres"):
            path = OUT_DIR / f"intake-{db}-{args.tag}.json"
            child = [sys.executable, str(Path(__file__).resolve()), *_replace_db(raw_argv, db), "--json-out", str(path)]
            subprocess.run([*child, "--tag", args.tag], check=True)
            results.append(json.loads(path.read_text(encoding="utf-8")))
        out_path = OUT_DIR / f"intake-both-{args.tag}.json"
    else:
        result = run_one(args)
        results = [result]
        out_path = args.json_out or OUT_DIR / f"intake-{args.db}-{args.tag}.json"
        out_path.write_text(json.dumps(result, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
        if args.json_out:  # a child of --db both: the parent prints the summary
            return
    summary = summary_markdown(results)
    if args.db == "both":
        out_path.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False), encoding="utf-8")
    print("\n" + summary + "\n", flush=True)
    print(f"raw numbers: {out_path.relative_to(ROOT)}", flush=True)


def _replace_db(argv: list[str], db: str) -> list[str]:
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--db":
            skip = i + 1 < len(argv)
            continue
        if arg.startswith("--db="):
            continue
        out.append(arg)
    return [*out, "--db", db]


if __name__ == "__main__":
    main()

"""A small named cast and the helpers the cases and permission tests share.

Every person acts for one organisation of the soctrang-2013 reference data (loaded once per test
database by the root conftest). Nobody gets a password: these tests call services and selectors
directly, and hashing passwords would only slow them down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import TypeVar

from django.db import transaction

from phoihop.audit.services import AuditContext
from phoihop.cases.choices import AccessLevel
from phoihop.cases.models import Case
from phoihop.cases.services import case_open
from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.intake.choices import Channel
from phoihop.intake.models import Report
from phoihop.intake.services import ContactInput, IndicatorInput, ReportInput, report_submit

PUBLIC = AuditContext(label="public", ip_address="203.0.113.7")

# A number the scammers of these tests call from; every test report carries it, so they correlate.
SCAM_PHONE = "0912 345 678"
SCAM_TEXT = "Có người gọi giả danh công an, đe doạ và yêu cầu chuyển tiền vào tài khoản để 'xác minh'."

# name -> (organisation code or None, role, full name). The order is the column order of the matrix.
CAST: dict[str, tuple[str | None, str, str]] = {
    "dic_focal": ("st-dic", Role.FOCAL_POINT, "Trần Văn Minh"),  # DIC focal point (Đ3.3, Đ5.2 hub)
    "dic_head": ("st-dic", Role.HEAD, "Lê Hoàng Phúc"),  # head of DIC (Đ3.2)
    "dic_hub": ("st-dic", Role.HUB_COORDINATOR, "Nguyễn Thị Lan"),  # DIC hub coordinator (Đ5.2)
    "police_focal": ("st-police", Role.FOCAL_POINT, "Phạm Quốc Huy"),  # Provincial Police focal point (hub)
    "investigator": ("st-police-investigation", Role.OFFICER, "Võ Thành Đạt"),  # investigation agency (Đ3.4)
    "vc_officer": ("st-police-vinh-chau", Role.OFFICER, "Thạch Sô Phanh"),  # Vĩnh Châu town police (Đ6.3)
    "bp_focal": ("st-bp-vinh-hai", Role.FOCAL_POINT, "Lâm Văn Hải"),  # Vĩnh Hải border post (Đ7, Đ13)
    "doit_focal": ("st-doit", Role.FOCAL_POINT, "Đỗ Thị Hồng"),  # Dept. of Industry and Trade (Đ8)
    "viettel": ("st-viettel", Role.ENTERPRISE_REPORTER, "Huỳnh Mỹ Linh"),  # a carrier (Đ11.5)
    "vnpt": ("st-vnpt", Role.ENTERPRISE_REPORTER, "Trương Gia Bảo"),  # another carrier
    "procuracy": ("st-procuracy", Role.OFFICER, "Kim Thị Sa Rinh"),  # People's Procuracy (Đ3.4)
    "outsider": (None, Role.OFFICER, "Người Ngoài"),  # an account with no organisation
    "sysadmin": ("st-dic", Role.SYSADMIN, "Quản Trị"),  # manages the system, sees no report or case
}
ACTORS: tuple[str, ...] = tuple(CAST)


@dataclass
class Cast:
    dic_focal: User
    dic_head: User
    dic_hub: User
    police_focal: User
    investigator: User
    vc_officer: User
    bp_focal: User
    doit_focal: User
    viettel: User
    vnpt: User
    procuracy: User
    outsider: User
    sysadmin: User

    def __getitem__(self, name: str) -> User:
        return getattr(self, name)

    def items(self):
        return ((name, self[name]) for name in ACTORS)

    def fresh(self) -> Cast:
        """The same people read again from the database (a test may change its copies freely)."""
        by_pk = User.objects.select_related("organisation").in_bulk([self[n].pk for n in ACTORS])
        return Cast(**{f.name: by_pk[getattr(self, f.name).pk] for f in fields(self)})


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def make_user(username: str, org_code: str | None, role: str, full_name: str = "", **extra) -> User:
    family, _sep, given = full_name.rpartition(" ")
    user = User(
        username=username,
        organisation=org(org_code) if org_code else None,
        role=role,
        first_name=given,
        last_name=family,
        email=f"{username}@phoihop.example.vn",
        **extra,
    )
    user.set_unusable_password()
    user.save()
    return user


def make_cast() -> Cast:
    people = {}
    for name, (code, role, full_name) in CAST.items():
        extra = {"is_staff": True, "is_superuser": True} if role == Role.SYSADMIN else {}
        people[name] = make_user(name.replace("_", "."), code, role, full_name, **extra)
    return Cast(**people)


def ctx(user: User | None) -> AuditContext:
    """The audit context of `user` acting from a documentation address."""
    return AuditContext(actor=user, ip_address="192.0.2.10") if user is not None else PUBLIC


def submit_report(
    *,
    by: User | None = None,
    behaviour: str | None = "13.4",
    area: str | None = "st-vinh-chau",
    phone: str | None = SCAM_PHONE,
    description: str = SCAM_TEXT,
    external_ref: str = "",
    contact: ContactInput | None = None,
    **extra,
) -> Report:
    """A report through the intake pipeline: from the public (by=None) or signed in (an enterprise, an agency).

    The default is the fraud call of the issue's journey: Đ13.4, from a Vĩnh Châu number, which the
    routing delivers to DIC, the Provincial Police, the Vĩnh Châu police and the coastal border posts.
    """
    data = ReportInput(
        description=description,
        behaviour=behaviour,
        area=area,
        indicators=[IndicatorInput("phone", phone)] if phone else [],
        external_ref=external_ref,
        contact=contact,
        **extra,
    )
    channel = Channel.WEB if by is None else Channel.API
    return report_submit(data=data, channel=channel, ctx=ctx(by)).report


def open_case(
    actor: User,
    reports: Iterable[Report] | Report,
    *,
    title: str = "Lừa đảo qua cuộc gọi giả danh công an",
    participants: Iterable[Organisation | str] = (),
    access_level: str = AccessLevel.NORMAL,
) -> Case:
    """Open a case through the service; `actor`'s organisation leads it."""
    if isinstance(reports, Report):
        reports = [reports]
    orgs = [org(p) if isinstance(p, str) else p for p in participants]
    return case_open(reports=reports, ctx=ctx(actor), title=title, participants=orgs, access_level=access_level)


def run_queued_case_events() -> list[dict]:
    """Run the case notifications the services queued, as the worker would; their arguments."""
    from django_tasks_db.models import DBTaskResult

    from phoihop.cases.tasks import notify_case_event

    runs = []
    for row in DBTaskResult.objects.filter(task_path=notify_case_event.module_path, status="READY").order_by("pk"):
        kwargs = row.args_kwargs["kwargs"]
        notify_case_event.call(**kwargs)
        runs.append(kwargs)
    return runs


T = TypeVar("T")


@contextmanager
def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """For a module-scoped fixture: build objects once, in a transaction rolled back when the module ends.

    Each test still runs in its own savepoint (pytest-django), so what a test changes is undone after it;
    a test must read mutable objects again (Model.objects.get, Cast.fresh) rather than reuse these copies.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)

"""Demo data of the reporting cycle, made once through the same services people use (DEMO_DATA_HOOK):

- the previous and the current six-monthly periods with their obligations (Đ18.2);
- accounts of two district People's Committees (Trần Đề and Vĩnh Châu: a focal point and a head each) and of
  the head of the Provincial Police, their passwords kept with the other demo accounts (var/demo-accounts.json);
- the previous period's reports of the Trần Đề People's Committee and of the Provincial Police, each signed
  by its head as an official document; Vĩnh Châu's is left to do (the browser journey submits it, late);
- awareness activities, two difficulties (one answered and accepted for an amendment), and the review meeting
  of the previous period with its invitation, minutes and a follow-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets

from django.db import transaction
from django.utils import timezone

from phoihop.audit.services import SYSTEM, AuditContext, audit_record
from phoihop.directory.choices import Role
from phoihop.directory.demo import _password_file, demo_passwords
from phoihop.directory.models import Organisation, User
from phoihop.documents.signing import demo as demo_keys
from phoihop.routing.reference import active_ruleset

from .choices import ActivityKind
from .models import Period
from .services import (
    DIFFICULTY_WORKFLOW,
    MEETING_WORKFLOW,
    REPORT_WORKFLOW,
    activity_record,
    conclusion_add,
    difficulty_raise,
    meeting_plan,
    period_ensure,
    period_for_day,
    report_save,
    report_start,
)
from .services.periods import previous_code

# username, full name, organisation, role
ACCOUNTS = [
    ("ubnd.trande.focal", "Sơn Thị Nguyệt", "st-pc-tran-de", Role.FOCAL_POINT),
    ("ubnd.trande.head", "Lâm Văn Hùng", "st-pc-tran-de", Role.HEAD),
    ("ubnd.vinhchau.focal", "Thạch Thị Mỹ", "st-pc-vinh-chau", Role.FOCAL_POINT),
    ("ubnd.vinhchau.head", "Trần Văn Dũng", "st-pc-vinh-chau", Role.HEAD),
    ("police.head", "Đinh Văn Tài", "st-police", Role.HEAD),
]


TRAN_DE_SECTIONS = {
    "results": "Phối hợp với Công an huyện xác minh 4 tin báo lừa đảo qua điện thoại; tổ chức 2 đợt "
    "tuyên truyền tại các xã ven biển Trung Bình, Lịch Hội Thượng.",
    "difficulties": "Cán bộ phụ trách công nghệ thông tin cấp xã còn thiếu; người dân vùng biển ít "
    "tiếp cận thông tin cảnh báo trên mạng.",
    "proposals": "Đề nghị Sở Thông tin và Truyền thông hỗ trợ tài liệu tuyên truyền bằng tiếng Khmer.",
    "next_period": "Tiếp tục tuyên truyền qua loa truyền thanh xã; rà soát điểm kinh doanh SIM.",
}
POLICE_SECTIONS = {
    "results": "Tiếp nhận và xử lý các tin báo do Sở chuyển; khởi tố 1 vụ lừa đảo chiếm đoạt tài sản qua mạng xã hội.",
    "difficulties": "Việc xác minh thuê bao, tài khoản ngân hàng còn chậm do phải qua nhiều khâu.",
    "proposals": "Đề nghị các doanh nghiệp viễn thông cử đầu mối trả lời yêu cầu xác minh trong 24 giờ.",
}


def _accounts() -> dict[str, User]:
    """The demo accounts of the parties that report (created once, passwords beside the other demo accounts)."""
    passwords = demo_passwords()
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={a[2] for a in ACCOUNTS})}
    users: dict[str, User] = {}
    for username, full_name, code, role in ACCOUNTS:
        if code not in orgs:
            continue
        user = User.objects.filter(username=username).first()
        if user is None or username not in passwords:
            password = passwords.get(username) or f"demo-{secrets.token_urlsafe(9)}"
            family, _sep, given = full_name.rpartition(" ")
            user = user or User(username=username)
            user.first_name, user.last_name = given, family
            user.organisation, user.role = orgs[code], role
            user.email = f"{username}@phoihop.example.vn"
            user.demo_account = True
            user.set_password(password)
            user.save()
            passwords[username] = password
            audit_record(ctx=SYSTEM, action="user.demo_create", obj=user, summary=username)
        users[username] = user
    fd = os.open(_password_file(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(passwords, fh, indent=1)
    return users


def _ctx(user: User) -> AuditContext:
    return AuditContext(actor=user, label=f"demo:{user.username}")


def _submit(period: Period, org_code: str, writer: User, head: User, sections: dict[str, str]) -> None:
    obligation = period.obligations.filter(organisation__code=org_code).first()
    if obligation is None or obligation.reports.exists():
        return
    report = report_start(obligation=obligation, ctx=_ctx(writer))
    report = report_save(report=report, sections=sections, ctx=_ctx(writer))
    report = REPORT_WORKFLOW.run("send", obj=report, ctx=_ctx(writer))
    REPORT_WORKFLOW.run("sign", obj=report, ctx=_ctx(head))


def demo_reporting_ensure() -> str:
    """Create the reporting cycle's demo data once; a summary, or "" when it exists or cannot be made."""
    if Period.objects.exists():
        return ""
    dic_head = User.objects.filter(username="dic.head").first()
    dic_focal = User.objects.filter(username="dic.focal").first()
    police_focal = User.objects.filter(username="police.focal").first()
    if dic_head is None or dic_focal is None or police_focal is None or active_ruleset() is None:
        return ""
    today = timezone.localdate()
    with transaction.atomic():
        users = _accounts()
        demo_keys.keys_ensure(
            Organisation.objects.filter(code__in=["st-dic", "st-police", "st-pc-tran-de", "st-pc-vinh-chau"])
        )
        current = period_ensure(code=period_for_day(today), ctx=_ctx(dic_focal))
        previous = period_ensure(code=previous_code(current.code), ctx=_ctx(dic_focal))
        _activities(users, dic_focal, police_focal, previous)
        if "ubnd.trande.head" in users:
            _submit(
                previous,
                "st-pc-tran-de",
                users["ubnd.trande.focal"],
                users["ubnd.trande.head"],
                TRAN_DE_SECTIONS,
            )
        if "police.head" in users:
            _submit(
                previous,
                "st-police",
                police_focal,
                users["police.head"],
                POLICE_SECTIONS,
            )
        _difficulties(users, dic_head)
        _meeting(previous, dic_head, police_focal, today)
    return f"reporting: periods {previous.code} and {current.code}, {previous.obligations.count()} obligations"


def _activities(users: dict[str, User], dic_focal: User, police_focal: User, period: Period) -> None:
    day = min(period.ends_on, timezone.localdate())
    items = [
        (
            dic_focal,
            ActivityKind.CAMPAIGN,
            "Tháng cao điểm tuyên truyền phòng, chống lừa đảo trực tuyến",
            "Người dân toàn tỉnh",
            12000,
            day - dt.timedelta(days=60),
        ),
        (
            police_focal,
            ActivityKind.TRAINING,
            "Tập huấn nhận diện thủ đoạn giả danh cơ quan công an",
            "Cán bộ công an xã, phường",
            85,
            day - dt.timedelta(days=40),
        ),
    ]
    if "ubnd.trande.focal" in users:
        items.append(
            (
                users["ubnd.trande.focal"],
                ActivityKind.BROADCAST,
                "Phát thanh cảnh báo lừa đảo qua điện thoại trên loa truyền thanh xã",
                "Người dân các xã ven biển",
                3000,
                day - dt.timedelta(days=20),
            )
        )
    for user, kind, title, audience, size, held_on in items:
        activity_record(kind=kind, title=title, held_on=held_on, audience=audience, audience_size=size, ctx=_ctx(user))


def _difficulties(users: dict[str, User], dic_head: User) -> None:
    writer = users.get("ubnd.trande.focal")
    if writer is None:
        return
    difficulty_raise(
        what="Sau khi sắp xếp đơn vị hành chính, chưa rõ cơ quan nào tiếp nhận tin báo thay Ủy ban nhân dân cấp huyện.",
        article="Đ14",
        proposal="Bổ sung Quy chế: Ủy ban nhân dân cấp xã tiếp nhận tin báo theo Điều 14.",
        ctx=_ctx(writer),
    )
    item = difficulty_raise(
        what="Thời hạn báo cáo 6 tháng trùng với kỳ báo cáo khác, khó tổng hợp số liệu kịp thời.",
        article="Đ18.2",
        proposal="Lùi hạn nộp báo cáo 6 tháng đến ngày 15 của tháng sau kỳ báo cáo.",
        ctx=_ctx(writer),
    )
    DIFFICULTY_WORKFLOW.run(
        "accept",
        obj=item,
        ctx=_ctx(dic_head),
        data={"answer": "Sở tiếp thu, đưa vào dự thảo sửa đổi Quy chế trình UBND tỉnh.", "ruleset": active_ruleset()},
    )


def _meeting(period: Period, dic_head: User, police_focal: User, today: dt.date) -> None:
    invited = list(
        Organisation.objects.filter(pk__in=period.obligations.values("organisation_id")).filter(
            type__in=["police", "state_agency", "border_guard", "press", "peoples_committee"]
        )
    )
    tz = timezone.get_current_timezone()
    starts = dt.datetime.combine(period.due_on + dt.timedelta(days=7), dt.time(8, 0), tzinfo=tz)
    meeting = meeting_plan(
        period=period,
        starts_at=starts,
        place="Hội trường Sở Thông tin và Truyền thông",
        agenda="Sơ kết 6 tháng thực hiện Quy chế phối hợp; thảo luận khó khăn, đề xuất.",
        organisations=invited,
        ctx=_ctx(dic_head),
    )
    if starts.date() > today:
        return
    MEETING_WORKFLOW.run(
        "hold",
        obj=meeting,
        ctx=_ctx(dic_head),
        data={
            "minutes": "Các đơn vị báo cáo kết quả; thống nhất tăng cường xác minh nhanh thuê bao và tài khoản.",
            "attended": invited[:6],
        },
    )
    conclusion_add(
        meeting=meeting,
        text="Công an tỉnh chủ trì xây dựng quy trình xác minh nhanh thuê bao, tài khoản ngân hàng nghi vấn lừa đảo.",
        owner_organisation=police_focal.organisation,
        owner=police_focal,
        due_on=max(today + dt.timedelta(days=20), starts.date() + dt.timedelta(days=30)),
        ctx=_ctx(dic_head),
    )

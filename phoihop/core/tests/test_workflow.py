"""The workflow engine on a tiny fake machine: a door that can be opened, locked and unlocked."""

from __future__ import annotations

import pytest
from django import forms

from phoihop.core.errors import Conflict, Invalid, NotAllowed
from phoihop.core.workflow import Move, Workflow

pytestmark = pytest.mark.django_db


class Door:
    """A fake object with a state; `saved` keeps what each save wrote."""

    def __init__(self, status="closed", owner="ann"):
        self.pk, self.status, self.owner, self.key = 1, status, owner, ""
        self.saved: list[list[str]] = []

    def save(self, *, update_fields):
        self.saved.append(list(update_fields))


class Person:
    def __init__(self, name):
        self.name = name


class Ctx:
    def __init__(self, name):
        self.actor = Person(name)


class KeyForm(forms.Form):
    key = forms.CharField()

    def __init__(self, *args, move, obj, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.move, self.obj, self.user = move, obj, user


def is_owner(user, door) -> bool:
    return user is not None and user.name == door.owner


class OpenDoor(Move):
    name, label, sources, target, article = "open", "Open", frozenset({"closed"}), "open", "Đ1"

    def allowed(self, user, obj) -> bool:  # anyone may open a door
        return user is not None


class LockDoor(Move):
    name, label, sources, target, article = "lock", "Lock", frozenset({"closed"}), "locked", "Đ2"
    actor = is_owner
    requires = ("key",)
    form_class = KeyForm

    def validate(self, user, obj, data):
        if len(data["key"]) < 3:
            raise Invalid({"key": ["The key is too short."]})

    def execute(self, *, obj, data, ctx):
        obj.key = data["key"].strip()
        return ["key"]

    def audit_data(self, data):
        return {"key": "***"}


class UnlockDoor(Move):
    name, label, sources, target = "unlock", "Unlock", frozenset({"locked"}), "closed"
    actor = is_owner


@pytest.fixture
def machine():
    events = []
    doors = {}
    wf = Workflow(
        "door",
        [OpenDoor(), LockDoor(), UnlockDoor()],
        record=lambda ctx, obj, action, summary, data: events.append((ctx.actor.name, action, summary, data)),
        lock=lambda door: doors.get("current", door),
    )
    return wf, events, doors


def test_moves_from_a_state_and_what_a_person_may_make(machine):
    wf, _events, _doors = machine
    assert [m.name for m in wf.moves_from("closed")] == ["open", "lock"]
    assert [m.name for m in wf.moves_from("locked")] == ["unlock"]
    door = Door()
    assert [m.name for m in wf.available(Person("ann"), door)] == ["open", "lock"]
    assert [m.name for m in wf.available(Person("bob"), door)] == ["open"]
    assert wf.can(Person("ann"), "lock", door) and not wf.can(Person("bob"), "lock", door)
    assert not wf.can(Person("ann"), "unlock", door) and not wf.can(Person("ann"), "fly", door)


def test_run_checks_executes_sets_the_state_and_records_the_event(machine):
    wf, events, _doors = machine
    door = Door()
    done = wf.run("lock", obj=door, data={"key": " brass "}, ctx=Ctx("ann"))
    assert done.status == "locked" and done.key == "brass"
    assert door.saved == [["key", "status"]]
    assert events == [
        (
            "ann",
            "door.move.lock",
            "closed → locked",
            {"move": "lock", "before": "closed", "after": "locked", "article": "Đ2", "key": "***"},
        )
    ]


def test_the_wrong_person_is_not_allowed_and_nothing_changes(machine):
    wf, events, _doors = machine
    door = Door()
    with pytest.raises(NotAllowed) as refused:
        wf.run("lock", obj=door, data={"key": "brass"}, ctx=Ctx("bob"))
    assert "Lock" in str(refused.value)
    assert (door.status, door.saved, events) == ("closed", [], [])


def test_a_move_from_the_wrong_state_is_a_conflict_naming_the_state(machine):
    wf, events, _doors = machine
    door = Door(status="locked")
    with pytest.raises(Conflict) as refused:
        wf.run("lock", obj=door, data={"key": "brass"}, ctx=Ctx("ann"))
    assert "locked" in str(refused.value) and events == []


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_data_is_invalid_naming_the_field(machine, key):
    wf, events, _doors = machine
    door = Door()
    with pytest.raises(Invalid) as refused:
        wf.run("lock", obj=door, data={"key": key}, ctx=Ctx("ann"))
    assert refused.value.field == "key" and "key" in refused.value.errors
    assert (door.status, events) == ("closed", [])


def test_the_moves_own_rules_refuse_with_the_field(machine):
    wf, events, _doors = machine
    with pytest.raises(Invalid) as refused:
        wf.run("lock", obj=Door(), data={"key": "ab"}, ctx=Ctx("ann"))
    assert refused.value.errors == {"key": ["The key is too short."]} and events == []


def test_an_unknown_move_is_invalid_naming_the_move(machine):
    wf, _events, _doors = machine
    with pytest.raises(Invalid) as refused:
        wf.run("fly", obj=Door(), ctx=Ctx("ann"))
    assert refused.value.field == "move"


def test_a_change_made_meanwhile_is_a_conflict(machine):
    """The caller read the door closed; under the lock it is already locked: refused, nothing written."""
    wf, events, doors = machine
    doors["current"] = Door(status="locked")
    stale = Door()
    with pytest.raises(Conflict) as refused:
        wf.run("lock", obj=stale, data={"key": "brass"}, ctx=Ctx("ann"))
    assert "changed" in str(refused.value) and events == [] and doors["current"].saved == []


def test_the_form_of_a_move(machine):
    wf, _events, _doors = machine
    door = Door()
    form = wf.get("lock").form(obj=door, user=Person("ann"), data={"move-lock-key": "brass"})
    assert form.is_valid() and form.cleaned_data == {"key": "brass"} and form.move.name == "lock"
    with pytest.raises(LookupError):
        wf.get("open").form(obj=door, user=Person("ann"))


def test_a_move_declared_twice_is_refused():
    with pytest.raises(ValueError):
        Workflow("door", [OpenDoor(), OpenDoor()])

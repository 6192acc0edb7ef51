from __future__ import annotations

import itertools

import pytest
from django.test import Client

from phoihop.directory.choices import Role
from phoihop.directory.models import Organisation, User
from phoihop.notices.services import NoticeDraft, notices_send

_seq = itertools.count(1)


@pytest.fixture
def make_person(db):
    def make(username: str, *, email: str | None = None, active: bool = True, role: str = Role.FOCAL_POINT) -> User:
        user = User(
            username=username,
            email=f"{username}@phoihop.example.vn" if email is None else email,
            organisation=Organisation.objects.get(code="st-dic"),
            role=role,
            is_active=active,
        )
        user.set_unusable_password()
        user.save()
        return user

    return make


@pytest.fixture
def alice(make_person):
    return make_person("alice")


@pytest.fixture
def bob(make_person):
    return make_person("bob")


@pytest.fixture
def tell():
    """Give `user` a notice directly (a key of its own each time unless one is given)."""

    def tell(user, title: str = "Something happened", *, key: str | None = None, link: str = "/cases/", **extra):
        notices_send(
            user_ids=[user.pk],
            draft=NoticeDraft(key=key or f"test:{next(_seq)}", title=title, text="text", link=link, **extra),
        )
        return user.notices.get(key=key) if key else user.notices.order_by("-pk").first()

    return tell


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client

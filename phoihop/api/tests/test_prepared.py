"""A read prepared once answers what its queryset answers, for every value and list length, and is built once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phoihop.api.prepared import PreparedRead
from phoihop.audit.services import SYSTEM
from phoihop.directory.models import ApiToken, Organisation
from phoihop.directory.services import api_token_issue

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "prefix", "name", "organisation__code", "created_at", "revoked_at")


def by_ids(ids):
    return ApiToken.objects.filter(pk__in=ids).order_by("pk").values_list(*COLUMNS)


def by_prefix_and_name(prefix, name):
    return ApiToken.objects.filter(prefix=prefix, name=name).order_by().values_list(*COLUMNS)


@pytest.fixture
def tokens() -> list[ApiToken]:
    viettel = Organisation.objects.get(code="st-viettel")
    issued = [api_token_issue(organisation=viettel, name=f"feed {i}", ctx=SYSTEM)[0] for i in range(4)]
    ApiToken.objects.filter(pk=issued[1].pk).update(revoked_at=timezone.now())  # a date-time and a null one
    return issued


def test_rows_are_the_querysets_for_each_list_length_and_value(tokens):
    read = PreparedRead(by_ids)
    for ids in ([tokens[0].pk], [tokens[1].pk, tokens[3].pk], [t.pk for t in tokens], [tokens[2].pk, -5]):
        assert read.rows(ids) == list(by_ids(ids))
    rows = read.rows([t.pk for t in tokens])
    assert all(timezone.is_aware(row[4]) for row in rows)  # converted as the queryset converts them
    assert rows[1][5] is not None and rows[0][5] is None
    assert read.rows([]) == []

    named = PreparedRead(by_prefix_and_name)
    for token in tokens:
        assert named.rows(token.prefix, token.name) == list(by_prefix_and_name(token.prefix, token.name))
    assert named.rows(tokens[0].prefix, tokens[1].name) == []
    assert named.rows("x'; --", "%s") == []  # values travel as parameters, never inside the SQL


def test_the_statement_is_built_once_and_run_as_written(tokens):
    read = PreparedRead(by_prefix_and_name)
    read.rows(tokens[0].prefix, tokens[0].name)
    with CaptureQueriesContext(connection) as ctx:
        assert read.rows(tokens[2].prefix, tokens[2].name)[0][0] == tokens[2].pk
    assert len(ctx) == 1


def test_only_a_values_list_of_plain_columns_is_prepared(tokens):
    with pytest.raises(TypeError):
        PreparedRead(lambda prefix: ApiToken.objects.filter(prefix=prefix)).rows("x")
    with pytest.raises(TypeError):
        PreparedRead(lambda prefix: ApiToken.objects.filter(prefix=prefix).values_list("pk", flat=True)).rows("x")

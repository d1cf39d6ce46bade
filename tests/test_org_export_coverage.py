"""Every table of the metadata is either exported with its organization or named, with
its reason, in graph.NOT_EXPORTED; every column holding ids without a foreign key is
declared. A new table fails here until it is one or the other."""

from sqlalchemy import Integer

from service.services.org_export import graph


def test_every_table_is_exported_or_listed_as_not_exported() -> None:
    every = set(graph.tables())
    exported = set(graph.plan().exported)
    listed = set(graph.NOT_EXPORTED)
    assert graph.plan().unreachable == []
    assert exported | listed == every
    assert exported & listed == set()
    assert listed <= every, sorted(listed - every)  # no stale names in the list
    for must in ("participant", "registration", "checkin", "certificate", "message",
                 "certificate_signatory", "report_photo", "kampung_kb", "evaluation_response",
                 "assessment_response", "org_unit", "program", "user"):
        assert must in exported, must
    for never in ("authtoken", "roster_link", "ratelimit", "appsecret", "used_form_stamp"):
        assert never not in exported


def test_every_reference_without_a_foreign_key_is_declared() -> None:
    """An integer column named like a reference (…_id) that is no foreign key is remapped
    (HIDDEN_REFERENCES) or declared as no live reference (NOT_REFERENCES)."""
    missing = []
    for name in graph.plan().exported:
        table = graph.tables()[name]
        for column in table.columns:
            if (isinstance(column.type, Integer) and column.name.endswith("_id")
                    and not column.foreign_keys and not column.primary_key
                    and (name, column.name) not in graph.HIDDEN_REFERENCES
                    and (name, column.name) not in graph.NOT_REFERENCES):
                missing.append(f"{name}.{column.name}")
    assert missing == []


def test_tables_can_be_inserted_parents_first() -> None:
    order, deferred = graph.insert_order(graph.plan().exported)
    position = {n: i for i, n in enumerate(order)}
    for name in order:
        for column, ref in graph.fk_pairs(graph.tables()[name]):
            if ref.table.name in position and (name, column.name) not in deferred:
                assert position[ref.table.name] < position[name], (name, column.name)
    for name, column in deferred:
        assert graph.tables()[name].c[column].nullable

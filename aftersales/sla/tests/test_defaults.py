"""The default service levels come with ``migrate``: a clean install without the demo gives new
cases their deadlines, and neither a second ``migrate`` nor the demo writes them twice."""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal

from aftersales.conftest import make_case
from aftersales.sla.models import EscalationLevel, SlaClock, SlaPolicy, SlaTarget

from .conftest import at


def _migrate_finishes(settings, seed: bool = True) -> None:
    """What ``migrate`` does once every migration is applied: send ``post_migrate``."""
    settings.SLA_SEED_DEFAULTS = seed
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.mark.django_db
def test_a_clean_install_gives_a_new_complaint_its_24_hour_verification_clock(
    settings, customers, clock_at
):
    assert not SlaPolicy.objects.exists()  # no demo data: nothing but what migrate writes
    _migrate_finishes(settings)
    clock_at(at(2026, 3, 2, 10))  # a Monday morning
    case = make_case(customers["alice"], case_type="complaint")
    clocks = {c.kind: c for c in SlaClock.objects.filter(case=case)}
    assert clocks["verification"].due_at == at(2026, 3, 3, 10)
    assert clocks["verification"].duration == "24h"
    assert clocks["first_response"].due_at == at(2026, 3, 3, 10)
    assert clocks["initial_opinion"].duration == "1wd"
    assert clocks["initial_opinion"].due_at is not None


@pytest.mark.django_db
def test_a_new_repair_request_gets_its_reply_and_opinion_deadlines(settings, customers):
    _migrate_finishes(settings)
    case = make_case(customers["alice"], case_type="repair_request")
    kinds = set(SlaClock.objects.filter(case=case).values_list("kind", flat=True))
    assert {"first_response", "initial_opinion", "resolution"} <= kinds


@pytest.mark.django_db
def test_seeding_again_and_the_demo_write_no_second_copy(settings):
    from aftersales.demo.sla_demo import policies_load

    _migrate_finishes(settings)
    counts = (SlaPolicy.objects.count(), SlaTarget.objects.count(), EscalationLevel.objects.count())
    assert counts[0] == 6
    _migrate_finishes(settings)
    assert policies_load() == 0
    assert (
        SlaPolicy.objects.count(),
        SlaTarget.objects.count(),
        EscalationLevel.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_seeding_leaves_an_edited_policy_set_alone(settings):
    SlaPolicy.objects.create(code="own", name="自定义时效")
    _migrate_finishes(settings)
    assert list(SlaPolicy.objects.values_list("code", flat=True)) == ["own"]


@pytest.mark.django_db
def test_seeding_can_be_turned_off(settings):
    _migrate_finishes(settings, seed=False)
    assert not SlaPolicy.objects.exists()


def test_the_default_durations_are_the_promised_ones():
    from aftersales.sla.defaults import FIRST_RESPONSE, INITIAL_OPINION, POLICIES

    assert FIRST_RESPONSE["duration"] == "24h"
    assert INITIAL_OPINION["duration"] == "1wd"
    complaint = next(p for p in POLICIES if p[0] == "complaint")
    verification = next(t for t in complaint[5] if t["kind"] == "verification")
    assert verification["duration"] == "24h"  # natural hours, not working hours

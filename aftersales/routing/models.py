"""Routing rules (R1.4) and the round-robin pointer of each team.

A new case is matched against the active rules in their order; the first rule whose every set
condition holds decides the team, the priority (unless the agent chose one) and how the case is
assigned inside the team. Rules are data a supervisor edits; the engine lives in
:mod:`aftersales.routing.engine`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.cases.choices import CaseType, Priority


class AssignmentMode(models.TextChoices):
    NONE = "none", _("Team queue only")
    ROUND_ROBIN = "round_robin", _("Round-robin within the team")
    LEAST_LOADED = "least_loaded", _("Least loaded available agent")


class KeywordMode(models.TextChoices):
    ANY = "any", _("Any keyword")
    ALL = "all", _("All keywords")


class RoutingRule(models.Model):
    """One ordered rule: conditions (all that are set must match) → team, priority, assignment.

    ``position`` orders the rules (lowest first); ``version`` guards concurrent edits.
    """

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # conditions — blank means "any"
    case_type = models.CharField(
        _("case type"), max_length=32, choices=CaseType.choices, blank=True
    )
    category = models.ForeignKey(
        "cases.CaseCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product_line = models.CharField(
        _("product line"),
        max_length=60,
        blank=True,
        help_text=_("Matches the product line of the case's product model, e.g. 空调."),
    )
    region = models.CharField(
        _("region"),
        max_length=60,
        blank=True,
        help_text=_("Province, city or district of the customer's address, e.g. 上海 or 浦东新区."),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_(
            "Words separated by spaces or commas, matched on the segmented title and description."
        ),
    )
    keyword_mode = models.CharField(
        _("keywords must match"),
        max_length=8,
        choices=KeywordMode.choices,
        default=KeywordMode.ANY,
    )
    # outcome
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=Priority.choices,
        blank=True,
        help_text=_("Applied only when the agent did not choose a priority."),
    )
    assignment = models.CharField(
        _("assignment"),
        max_length=16,
        choices=AssignmentMode.choices,
        default=AssignmentMode.NONE,
    )
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy",
        verbose_name=_("SLA policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the SLA policy chosen by the policies' own conditions."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["is_active", "position", "id"], name="routing_active_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment="none") | models.Q(team__isnull=False),
                name="routingrule_assignment_needs_team",
            )
        ]
        permissions = [
            ("manage_routingrule", _("Can manage routing rules")),
            ("view_sla_report", _("Can see the SLA compliance report")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        from .engine import split_keywords

        return split_keywords(self.keywords)


class TeamRotation(models.Model):
    """Where round-robin stands in a team: the agent who got the last case.

    Moved only by a compare-and-set ``UPDATE … WHERE last_assignee = <seen>``, so two concurrent
    intakes never hand the same "next" agent out twice by a race.
    """

    team = models.OneToOneField(
        "accounts.Team", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    turns = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("team rotation")
        verbose_name_plural = _("team rotations")

    def __str__(self) -> str:
        return f"{self.team_id}: {self.last_assignee_id}"

"""Reports for funders: hours exchanged, exchanges, active and registered members, new members, by
ward, locality, category and month, with small numbers suppressed.

Every figure is aggregated in the database with a fixed number of queries, however many exchanges
there are. What counts as activity: committed exchanges and group activities whose service date is in
the period and which have not been reversed (reversals themselves are never activity). "Hours
exchanged" is the sum of the credits earned, so a coffee morning where eight people each earn an hour
counts eight hours. Donations to the community pot are reported on their own line, not as exchanges.

Small numbers: any count from 1 to 4 is shown as "fewer than 5" (and blank in CSV), and so is any
figure worked out from such a count (hours earned by fewer than five people, a percentage). When a
column would have only one such cell, the next smallest is withheld too, so it cannot be worked out
by subtraction from the totals.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Membership
from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.permissions import Decision
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area
from commonweal.timebank.constants import (
    AccountKind,
    MemberStatus,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.models import Category, Entry, Locality, Member, Timebank, Transaction

# Who may see a timebank's reports: these roles in the organisation that runs it.
REPORT_ROLES: tuple[str, ...] = (Role.BROKER, Role.COORDINATOR, Role.ANALYST, Role.ADMIN)

# Transactions that are help given: one-to-one exchanges and group activities.
ACTIVITY_KINDS: tuple[str, ...] = (TransactionKind.EXCHANGE, TransactionKind.GROUP)

# Statuses of people who are members now (not applicants, not people who left or were turned down).
MEMBER_STATUSES: tuple[str, ...] = (MemberStatus.ACTIVE, MemberStatus.SUSPENDED)

SMALL_NUMBER_LIMIT = 5  # counts from 1 to SMALL_NUMBER_LIMIT - 1 are not shown
SMALL_TEXT = "fewer than 5"
WITHHELD_TEXT = "not shown"
MAX_PERIOD_DAYS = 5 * 366

SUPPRESSION_NOTE = (
    'To protect people\'s privacy, any count from 1 to 4 is shown as "fewer than 5", and figures '
    'worked out from such a count (such as hours earned by fewer than 5 people) as "not shown". '
    "Where that would leave a single hidden number in a column, the next smallest is hidden too, so "
    "the hidden one cannot be worked out from the totals. In the CSV downloads hidden figures are blank."
)


# --- who may see reports -----------------------------------------------------------------------


def timebank_report_list(*, user: Any) -> list[Timebank]:
    """The timebanks whose reports ``user`` may see: those run by an organisation in which they hold
    one of ``REPORT_ROLES`` (every timebank for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return []
    timebanks = Timebank.objects.all()
    if not user.is_superuser:
        organisations = (
            Membership.objects.active()
            .with_role(*REPORT_ROLES)
            .filter(user=user)
            .values("organisation_id")
        )
        timebanks = timebanks.filter(organisation_id__in=organisations)
    return list(timebanks.order_by("name", "id"))


def can_view_reports(user: Any, timebank: Timebank) -> Decision:
    """Brokers, coordinators, analysts and administrators of the organisation that runs the timebank."""
    if timebank.organisation is None:
        if getattr(user, "is_superuser", False):
            return Decision.allow()
        return Decision.deny("Only platform administrators can see this timebank's reports.")
    return can_act_in_role(user, REPORT_ROLES, organisation=timebank.organisation)


def timebank_get(*, slug: str) -> Timebank | None:
    return Timebank.objects.select_related("organisation").filter(slug=slug).first()


# --- the period --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    """From ``start`` to ``end``, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> ReportPeriod:
        """The current month and the eleven before it, up to today."""
        today = today or timezone.localdate()
        year, month = today.year, today.month - 11
        if month < 1:
            year, month = year - 1, month + 12
        return cls(start=datetime.date(year, month, 1), end=today)

    def months(self) -> list[datetime.date]:
        """The first day of each month the period touches, in order."""
        months = []
        current = self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + datetime.timedelta(days=32)).replace(day=1)
        return months

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


# --- cells, rows and tables --------------------------------------------------------------------


@dataclass
class Cell:
    """One figure. ``value`` is what was counted; ``text`` and ``csv`` are what may be shown."""

    value: int | Decimal
    is_count: bool = True
    hidden: str = ""  # "", "small" (a count from 1 to 4) or "derived"/"withheld"
    suffix: str = ""  # "%" for a percentage

    @property
    def text(self) -> str:
        if self.hidden == "small":
            return SMALL_TEXT
        if self.hidden:
            return WITHHELD_TEXT
        return _format(self.value) + self.suffix

    @property
    def csv(self) -> str:
        return "" if self.hidden else str(self.value)

    @property
    def shown(self) -> bool:
        return not self.hidden


def _format(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.1f}"
    return f"{value:,}"


def _is_small(value: int | Decimal) -> bool:
    return 0 < value < SMALL_NUMBER_LIMIT


def count_cell(value: int) -> Cell:
    return Cell(value=value, is_count=True, hidden="small" if _is_small(value) else "")


def derived_cell(value: int | Decimal, *, from_cells: Iterable[Cell], suffix: str = "") -> Cell:
    """A figure worked out from counts: hidden when any of them is hidden."""
    hidden = any(cell.hidden for cell in from_cells)
    return Cell(value=value, is_count=False, hidden="derived" if hidden else "", suffix=suffix)


def hours(minutes: int | None) -> Decimal:
    """Minutes as hours, to one decimal place."""
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class ReportTable:
    key: str  # used in the CSV's address and file name
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    note: str = ""

    @property
    def has_hidden(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row.cells)

    def csv_rows(self) -> list[list[str]]:
        """The header and then one line per row, exactly as the page's table, hidden figures blank."""
        return [
            [self.row_header, *self.columns],
            *[[row.label, *[cell.csv for cell in row.cells]] for row in self.rows],
        ]


def _withhold_lone_hidden(rows: Sequence[Row]) -> None:
    """Where a column has exactly one hidden figure, hide the next smallest too (secondary suppression)."""
    if not rows:
        return
    for index in range(len(rows[0].cells)):
        cells = [row.cells[index] for row in rows]
        if sum(1 for cell in cells if cell.hidden) != 1:
            continue
        candidates = [cell for cell in cells if not cell.hidden and cell.value > 0]
        if candidates:
            min(candidates, key=lambda cell: cell.value).hidden = "withheld"


# --- the queries -------------------------------------------------------------------------------


def counted_transactions(*, timebank: Timebank, period: ReportPeriod) -> QuerySet[Transaction]:
    """Committed exchanges and group activities in the period that have not been reversed."""
    return Transaction.objects.filter(
        timebank=timebank,
        state=TransactionState.COMMITTED,
        kind__in=ACTIVITY_KINDS,
        service_date__gte=period.start,
        service_date__lte=period.end,
    ).exclude(reversed_by__state=TransactionState.COMMITTED)


def _activity_entries(*, timebank: Timebank, period: ReportPeriod) -> QuerySet[Entry]:
    counted = counted_transactions(timebank=timebank, period=period).values("pk")
    return Entry.objects.filter(transaction_id__in=counted)


_HOURS = Sum("amount_minutes", filter=Q(amount_minutes__gt=0))
_EXCHANGES = Count("transaction", distinct=True)
_ACTIVE = Count("account__member", distinct=True)


def _members_with_joined(timebank: Timebank) -> QuerySet[Member]:
    return Member.objects.filter(timebank=timebank).annotate(
        joined=Coalesce("joined_on", TruncDate("created_at"))
    )


def _registered_q(period: ReportPeriod, active_member_ids: QuerySet[Any]) -> Q:
    """Members who had joined by the end of the period and are still members (active or suspended),
    and anyone who traded in the period (so active members are always among the registered)."""
    return Q(joined__lte=period.end, status__in=MEMBER_STATUSES) | Q(pk__in=active_member_ids)


def _new_q(period: ReportPeriod) -> Q:
    """Members approved with a joining date in the period (including any who have since left)."""
    return Q(
        joined__gte=period.start,
        joined__lte=period.end,
        status__in=[*MEMBER_STATUSES, MemberStatus.LEFT],
    )


# --- the report --------------------------------------------------------------------------------


@dataclass
class Headline:
    label: str
    cell: Cell
    hint: str = ""


@dataclass
class ChartBar:
    label: str
    short_label: str
    cell: Cell
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class BarChart:
    """A bar chart drawn on the server as SVG: the same figures as a table on the page."""

    title: str
    description: str
    unit: str
    bars: list[ChartBar]
    width: int = 720
    height: int = 300
    top: int = 24
    bottom: int = 48
    left: int = 56
    right: int = 8
    ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


@dataclass
class FunderReport:
    timebank: Timebank
    period: ReportPeriod
    headlines: list[Headline]
    tables: list[ReportTable]
    chart: BarChart

    def table(self, key: str) -> ReportTable:
        return next(table for table in self.tables if table.key == key)


TABLE_KEYS = ("month", "ward", "locality", "category")


def funder_report(*, timebank: Timebank, period: ReportPeriod) -> FunderReport:
    """Everything on the funders' report page, in a fixed number of queries."""
    entries = _activity_entries(timebank=timebank, period=period)
    active_ids = entries.filter(account__member__isnull=False).values("account__member_id")
    members = _members_with_joined(timebank)

    headlines = _headlines(timebank, period, entries, members, active_ids)
    month_table = _month_table(period, entries, members)
    tables = [
        month_table,
        _ward_table(timebank, period, entries, members, active_ids),
        _locality_table(timebank, period, entries, members, active_ids),
        _category_table(entries),
    ]
    return FunderReport(
        timebank=timebank,
        period=period,
        headlines=headlines,
        tables=tables,
        chart=_hours_chart(month_table),
    )


def _headlines(
    timebank: Timebank,
    period: ReportPeriod,
    entries: QuerySet[Entry],
    members: QuerySet[Member],
    active_ids: QuerySet[Any],
) -> list[Headline]:
    activity = entries.aggregate(
        minutes=_HOURS,
        exchanges=_EXCHANGES,
        active=_ACTIVE,
        one_to_one=Count(
            "transaction", distinct=True, filter=Q(transaction__kind=TransactionKind.EXCHANGE)
        ),
        groups=Count(
            "transaction", distinct=True, filter=Q(transaction__kind=TransactionKind.GROUP)
        ),
        organisations=Count(
            "account",
            distinct=True,
            filter=Q(account__kind=AccountKind.ORGANISATION),
        ),
    )
    people = members.aggregate(
        registered=Count("pk", filter=_registered_q(period, active_ids)),
        new=Count("pk", filter=_new_q(period)),
    )
    donations = (
        Entry.objects.filter(
            transaction__timebank=timebank,
            transaction__state=TransactionState.COMMITTED,
            transaction__kind=TransactionKind.DONATION,
            transaction__service_date__gte=period.start,
            transaction__service_date__lte=period.end,
            account__kind=AccountKind.COMMUNITY_POT,
            amount_minutes__gt=0,
        )
        .exclude(transaction__reversed_by__state=TransactionState.COMMITTED)
        .aggregate(minutes=Sum("amount_minutes"), count=Count("transaction", distinct=True))
    )
    exchanges = count_cell(activity["exchanges"])
    active = count_cell(activity["active"])
    registered = count_cell(people["registered"])
    percent = round(100 * activity["active"] / people["registered"]) if people["registered"] else 0
    donation_count = count_cell(donations["count"])
    return [
        Headline(
            "Hours exchanged",
            derived_cell(hours(activity["minutes"]), from_cells=[active]),
            "The hours of help members and organisations earned. At a group activity each person "
            "who took part earns their hours.",
        ),
        Headline("Exchanges", exchanges, "One-to-one exchanges and group activities."),
        Headline("One-to-one exchanges", count_cell(activity["one_to_one"])),
        Headline(
            "Group activities",
            count_cell(activity["groups"]),
            "Such as coffee mornings: counted once each, however many took part.",
        ),
        Headline("Registered members", registered),
        Headline(
            "Active members",
            active,
            "Members who took part in at least one exchange or group activity in the period.",
        ),
        Headline(
            "Active members as a share of registered members",
            derived_cell(percent, from_cells=[active, registered], suffix="%"),
        ),
        Headline("New members", count_cell(people["new"]), "Joined during the period."),
        Headline(
            "Organisations that took part",
            count_cell(activity["organisations"]),
            "Organisations with a timebank account that gave or received help.",
        ),
        Headline("Donations to the community pot", donation_count),
        Headline(
            "Hours donated to the community pot",
            derived_cell(hours(donations["minutes"]), from_cells=[donation_count]),
        ),
    ]


def _row(
    label: str, *, registered: int, active: int, new: int, exchanges: int, minutes: int
) -> Row:
    registered_cell, active_cell = count_cell(registered), count_cell(active)
    exchanges_cell = count_cell(exchanges)
    return Row(
        label,
        [
            registered_cell,
            active_cell,
            count_cell(new),
            exchanges_cell,
            derived_cell(hours(minutes), from_cells=[active_cell]),
        ],
    )


AREA_COLUMNS = [
    "Registered members",
    "Active members",
    "New members",
    "Exchanges its members took part in",
    "Hours earned by its members",
]
AREA_NOTE = (
    "An exchange between members who live in two different places counts in both, so the exchanges "
    "in this table add up to more than the total. Hours are the hours the members living there earned."
)


def _area_rows(
    keys: list[tuple[Any, str]],
    people: dict[Any, dict[str, int]],
    activity: dict[Any, dict[str, int]],
    *,
    unknown_label: str,
) -> list[Row]:
    rows = []
    for key, label in [*keys, (None, unknown_label)]:
        figures = {**people.get(key, {}), **activity.get(key, {})}
        if key is None and not any(figures.values()):
            continue
        rows.append(
            _row(
                label,
                registered=figures.get("registered", 0),
                active=figures.get("active", 0),
                new=figures.get("new", 0),
                exchanges=figures.get("exchanges", 0),
                minutes=figures.get("minutes") or 0,
            )
        )
    _withhold_lone_hidden(rows)
    return rows


def _grouped_people(
    members: QuerySet[Member], field_name: str, period: ReportPeriod, active_ids: QuerySet[Any]
) -> dict[Any, dict[str, int]]:
    rows = (
        members.values(field_name)
        .order_by()
        .annotate(
            registered=Count("pk", filter=_registered_q(period, active_ids)),
            new=Count("pk", filter=_new_q(period)),
        )
    )
    return {row[field_name]: row for row in rows}


def _grouped_activity(entries: QuerySet[Entry], field_name: str) -> dict[Any, dict[str, int]]:
    rows = (
        entries.filter(account__member__isnull=False)
        .values(field_name)
        .order_by()
        .annotate(minutes=_HOURS, exchanges=_EXCHANGES, active=_ACTIVE)
    )
    return {row[field_name]: row for row in rows}


def _ward_table(
    timebank: Timebank,
    period: ReportPeriod,
    entries: QuerySet[Entry],
    members: QuerySet[Member],
    active_ids: QuerySet[Any],
) -> ReportTable:
    people = _grouped_people(members, "ward_id", period, active_ids)
    activity = _grouped_activity(entries, "account__member__ward_id")
    ward_ids = {key for key in [*people, *activity] if key is not None}
    locality_wards = Locality.wards.through.objects.filter(locality__timebank=timebank)
    wards = Area.objects.filter(
        Q(pk__in=ward_ids) | Q(kind=AreaKind.WARD, pk__in=locality_wards.values("area_id"))
    ).order_by("name", "code")
    keys = [(ward.pk, ward.name) for ward in wards]
    return ReportTable(
        key="ward",
        title="By ward",
        row_header="Ward",
        columns=AREA_COLUMNS,
        rows=_area_rows(keys, people, activity, unknown_label="No ward recorded"),
        note=AREA_NOTE + " A member's ward comes from their postcode.",
    )


def _locality_table(
    timebank: Timebank,
    period: ReportPeriod,
    entries: QuerySet[Entry],
    members: QuerySet[Member],
    active_ids: QuerySet[Any],
) -> ReportTable:
    people = _grouped_people(members, "locality_id", period, active_ids)
    activity = _grouped_activity(entries, "account__member__locality_id")
    keys = list(
        Locality.objects.filter(timebank=timebank).order_by("name", "id").values_list("pk", "name")
    )
    return ReportTable(
        key="locality",
        title="By locality group",
        row_header="Locality group",
        columns=AREA_COLUMNS,
        rows=_area_rows(keys, people, activity, unknown_label="No locality group"),
        note=AREA_NOTE,
    )


def _category_table(entries: QuerySet[Entry]) -> ReportTable:
    figures = {
        row["transaction__category_id"]: row
        for row in entries.values("transaction__category_id")
        .order_by()
        .annotate(minutes=_HOURS, exchanges=_EXCHANGES, active=_ACTIVE)
    }
    categories = Category.objects.filter(
        Q(is_goods=False) | Q(pk__in=[key for key in figures if key is not None])
    ).order_by("name", "id")
    rows = []
    for key, label in [*((c.pk, c.name) for c in categories), (None, "No category given")]:
        row = figures.get(key, {})
        if key is None and not row:
            continue
        exchanges, active = count_cell(row.get("exchanges", 0)), count_cell(row.get("active", 0))
        rows.append(
            Row(
                label,
                [
                    exchanges,
                    derived_cell(hours(row.get("minutes")), from_cells=[active]),
                    active,
                ],
            )
        )
    _withhold_lone_hidden(rows)
    return ReportTable(
        key="category",
        title="By category",
        row_header="Category",
        columns=["Exchanges", "Hours exchanged", "Members who took part"],
        rows=rows,
    )


def _month_table(
    period: ReportPeriod, entries: QuerySet[Entry], members: QuerySet[Member]
) -> ReportTable:
    activity = {
        _first_of_month(row["month"]): row
        for row in entries.annotate(month=TruncMonth("transaction__service_date"))
        .values("month")
        .order_by()
        .annotate(minutes=_HOURS, exchanges=_EXCHANGES, active=_ACTIVE)
    }
    joined = {
        _first_of_month(row["month"]): row["new"]
        for row in members.filter(_new_q(period))
        .annotate(month=TruncMonth("joined"))
        .values("month")
        .order_by()
        .annotate(new=Count("pk"))
    }
    rows = []
    for month in period.months():
        row = activity.get(month, {})
        exchanges, active = count_cell(row.get("exchanges", 0)), count_cell(row.get("active", 0))
        rows.append(
            Row(
                f"{month:%B %Y}",
                [
                    exchanges,
                    derived_cell(hours(row.get("minutes")), from_cells=[active]),
                    active,
                    count_cell(joined.get(month, 0)),
                ],
            )
        )
    _withhold_lone_hidden(rows)
    return ReportTable(
        key="month",
        title="By month",
        row_header="Month",
        columns=["Exchanges", "Hours exchanged", "Active members", "New members"],
        rows=rows,
        note="Exchanges are counted in the month the help was given.",
    )


def _first_of_month(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


# --- the chart ---------------------------------------------------------------------------------


def _nice_step(top: Decimal) -> Decimal:
    """A round step for the axis so that about four ticks cover ``top``."""
    if top <= 0:
        return Decimal(1)
    raw = top / 4
    magnitude = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for multiple in (1, 2, 5, 10):
        step = magnitude * multiple
        if step >= raw:
            return step
    return magnitude * 10


def _tick(value: Decimal) -> str:
    return _format(int(value)) if value == int(value) else _format(value)


def _hours_chart(month_table: ReportTable) -> BarChart:
    """Hours exchanged by month as a bar chart: the bars are the month table's hours column."""
    column = month_table.columns.index("Hours exchanged")
    bars = [
        ChartBar(label=row.label, short_label=row.label[:3], cell=row.cells[column])
        for row in month_table.rows
    ]
    chart = BarChart(
        title="Hours exchanged by month",
        description="",
        unit="hours",
        bars=bars,
    )
    shown = [Decimal(bar.cell.value) for bar in bars if bar.cell.shown]
    top = max(shown, default=Decimal(0))
    step = _nice_step(top)
    axis_top = max(step * 4, step * ((top / step).to_integral_value(rounding=ROUND_CEILING)))
    plot_height = chart.height - chart.top - chart.bottom
    plot_width = chart.width - chart.left - chart.right
    slot = plot_width / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar.width = round(slot * 0.7, 1)
        bar.x = round(chart.left + slot * index + slot * 0.15, 1)
        value = Decimal(bar.cell.value) if bar.cell.shown else Decimal(0)
        bar.height = round(float(value / axis_top) * plot_height, 1) if axis_top else 0
        bar.y = round(chart.baseline - bar.height, 1)
    chart.ticks = [
        (round(chart.baseline - float(step * n / axis_top) * plot_height, 1), _tick(step * n))
        for n in range(int(axis_top / step) + 1)
    ]
    described = "; ".join(f"{bar.label}: {bar.cell.text}" for bar in bars)
    chart.description = (
        f"A bar chart of the hours exchanged in each month. {described}. "
        "The same figures are in the table below."
    )
    return chart

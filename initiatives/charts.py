"""Server-rendered SVG charts for the dashboard: no JavaScript, no CDN.

Each chart comes with the rows of its text alternative, which the template shows as
a table. Colours are never the only carrier of meaning: bars carry their labels and
numbers as text, and milestone markers differ in shape as well as colour.

The status chart is built here as escaped SVG; the timeline is a ``Timeline`` (its
geometry and each milestone's state worked out once) that
templates/initiatives/_timeline_chart.svg draws, through ``{% timeline_chart %}``.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import format_at_precision
from .models import Initiative, Milestone
from .timetravel import resolve_as_of
from .translation import translated
from .vocabularies import InitiativeKind

TIMELINE_START_YEAR = 2023
TIMELINE_MIN_END_YEAR = 2030
TIMELINE_MAX_ROWS = 40


def _truncate(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def status_bar_chart(rows):
    """Horizontal bars, one per status (and "not yet assessed"), each labelled with its name and count."""
    label_width, bar_width, row_height, pad = 130, 200, 30, 10
    width = label_width + bar_width + 40
    height = pad * 2 + row_height * len(rows)
    largest = max([row["count"] for row in rows] + [1])
    parts = []
    for index, row in enumerate(rows):
        y = pad + index * row_height
        length = round(bar_width * row["count"] / largest)
        parts.append(
            format_html(
                '<g class="bar {css_class}">'
                "<title>{label}: {count} ({meaning})</title>"
                '<text class="bar-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect x="{bx}" y="{by}" width="{length}" height="{bh}" rx="3"></rect>'
                '<text class="bar-value" x="{vx}" y="{ty}">{count}</text>'
                "</g>",
                css_class=row["css_class"],
                label=row["label"],
                meaning=row["meaning"],
                count=row["count"],
                lx=label_width - 8,
                ty=y + row_height / 2 + 5,
                bx=label_width,
                by=y + 5,
                bh=row_height - 10,
                length=max(length, 1 if row["count"] else 0),
                vx=label_width + length + 6,
            )
        )
    total = sum(row["count"] for row in rows)
    return {
        "svg": format_html(
            '<svg class="chart chart-status" viewBox="0 0 {w} {h}" role="img" aria-labelledby="chart-status-title '
            'chart-status-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="chart-status-title">{title}</title><desc id="chart-status-desc">{desc}</desc>{body}</svg>',
            w=width,
            h=height,
            title=_("Initiatives by current status"),
            desc=_("Bar chart of %(total)s initiatives; the same numbers are in the table below.") % {"total": total},
            body=mark_safe("".join(parts)),  # noqa: S308 - every part was built by format_html
        ),
        "rows": rows,
    }


MILESTONE_STATES = {
    "achieved": gettext_lazy("achieved"),
    "pending": gettext_lazy("pending"),
    "overdue": gettext_lazy("overdue"),
}
# The timeline's layout, in SVG units.
LABEL_WIDTH, PLOT_WIDTH, ROW_HEIGHT, TOP, BOTTOM = 230, 560, 28, 30, 46


def milestone_state(milestone):
    """achieved, overdue or pending, from Milestone.objects.with_state's annotations."""
    return "achieved" if milestone.is_achieved else ("overdue" if milestone.is_overdue else "pending")


@dataclass(frozen=True)
class Marker:
    """A milestone's shape centred on (x, y): a circle when achieved, a triangle when
    overdue, a diamond when pending."""

    state: str
    x: float
    y: float

    @property
    def points(self):
        """The polygon's points (triangle or diamond)."""
        x, y = self.x, self.y
        if self.state == "overdue":
            return f"{x},{y - 7} {x + 7},{y + 6} {x - 7},{y + 6}"
        return f"{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}"


@dataclass(frozen=True)
class TimelineMilestone:
    milestone: Milestone
    state: str
    marker: Marker

    @property
    def state_label(self):
        return MILESTONE_STATES[self.state]


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    open_ended: bool


@dataclass(frozen=True)
class TimelineRow:
    """One program: its label, the bar over its period (None without a start) and its milestones."""

    initiative: Initiative
    top: int
    bar: Bar | None
    milestones: list

    @property
    def label_y(self):
        return self.top + ROW_HEIGHT / 2 + 4

    @property
    def bar_y(self):
        return self.top + 7

    @property
    def short_title(self):
        return _truncate(self.initiative.tr.title, 32)


@dataclass(frozen=True)
class Timeline:
    """Programs as bars over their period from TIMELINE_START_YEAR, their milestones as
    markers on the bar's row, as they stood on ``as_of`` (None: today)."""

    as_of: datetime.date | None
    first_year: int
    last_year: int
    rows: list = field(default_factory=list)

    start_year = TIMELINE_START_YEAR
    label_width = LABEL_WIDTH
    bar_height = ROW_HEIGHT - 14

    @classmethod
    def on(cls, as_of=None):
        """Two queries: the programs (with milestones prefetched) whose period or
        milestones fall in the window."""
        programs = timeline_programs(as_of)
        first_year, last_year = _year_span(as_of, programs)
        timeline = cls(as_of, first_year, last_year)
        timeline.rows.extend(timeline.row(index, program) for index, program in enumerate(programs))
        return timeline

    def row(self, index, program):
        top = TOP + index * ROW_HEIGHT
        bar = None
        if program.period_start:
            end = program.period_end or datetime.date(self.last_year + 1, 1, 1)
            x1, x2 = self.x_of(program.period_start), self.x_of(end)
            bar = Bar(x1, max(x2 - x1, 2), open_ended=not program.period_end)
        milestones = []
        for milestone in program.timeline_milestones:
            state = milestone_state(milestone)
            marker = Marker(state, self.x_of(milestone.due_on), top + ROW_HEIGHT / 2)
            milestones.append(TimelineMilestone(milestone, state, marker))
        return TimelineRow(program, top, bar, milestones)

    # -- geometry

    @property
    def width(self):
        return LABEL_WIDTH + PLOT_WIDTH + 20

    @property
    def height(self):
        return TOP + ROW_HEIGHT * max(len(self.rows), 1) + BOTTOM

    @property
    def plot_bottom(self):
        return self.height - BOTTOM

    def x_of(self, day):
        first = datetime.date(self.first_year, 1, 1)
        after = datetime.date(self.last_year + 1, 1, 1)
        day = min(max(day, first), after)
        return round(LABEL_WIDTH + PLOT_WIDTH * (day - first).days / (after - first).days, 1)

    @property
    def grid(self):
        """Each year's line (x) and label (label_x, year); the last line closes the plot, unlabelled."""
        lines = []
        for year in range(self.first_year, self.last_year + 1):
            x = self.x_of(datetime.date(year, 1, 1))
            lines.append({"x": x, "label_x": x + 4, "year": year})
        return [*lines, {"x": LABEL_WIDTH + PLOT_WIDTH, "year": None}]

    @property
    def grid_top(self):
        return TOP - 6

    @property
    def axis_label_y(self):
        return TOP - 10

    @property
    def empty_label_y(self):
        return TOP + ROW_HEIGHT / 2 + 4

    @property
    def reference(self):
        """The line at the date drawn (x, label), None when it is outside the years shown."""
        day = resolve_as_of(self.as_of)
        if not datetime.date(self.first_year, 1, 1) <= day <= datetime.date(self.last_year, 12, 31):
            return None
        label = _("as of %(date)s") % {"date": format_at_precision(day)} if self.as_of else _("today")
        x = self.x_of(day)
        return {"x": x, "label_x": x + 3, "label": label}

    @property
    def legend(self):
        """(kind, label, x, marker) of each legend entry: shapes, not only colours."""
        y = self.height - 12
        entries, x = [], LABEL_WIDTH
        for kind, label in [("period", _("Program period")), *MILESTONE_STATES.items()]:
            entries.append({"kind": kind, "label": label, "x": x, "marker": Marker(kind, x + 6, y - 4)})
            x += 24 + 8 * len(str(label)) + 16
        return {"y": y, "entries": entries}

    # -- words

    @property
    def title(self):
        return _("Timeline of national programs and their milestones since %(year)s") % {"year": TIMELINE_START_YEAR}

    @property
    def description(self):
        return _(
            "%(programs)s programs drawn as bars over their period, milestones as markers: a circle when achieved, "
            "a diamond when pending, a triangle when overdue. The table below lists the same facts."
        ) % {"programs": len(self.rows)}

    @property
    def empty_text(self):
        return _("No programs with a period or milestones since %(year)s.") % {"year": TIMELINE_START_YEAR}


def timeline_programs(as_of):
    """The programs known on ``as_of`` with a period reaching the window or a milestone
    due in it; milestones (with their state) as ``timeline_milestones``."""
    start_date = datetime.date(TIMELINE_START_YEAR, 1, 1)
    milestones = Milestone.objects.with_state(as_of).filter(due_on__gte=start_date).order_by("due_on", "title")
    programs = (
        Initiative.objects.announced(as_of)
        .filter(kind=InitiativeKind.PROGRAM)
        .only(
            *translated("title"),
            "slug",
            "pk",
            "period_start",
            "period_start_precision",
            "period_end",
            "period_end_precision",
        )
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="timeline_milestones"))
        .order_by("period_start", "title")[:TIMELINE_MAX_ROWS]
    )
    return [
        program
        for program in programs
        if program.timeline_milestones
        or (program.period_start and (program.period_end is None or program.period_end >= start_date))
    ]


def _year_span(as_of, programs):
    end = max(TIMELINE_MIN_END_YEAR, resolve_as_of(as_of).year + 1)
    for program in programs:
        if program.period_end:
            end = max(end, program.period_end.year)
        for milestone in program.timeline_milestones:
            end = max(end, milestone.due_on.year)
    return TIMELINE_START_YEAR, min(end, TIMELINE_START_YEAR + 20)

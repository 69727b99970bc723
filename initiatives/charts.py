"""Server-rendered SVG charts for the dashboard: no JavaScript, no CDN.

Each chart returns its SVG (escaped with format_html) together with the rows of
its text alternative, which the template shows as a table. Colours are never the
only carrier of meaning: bars carry their labels and numbers as text, and
milestone markers differ in shape as well as colour.
"""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .dates import format_at_precision

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


def _year_span(as_of, programs, milestones):
    end = max(TIMELINE_MIN_END_YEAR, (as_of or timezone.localdate()).year + 1)
    for program in programs:
        if program.period_end:
            end = max(end, program.period_end.year)
    for milestone in milestones:
        end = max(end, milestone.due_on.year)
    return TIMELINE_START_YEAR, min(end, TIMELINE_START_YEAR + 20)


def program_timeline(as_of=None):
    """Programs as bars over their period from 2023, their milestones as markers on the bar's row.

    Two queries: the programs (with milestones prefetched) whose period or
    milestones fall in the window.
    """
    from .models import Initiative, Milestone
    from .translation import translated
    from .vocabularies import InitiativeKind

    start_date = datetime.date(TIMELINE_START_YEAR, 1, 1)
    reference = as_of or timezone.localdate()
    milestones_qs = Milestone.objects.with_state(as_of).filter(due_on__gte=start_date).order_by("due_on", "title")
    programs = list(
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
        .prefetch_related(Prefetch("milestones", queryset=milestones_qs, to_attr="timeline_milestones"))
        .order_by("period_start", "title")[:TIMELINE_MAX_ROWS]
    )
    programs = [
        p
        for p in programs
        if p.timeline_milestones or (p.period_start and (p.period_end is None or p.period_end >= start_date))
    ]
    all_milestones = [m for p in programs for m in p.timeline_milestones]
    first_year, last_year = _year_span(as_of, programs, all_milestones)

    label_width, plot_width, row_height, top, bottom = 230, 560, 28, 30, 46
    width = label_width + plot_width + 20
    height = top + row_height * max(len(programs), 1) + bottom
    span_days = (datetime.date(last_year + 1, 1, 1) - datetime.date(first_year, 1, 1)).days

    def x_of(day):
        day = min(max(day, datetime.date(first_year, 1, 1)), datetime.date(last_year + 1, 1, 1))
        return round(label_width + plot_width * (day - datetime.date(first_year, 1, 1)).days / span_days, 1)

    parts = []
    # Year grid and labels.
    for year in range(first_year, last_year + 2):
        x = x_of(datetime.date(year, 1, 1)) if year <= last_year else label_width + plot_width
        parts.append(
            format_html(
                '<line class="grid" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"></line>',
                x=x,
                y1=top - 6,
                y2=height - bottom + 4,
            )
        )
        if year <= last_year:
            parts.append(
                format_html('<text class="axis-label" x="{x}" y="{y}">{year}</text>', x=x + 4, y=top - 10, year=year)
            )
    rows = []
    for index, program in enumerate(programs):
        y = top + index * row_height
        parts.append(
            format_html(
                '<text class="row-label" x="{x}" y="{y}" text-anchor="end"{lang}>{title}<title>{full}</title></text>',
                # An untranslated title is English: said so, as on the pages (lang="en").
                lang=mark_safe(' lang="en"') if program.tr.title.is_fallback else "",
                x=label_width - 8,
                y=y + row_height / 2 + 4,
                title=_truncate(program.tr.title, 32),
                full=program.tr.title,
            )
        )
        if program.period_start:
            end = program.period_end or datetime.date(last_year + 1, 1, 1)
            x1, x2 = x_of(program.period_start), x_of(end)
            parts.append(
                format_html(
                    '<rect class="period{open}" x="{x}" y="{y}" width="{w}" height="{h}" rx="3"></rect>',
                    open="" if program.period_end else " open-ended",
                    x=x1,
                    y=y + 7,
                    w=max(x2 - x1, 2),
                    h=row_height - 14,
                )
            )
        for milestone in program.timeline_milestones:
            mx, my = x_of(milestone.due_on), y + row_height / 2
            state = "achieved" if milestone.is_achieved else ("overdue" if milestone.is_overdue else "pending")
            if state == "achieved":
                shape = format_html('<circle cx="{}" cy="{}" r="6"></circle>', mx, my)
            elif state == "overdue":
                shape = format_html(
                    '<polygon points="{},{} {},{} {},{}"></polygon>', mx, my - 7, mx + 7, my + 6, mx - 7, my + 6
                )
            else:
                shape = format_html(
                    '<polygon points="{},{} {},{} {},{} {},{}"></polygon>',
                    mx,
                    my - 7,
                    mx + 7,
                    my,
                    mx,
                    my + 7,
                    mx - 7,
                    my,
                )
            parts.append(
                format_html(
                    '<g class="milestone {state}"><title>{title}: {due} ({state_label})</title>{shape}</g>',
                    state=state,
                    title=milestone.tr.title,
                    due=format_at_precision(milestone.due_on, milestone.due_on_precision),
                    state_label=MILESTONE_STATES[state](),
                    shape=shape,
                )
            )
        rows.append(
            {
                "initiative": program,
                "milestones": [
                    {
                        "milestone": m,
                        "state": "achieved" if m.is_achieved else ("overdue" if m.is_overdue else "pending"),
                    }
                    for m in program.timeline_milestones
                ],
            }
        )
    if not programs:
        parts.append(
            format_html(
                '<text class="row-label" x="{}" y="{}">{}</text>',
                label_width,
                top + row_height / 2 + 4,
                _("No programs with a period or milestones since %(year)s.") % {"year": TIMELINE_START_YEAR},
            )
        )
    # The date the chart is drawn as of.
    if datetime.date(first_year, 1, 1) <= reference <= datetime.date(last_year, 12, 31):
        rx = x_of(reference)
        parts.append(
            format_html(
                '<line class="reference" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}"></line>'
                '<text class="reference-label" x="{tx}" y="{ty}">{label}</text>',
                x=rx,
                y1=top - 4,
                y2=height - bottom + 4,
                tx=rx + 3,
                ty=height - bottom + 16,
                label=_("as of %(date)s") % {"date": format_at_precision(reference)} if as_of else _("today"),
            )
        )
    # Legend: shapes, not only colours.
    ly = height - 12
    legend = [
        ("period", _("Program period")),
        ("achieved", MILESTONE_STATES["achieved"]()),
        ("pending", MILESTONE_STATES["pending"]()),
        ("overdue", MILESTONE_STATES["overdue"]()),
    ]
    lx = label_width
    for key, label in legend:
        if key == "period":
            symbol = format_html('<rect class="period" x="{}" y="{}" width="18" height="10" rx="2"></rect>', lx, ly - 9)
        elif key == "achieved":
            symbol = format_html(
                '<g class="milestone achieved"><circle cx="{}" cy="{}" r="6"></circle></g>', lx + 6, ly - 4
            )
        elif key == "overdue":
            symbol = format_html(
                '<g class="milestone overdue"><polygon points="{},{} {},{} {},{}"></polygon></g>',
                lx + 6,
                ly - 11,
                lx + 13,
                ly + 2,
                lx - 1,
                ly + 2,
            )
        else:
            symbol = format_html(
                '<g class="milestone pending"><polygon points="{},{} {},{} {},{} {},{}"></polygon></g>',
                lx + 6,
                ly - 11,
                lx + 13,
                ly - 4,
                lx + 6,
                ly + 3,
                lx - 1,
                ly - 4,
            )
        parts.append(symbol)
        parts.append(format_html('<text class="legend-label" x="{}" y="{}">{}</text>', lx + 22, ly, label))
        lx += 24 + 8 * len(str(label)) + 16

    svg = format_html(
        '<svg class="chart chart-timeline" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="chart-timeline-title chart-timeline-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-timeline-title">{title}</title><desc id="chart-timeline-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        title=_("Timeline of national programs and their milestones since %(year)s") % {"year": TIMELINE_START_YEAR},
        desc=_(
            "%(programs)s programs drawn as bars over their period, milestones as markers: a circle when achieved, "
            "a diamond when pending, a triangle when overdue. The table below lists the same facts."
        )
        % {"programs": len(programs)},
        body=mark_safe("".join(parts)),  # noqa: S308 - every part was built by format_html
    )
    return {"svg": svg, "rows": rows, "start_year": TIMELINE_START_YEAR}


MILESTONE_STATES = {
    "achieved": lambda: _("achieved"),
    "pending": lambda: _("pending"),
    "overdue": lambda: _("overdue"),
}

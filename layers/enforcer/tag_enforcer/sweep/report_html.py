"""The visual compliance report: one self-contained HTML file (inline CSS and SVG, no script).

Nothing is fetched when it opens: no CDN, font, script or image; the only addresses
are links a reader may follow to the AWS console. Every value from the account goes
through `html.escape`, attributes included, so a resource name cannot inject markup.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from tag_enforcer.core.console_links import sagemaker_console_url
from tag_enforcer.core.decisions import FlagReason
from tag_enforcer.core.fix_commands import DOMAIN_ID_PLACEHOLDER, fix_commands
from tag_enforcer.sweep.compliance import (
    COVERAGE_LABELS,
    NO_DOMAIN,
    ROW_COVERAGE,
    ComplianceReport,
    Coverage,
    ReportChange,
    coverage_share,
    domain_label,
)
from tag_enforcer.sweep.report import ReportRow

# Colour per category, readable on white and distinguishable for the common colour
# vision deficiencies (green and red also differ in lightness).
COLOURS: Mapping[Coverage, tuple[int, int, int]] = {
    Coverage.TAGGED: (26, 127, 55),
    Coverage.TRUSTED: (9, 105, 218),
    Coverage.TO_TAG: (191, 135, 0),
    Coverage.FLAGGED: (207, 34, 46),
    Coverage.UNAVAILABLE: (110, 119, 129),
}
CHANGES_LISTED = 50
_FIX_ADVICE = {
    FlagReason.MISMATCH.value: (
        "The tags contradict the evidence. Check with the creator; if the evidence is "
        "right, this sets the tags it supports:"
    ),
    FlagReason.UNATTRIBUTABLE.value: (
        f"Nothing ties it to a domain. Decide which domain it belongs to, replace "
        f"{DOMAIN_ID_PLACEHOLDER}, and run the command, or add an admin rule for its role:"
    ),
    FlagReason.AMBIGUOUS.value: (
        f"The evidence allows more than one domain (see the candidates). Pick one, "
        f"replace {DOMAIN_ID_PLACEHOLDER}, and run:"
    ),
}

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 0; color: #1f2328; background: #f6f8fa; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 8px; }
h4 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; color: #59636e; }
.meta { color: #59636e; margin: 0; }
.tiles { display: flex; gap: 12px; flex-wrap: wrap; }
.tile { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 16px;
  min-width: 150px; border-top: 4px solid var(--c); }
.tile .n { font-size: 26px; font-weight: 600; }
.tile .l { color: #59636e; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.cell { text-align: right; font-variant-numeric: tabular-nums; min-width: 72px; }
td.zero { color: #8c959f; }
td.na { color: #59636e; font-style: italic; text-align: left; }
.domain-head td { background: #eef1f4; font-weight: 600; }
svg { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: #1f2328; }
.legend { display: flex; gap: 16px; margin: 8px 0; flex-wrap: wrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  vertical-align: -1px; margin-right: 4px; background: var(--c); }
.finding { background: #fff; border: 1px solid #d0d7de; border-left: 4px solid #cf222e;
  border-radius: 6px; padding: 12px 16px; margin: 0 0 12px; }
.finding[data-reason="unattributable"], .finding[data-reason="ambiguous"] {
  border-left-color: #bf8700; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px;
  color: #fff; background: #cf222e; margin-right: 6px; }
.badge.unattributable, .badge.ambiguous { background: #bf8700; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { color: #59636e; }
dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.fix { background: #1f2328; color: #f0f3f6; padding: 8px 12px; border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
ol.evidence { margin: 0; padding-left: 20px; }
.rule { font-weight: 600; }
.fields, .candidates { color: #59636e; overflow-wrap: anywhere; }
.up { color: #1a7f37; } .down { color: #cf222e; }
footer { color: #59636e; margin-top: 32px; }
"""


def _e(value: Any) -> str:
    """Escaped text for an element or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _rgba(category: Coverage, alpha: float) -> str:
    red, green, blue = COLOURS[category]
    return f"rgba({red},{green},{blue},{alpha:.2f})"


def _hex(category: Coverage) -> str:
    return "#{:02x}{:02x}{:02x}".format(*COLOURS[category])


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"


def render_html(report: ComplianceReport) -> str:
    """The report as one HTML document."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>SageMaker tag compliance - {_e(report.account or 'account')} "
        f"{_e(report.region)}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        _header(report),
        _tiles(report),
        _bar_chart(report),
        _heat_map(report),
        _change(report.change()),
        _findings(report),
        _types(report),
        "<footer>Written by tag-enforcer from the sweep's report rows. The JSON and CSV "
        "reports hold every row; this page shows the coverage and at most "
        f"{len(report.findings)} of {report.finding_count} findings in full.</footer>",
        "</main></body></html>\n",
    ]
    return "\n".join(parts)


def _header(report: ComplianceReport) -> str:
    what = "dry run" if report.dry_run else f"{report.mode} mode"
    facts = [
        f"account {_e(report.account or '?')}",
        f"region {_e(report.region or '?')}",
        _e(what),
        f"run {_e(report.run_id)}",
        f"started {_e(report.started_at or '?')}",
    ]
    if report.finished_at:
        facts.append(f"finished {_e(report.finished_at)}")
    return (
        '<header><h1>SageMaker tag compliance</h1><p class="meta">'
        + " · ".join(facts)
        + f" · {report.judged} resources judged</p></header>"
    )


def _tiles(report: ComplianceReport) -> str:
    totals = report.totals
    judged = report.judged or 1
    tiles = []
    for category in ROW_COVERAGE:
        count = totals.get(category.value, 0)
        tiles.append(
            f'<div class="tile" data-category="{category.value}" style="--c:{_hex(category)}">'
            f'<div class="n">{count}</div><div class="l">{_e(COVERAGE_LABELS[category])} · '
            f"{count * 100 / judged:.0f}%</div></div>"
        )
    unavailable = len(report.unavailable_types) + len(report.incomplete_types)
    tiles.append(
        f'<div class="tile" data-category="unavailable" style="--c:{_hex(Coverage.UNAVAILABLE)}">'
        f'<div class="n">{unavailable}</div><div class="l">types unavailable or incomplete</div>'
        "</div>"
    )
    return f'<section id="totals" class="tiles">{"".join(tiles)}</section>'


def _legend() -> str:
    items = "".join(
        f'<span><span class="swatch" style="--c:{_hex(c)}"></span>{_e(COVERAGE_LABELS[c])}</span>'
        for c in ROW_COVERAGE
    )
    return f'<div class="legend">{items}</div>'


def _domains(report: ComplianceReport) -> list[tuple[str, Counter[str]]]:
    by_domain = report.current.by_domain()
    # Named domains by their label, "no domain" last: it is where the work is.
    return sorted(by_domain.items(), key=lambda item: (item[0] == NO_DOMAIN, domain_label(item[0])))


def _bar_chart(report: ComplianceReport) -> str:
    domains = _domains(report)
    label_width, bar_width, row_height, top = 190, 760, 30, 10
    width = label_width + bar_width + 120
    height = top * 2 + row_height * max(1, len(domains))
    largest = max((sum(c.values()) for _, c in domains), default=0) or 1
    shapes = []
    for index, (domain, counts) in enumerate(domains):
        y = top + index * row_height
        total = sum(counts.values())
        shapes.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end">'
            f"<title>{_e(domain or 'resources the evidence ties to no domain')}</title>"
            f"{_e(domain_label(domain))}</text>"
        )
        x = float(label_width)
        for category in ROW_COVERAGE:
            count = counts.get(category.value, 0)
            if not count:
                continue
            segment = bar_width * count / largest
            shapes.append(
                f'<rect class="bar" data-domain="{_e(domain_label(domain))}" '
                f'data-category="{category.value}" data-count="{count}" x="{x:.1f}" y="{y + 5}" '
                f'width="{max(segment, 1.0):.1f}" height="{row_height - 10}" '
                f'fill="{_hex(category)}"><title>{_e(domain_label(domain))}: {count} '
                f"{_e(COVERAGE_LABELS[category])}</title></rect>"
            )
            x += segment
        shapes.append(
            f'<text x="{x + 6:.1f}" y="{y + 19}">{total} · '
            f"{_e(_percent(coverage_share(counts)))} covered</text>"
        )
    if not domains:
        shapes.append(f'<text x="{label_width}" y="{top + 19}">no resources judged</text>')
    return (
        '<section id="coverage-chart"><h2>Coverage by domain</h2>'
        + _legend()
        + f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="resources per domain by category">'
        + "".join(shapes)
        + "</svg></section>"
    )


def _cell(category: Coverage, count: int, row_total: int) -> str:
    if not count:
        return f'<td class="cell zero" data-category="{category.value}" data-count="0">0</td>'
    share = count / row_total if row_total else 0.0
    alpha = 0.15 + 0.75 * share
    colour = "#ffffff" if alpha > 0.55 else "#1f2328"
    return (
        f'<td class="cell" data-category="{category.value}" data-count="{count}" '
        f'style="background:{_rgba(category, alpha)};color:{colour}" '
        f'title="{count} {_e(COVERAGE_LABELS[category])} ({share * 100:.0f}%)">{count}</td>'
    )


def _heat_map(report: ComplianceReport) -> str:
    head = (
        "<tr><th>domain</th><th>resource type</th>"
        + "".join(f'<th class="num">{_e(COVERAGE_LABELS[c])}</th>' for c in Coverage)
        + '<th class="num">covered</th></tr>'
    )
    body = []
    cells = report.current.cells
    for domain, _ in _domains(report):
        types = sorted(t for d, t in cells if d == domain)
        body.append(
            f'<tr class="domain-head"><td colspan="{len(Coverage) + 3}" title="{_e(domain)}">'
            f"{_e(domain_label(domain))}</td></tr>"
        )
        for type_name in types:
            counts = cells[(domain, type_name)]
            total = sum(counts.values())
            row = [
                f'<tr class="heat-row" data-domain="{_e(domain_label(domain))}" '
                f'data-type="{_e(type_name)}"><td></td><td>{_e(type_name)}</td>'
            ]
            row.extend(_cell(c, counts.get(c.value, 0), total) for c in ROW_COVERAGE)
            row.append(
                f'<td class="cell zero" data-category="{Coverage.UNAVAILABLE.value}" '
                'data-count="0">-</td>'
            )
            row.append(f'<td class="num">{_e(_percent(coverage_share(counts)))}</td></tr>')
            body.append("".join(row))
    missing = {**report.unavailable_types, **report.incomplete_types}
    if missing:
        body.append(
            f'<tr class="domain-head"><td colspan="{len(Coverage) + 3}">every domain: types '
            "not swept</td></tr>"
        )
        for type_name, reason in sorted(missing.items()):
            state = "incomplete" if type_name in report.incomplete_types else "unavailable"
            body.append(
                f'<tr class="heat-row" data-domain="every domain" data-type="{_e(type_name)}">'
                f"<td></td><td>{_e(type_name)}</td>"
                f'<td class="na" colspan="{len(ROW_COVERAGE)}">{_e(reason)}</td>'
                f'<td class="cell" data-category="unavailable" data-count="1" '
                f'style="background:{_rgba(Coverage.UNAVAILABLE, 0.6)};color:#fff">'
                f'{state}</td><td class="num">-</td></tr>'
            )
    if len(body) == 0:
        body.append(f'<tr><td colspan="{len(Coverage) + 3}">no resources judged</td></tr>')
    return (
        '<section id="coverage"><h2>Coverage by domain and resource type</h2>'
        "<p>Each cell counts resources; its colour deepens with its share of the row. "
        "Covered = tagged and trusted as a share of the resources judged.</p>"
        f'<table class="heatmap"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'
        "</section>"
    )


def _signed(number: int) -> str:
    if number > 0:
        return f"+{number}"
    return str(number)


def _arn_list(arns: Iterable[str], css: str) -> str:
    listed = list(arns)
    items = "".join(f"<li><code>{_e(arn)}</code></li>" for arn in listed[:CHANGES_LISTED])
    more = (
        f"<li>and {len(listed) - CHANGES_LISTED} more (the JSON report has all)</li>"
        if len(listed) > CHANGES_LISTED
        else ""
    )
    return f'<ul class="{css}">{items}{more}</ul>' if listed else "<p>none</p>"


def _change(change: ReportChange | None) -> str:
    if change is None:
        return (
            '<section id="change"><h2>Change since the previous report</h2>'
            "<p>No previous report was given (tag-enforcer report --previous FILE; the "
            "deployed sweep compares with its last report).</p></section>"
        )
    rows = []
    for category in ROW_COVERAGE:
        before = change.before.get(category.value, 0)
        after = change.after.get(category.value, 0)
        better = (after - before) * (1 if category in (Coverage.TAGGED, Coverage.TRUSTED) else -1)
        css = "up" if better > 0 else "down" if better < 0 else ""
        rows.append(
            f'<tr data-category="{category.value}"><td>{_e(COVERAGE_LABELS[category])}</td>'
            f'<td class="num">{before}</td><td class="num">{after}</td>'
            f'<td class="num {css}">{_signed(after - before)}</td></tr>'
        )
    domain_rows = "".join(
        f'<tr><td>{_e(domain_label(domain))}</td><td class="num">{_e(_percent(old))}</td>'
        f'<td class="num">{_e(_percent(new))}</td></tr>'
        for domain, (old, new) in change.domains.items()
    )
    approximate = (
        ""
        if change.exact
        else "<p>One of the reports flagged more resources than it remembers by ARN: the "
        "lists below are partial.</p>"
    )
    return (
        '<section id="change"><h2>Change since the previous report</h2>'
        f"<p>Previous run {_e(change.previous_run_id)} (started "
        f"{_e(change.previous_started_at or '?')}).</p>"
        '<table class="change"><thead><tr><th>category</th><th class="num">before</th>'
        '<th class="num">now</th><th class="num">change</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<h4>Coverage by domain</h4><table class="change-domains"><thead><tr><th>domain</th>'
        '<th class="num">before</th><th class="num">now</th></tr></thead>'
        f"<tbody>{domain_rows}</tbody></table>{approximate}"
        f"<h4>Newly flagged ({len(change.new_findings)})</h4>"
        + _arn_list(change.new_findings, "new-findings")
        + f"<h4>No longer flagged ({len(change.resolved_findings)})</h4>"
        + _arn_list(change.resolved_findings, "resolved-findings")
        + "</section>"
    )


def _tag_list(tags: Mapping[str, str]) -> str:
    if not tags:
        return "none"
    return "<br>".join(f"<code>{_e(k)} = {_e(v)}</code>" for k, v in sorted(tags.items()))


def _evidence(entries: Iterable[Mapping[str, Any]]) -> str:
    items = []
    for entry in entries:
        fields = entry.get("fields") or {}
        field_text = ", ".join(f"{k}={v}" for k, v in fields.items()) if fields else "-"
        candidates = list(entry.get("candidates") or [])
        candidate_text = ", ".join(str(c) for c in candidates) if candidates else "none"
        items.append(
            '<li class="evidence-entry">'
            f'<span class="rule">{_e(entry.get("rule", "?"))}</span> · '
            f'<span class="fields">{_e(field_text)}</span><br>'
            f'<span class="conclusion">→ {_e(entry.get("conclusion", ""))}</span><br>'
            f'<span class="candidates">candidates: {_e(candidate_text)}</span></li>'
        )
    if not items:
        return "<p>no evidence source spoke</p>"
    return f'<ol class="evidence">{"".join(items)}</ol>'


def _finding(index: int, row: ReportRow) -> str:
    name = row.resource_arn.rsplit("/", 1)[-1]
    link = sagemaker_console_url(row.resource_type, row.resource_arn)
    console = f' · <a href="{_e(link)}">console</a>' if link else ""
    commands = fix_commands(row.resource_arn, row.supported_tags, row.found_tags)
    advice = _FIX_ADVICE.get(row.reason, "Decide the resource's domain, then run:")
    fixes = "".join(f'<pre class="fix">{_e(command)}</pre>' for command in commands)
    return (
        f'<article class="finding" id="finding-{index}" data-reason="{_e(row.reason)}">'
        f'<h3><span class="badge {_e(row.reason)}">{_e(row.reason or "flagged")}</span>'
        f"{_e(row.resource_type)} <code>{_e(name)}</code></h3><dl>"
        f"<dt>resource</dt><dd><code>{_e(row.resource_arn)}</code>{console}</dd>"
        f"<dt>domain the evidence names</dt><dd>{_e(row.domain_arn or 'none')}</dd>"
        f"<dt>tags found</dt><dd>{_tag_list(row.found_tags)}</dd>"
        f"<dt>tags the evidence supports</dt><dd>{_tag_list(row.supported_tags)}</dd>"
        "</dl><h4>Evidence</h4>"
        + _evidence(row.evidence)
        + f'<h4>Suggested fix</h4><p class="advice">{_e(advice)}</p>{fixes}</article>'
    )


def _findings(report: ComplianceReport) -> str:
    shown = len(report.findings)
    note = (
        f"<p>Showing {shown} of {report.finding_count}, mismatches first; the JSON and CSV "
        "reports list every one.</p>"
        if shown < report.finding_count
        else ""
    )
    articles = "".join(_finding(i, row) for i, row in enumerate(report.findings, start=1))
    if not articles:
        articles = "<p>Nothing was flagged.</p>"
    return (
        f'<section id="findings"><h2>Findings ({report.finding_count})</h2>{note}{articles}'
        "</section>"
    )


def _types(report: ComplianceReport) -> str:
    if not (report.unavailable_types or report.incomplete_types or report.not_judged):
        return ""
    rows = [
        f'<tr data-state="incomplete"><td>{_e(t)}</td><td>incomplete</td><td>{_e(r)}</td></tr>'
        for t, r in sorted(report.incomplete_types.items())
    ]
    rows += [
        f'<tr data-state="unavailable"><td>{_e(t)}</td><td>unavailable</td><td>{_e(r)}</td></tr>'
        for t, r in sorted(report.unavailable_types.items())
    ]
    not_judged = ", ".join(f"{n} {a}" for a, n in sorted(report.not_judged.items()))
    table = (
        '<table class="types"><thead><tr><th>resource type</th><th>state</th><th>why</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else ""
    )
    judged_note = f"<p>Not judged this run: {_e(not_judged)}.</p>" if not_judged else ""
    return f'<section id="types"><h2>Not swept or not judged</h2>{table}{judged_note}</section>'

"""Validation gates (Great Expectations): every suite of the pipeline, built in code.

Row-level expectations carry `meta.rule`, the key of the readable reason a failing row gets;
table-level failures stop the stage before anything is published.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from prefect.logging import get_run_logger

from scoring.applications import APPLICATION_REASONS, EMAIL
from scoring.config import ProgramConfig
from scoring.errors import StageStopped
from scoring.reasons import is_live, join_reasons
from scoring.record import FIELDS, QUALIFIED, REQUIRED, STATUSES, STEP2, Status
from tasks import task
from tasks.render import TEMPLATES, reason_texts
from tasks.workspace import Workspace


def application_suite(gxe, config: ProgramConfig) -> list:
    """Gate 1: one application row as the form should have produced it."""
    on = dt.datetime.combine(config.reference_date, dt.time())

    def rule(expectation, key: str):
        expectation.meta = {"rule": key}
        return expectation

    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        *[gxe.ExpectColumnToExist(column=c) for c in REQUIRED],
        rule(gxe.ExpectColumnValuesToNotBeNull(column="applicant_id"), "id_missing"),
        rule(gxe.ExpectColumnValuesToNotBeNull(column="name"), "name_missing"),
        rule(gxe.ExpectColumnValuesToNotBeNull(column="unit"), "unit_missing"),
        rule(gxe.ExpectColumnValuesToNotBeNull(column="email"), "email_missing"),
        rule(gxe.ExpectColumnValuesToMatchRegex(column="email", regex=EMAIL), "email_invalid"),
        rule(gxe.ExpectColumnValuesToNotBeNull(column="birth_date"), "birth_date_invalid"),
        rule(gxe.ExpectColumnValuesToBeBetween(column="birth_date", max_value=on,
                                               min_value=dt.datetime(1900, 1, 1)),
             "birth_date_implausible"),
        rule(gxe.ExpectColumnValuesToNotBeNull(column="staff_category"), "category_missing"),
        *[rule(gxe.ExpectColumnValuesToBeInSet(column=field, value_set=FIELDS[field].values),
               f"{field}_unknown")
          for field in ("staff_category", "immigrant_background", "consent")],
        rule(gxe.ExpectColumnValuesToBeInSet(column="is_latest", value_set=[True]), "superseded"),
    ]


def scored_suite(gxe, expected_rows: int) -> list:
    """Gate 2: the scored table is whole and consistent before it is published."""
    statuses = [*STATUSES, QUALIFIED]
    return [
        gxe.ExpectTableRowCountToEqual(value=expected_rows),
        gxe.ExpectColumnValuesToBeUnique(column="applicant_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="status"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=statuses),
        gxe.ExpectColumnValuesToBeBetween(column="score", min_value=0, max_value=100),
        gxe.ExpectColumnValuesToNotBeNull(column="score",
                                          row_condition=f'status=="{Status.INVITED}"',
                                          condition_parser="pandas"),
        gxe.ExpectColumnValuesToNotBeNull(column="reasons"),
    ]


def submissions_suite(gxe) -> list:
    """Gate 3, before any decoding: one live file per invited applicant, all inside the inbox."""
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="applicant_id"),
        gxe.ExpectColumnValuesToBeUnique(column="applicant_id"),
        gxe.ExpectColumnValuesToMatchRegex(column="file",
                                           regex=r"^(?:inbox/videos|uploads)/[^/]+$"),
        gxe.ExpectColumnValuesToBeInSet(column="is_symlink", value_set=[False]),
        gxe.ExpectColumnValuesToBeBetween(column="size", min_value=0),
    ]


def shortlist_suite(gxe, invited: int) -> list:
    """Gate 4: every invited applicant has a step-2 status, and the shortlisted have what the
    packets need."""
    shortlisted = f'status=="{Status.SHORTLISTED}"'
    return [
        gxe.ExpectTableRowCountToEqual(value=invited),
        gxe.ExpectColumnValuesToBeUnique(column="applicant_id"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STEP2)),
        gxe.ExpectColumnValuesToNotBeNull(column="status"),
        gxe.ExpectColumnValuesToBeBetween(column="video_score", min_value=0, max_value=100),
        gxe.ExpectColumnValuesToBeBetween(column="final_score", min_value=0, max_value=100),
        *[gxe.ExpectColumnValuesToNotBeNull(column=column, row_condition=shortlisted,
                                            condition_parser="pandas")
          for column in ("final_score", "media", "poster")],
    ]


def rankings_suite(gxe, shortlisted: list[str]) -> list:
    """Gate 5 on the ranks that count: known candidates, ranks from 1, no pair or rank twice."""
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="leader_id"),
        gxe.ExpectColumnValuesToBeInSet(column="applicant_id", value_set=shortlisted),
        gxe.ExpectColumnValuesToBeBetween(column="rank", min_value=1),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["leader_id", "applicant_id"]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["leader_id", "rank"]),
    ]


def docs_folder(ws: Workspace) -> Path:
    """Where the Great Expectations Data Docs of every gate go."""
    return ws.folder("reports") / "gx"


OUTSIDE = re.compile(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>'
                     r'|<link[^>]*\shref="https?://[^"]*"[^>]*>|<img[^>]*\ssrc="https?://[^"]*"[^>]*>'
                     r"|url\('?https?://[^)]*\)")


RUN = re.compile(r"'_table_row_link_path': '(validations/([^/']+)/[^/']+/(\d{8}T\d{6})[^']*)', "
                 r"'_validation_success_text': '(\w+)'")


def list_runs(index: Path) -> None:
    """Put the gate runs at the top of the Data Docs index as a plain table, newest first: GX
    lists them with scripts, which HR's pages never run."""
    html = index.read_text(encoding="utf-8")
    runs = sorted(RUN.findall(html), key=lambda run: run[2], reverse=True)
    rows = "".join(
        f'<tr><td><a href="{path}">{gate}</a></td>'
        f"<td>{dt.datetime.strptime(when, '%Y%m%dT%H%M%S'):%Y-%m-%d %H:%M:%S}</td>"
        f"<td>{result}</td></tr>" for path, gate, when, result in runs)
    table = ("<section><h1>Gate runs, newest first</h1><table><tr><th>Gate</th>"
             f"<th>Run (UTC)</th><th>Result</th></tr>{rows}</table></section>")
    index.write_text(html.replace("<body>", "<body>" + table, 1), encoding="utf-8")


def keep_inside(page: Path) -> None:
    """Drop what a Data Docs page would fetch from outside sites (the agency's network has no
    way out, and HR's pages allow none), and give it readable styles of its own instead."""
    if page.is_file():
        html = OUTSIDE.sub("", page.read_text(encoding="utf-8"))
        own = f"<style>{(TEMPLATES / 'datadocs.css').read_text(encoding='utf-8')}</style></head>"
        page.write_text(html.replace("</head>", own, 1), encoding="utf-8")


@dataclass(frozen=True)
class GateResult:
    name: str
    checks: list[dict]  # per expectation: its type, columns, success, failing rows, error


def gx_context(docs: Path) -> Any:
    """An ephemeral Great Expectations context whose suites and gate results are kept in the
    workspace (`docs`), so that the Data Docs list every gate run, newest first (an in-memory
    store would show only the last, and GX deletes the pages of runs it does not know)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    stores = InMemoryStoreBackendDefaults()
    for store, folder in ((stores.validation_results_store_name, "results"),
                          (stores.expectations_store_name, "suites")):
        stores.stores[store]["store_backend"] = {"class_name": "TupleFilesystemStoreBackend",
                                                 "base_directory": str(docs / folder)}
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=stores,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites={"reports": {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder",
                                   "view": view("IndexPageView")},
            "site_section_builders": {section: {"view": view("PageView")}
                                      for section in ("expectations", "validations")},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs)}}}))


def view(name: str) -> dict[str, str]:
    """One of the Data Docs views of `tasks.datadocs`, as GX's SiteBuilder names a view."""
    return {"module_name": "tasks.datadocs", "class_name": name}


def unrendered(docs: Path) -> list[tuple[str, ...]]:
    """The gate runs kept in `docs` that have no page yet: this stage's, and any of a stage
    that was killed before its end."""
    results = docs / "results"
    return [kept.relative_to(results).with_suffix("").parts for kept in results.rglob("*.json")
            if not docs.joinpath("validations", kept.relative_to(results)).with_suffix(".html")
            .exists()]


def write_data_docs(docs: Path) -> None:
    """Render the pages of the gate runs that have none, with their suites', and the index
    listing every run: once at a stage's end, whether it finished or stopped, since each
    rendering builds GX's site and its index of every kept run anew."""
    runs = unrendered(docs)
    if not runs:
        return
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    suites = sorted({run[0] for run in runs})
    gx_context(docs).build_data_docs(site_names=["reports"], resource_identifiers=[
        *map(ValidationResultIdentifier.from_tuple, runs),
        *(ExpectationSuiteIdentifier(name=suite) for suite in suites)])
    for page in [*(("validations", *run) for run in runs),
                 *(("expectations", suite) for suite in suites)]:
        keep_inside(docs.joinpath(*page).with_suffix(".html"))
    keep_inside(docs / "index.html")
    list_runs(docs / "index.html")


def run_suite(name: str, frame: pd.DataFrame, build: Callable,
              docs: Path) -> tuple[GateResult, list]:
    """Validate a frame (index reset to 0..n-1) against a suite, keeping the run in `docs` for
    the Data Docs the stage renders at its end; returns the summary and the raw GX results."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx_context(docs)
    batch = (context.data_sources.add_pandas(name).add_dataframe_asset(name)
             .add_batch_definition_whole_dataframe(name))
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=build(gxe)))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=name, validation_definitions=[definition], result_format="COMPLETE"))
    run = checkpoint.run(batch_parameters={"dataframe": frame})
    (result,) = run.run_results.values()
    checks = []
    for r in result.results:
        config = r.expectation_config
        assert config is not None, "every result of a suite's run names its expectation"
        rows = r.result.get("unexpected_index_list")
        column = config.kwargs.get("column")
        columns = [column] if column else list(config.kwargs.get("column_list", []))
        checks.append({"type": config.type, "columns": columns, "success": r.success,
                       "rows": None if rows is None else len(rows),
                       "error": (r.exception_info or {}).get("exception_message")})
    return GateResult(name, checks), result.results


@task
def gate_applications(apps: pd.DataFrame, config: ProgramConfig,
                      docs: Path) -> tuple[pd.DataFrame, GateResult]:
    """Gate 1. Returns the rows with `reasons` (empty for a live row) and the gate summary."""
    frame = apps.reset_index(drop=True)
    summary, results = run_suite("applications", frame,
                                 lambda gxe: application_suite(gxe, config), docs)
    stop_on_table_failures(summary, "applications")
    reasons = pd.DataFrame(index=frame.index)
    words = reason_texts(config.program.locale)
    for r in results:
        rule = (r.expectation_config.meta or {}).get("rule")
        failing = r.result.get("unexpected_index_list") or []
        if rule and failing:
            rows = frame.loc[failing]
            reasons[rule] = pd.Series(pd.NA, index=frame.index, dtype="string")
            reasons.loc[failing, rule] = APPLICATION_REASONS[rule](rows, words)
    out = frame.assign(reasons=join_reasons(reasons))
    bad = int((~is_live(out)).sum())
    limit = config.gates.max_quarantined_share
    if bad > limit * len(out):
        per_rule = "\n".join(f"  - {rule}: {n} rows" for rule, n in reasons.count().items() if n)
        raise StageStopped(
            f"{bad} of {len(out)} application rows ({bad / len(out):.0%}) failed validation, more "
            f"than the limit of {limit:.0%} (gates.max_quarantined_share); is this the right "
            f"export? Nothing was published. Failing rules:\n{per_rule}")
    get_run_logger().info("gate applications: %d rows, %d quarantined", len(out), bad)
    return out, summary


@task
def gate_scored(table: pd.DataFrame, apps: pd.DataFrame, docs: Path) -> GateResult:
    """Gate 2 on the scored table: one row for every applicant id among the application rows;
    any failure is a table-level stop."""
    frame = table.reset_index()
    expected = int(apps["applicant_id"].nunique())
    summary, _ = run_suite("scored", frame, lambda gxe: scored_suite(gxe, expected), docs)
    stop_on_table_failures(summary, "scored applicants", any_failure=True)
    return summary


def stop_on_table_failures(summary: GateResult, what: str, any_failure: bool = False) -> None:
    failed = [c for c in summary.checks if not c["success"]
              and (any_failure or c["rows"] is None)]
    if failed:
        lines = "\n".join(f"  - {c['type']}({', '.join(c['columns'])})"
                          + (f": {c['error']}" if c["error"] else "")
                          + (f" ({c['rows']} rows)" if c["rows"] else "") for c in failed)
        raise StageStopped(f"the {what} gate failed; nothing was published:\n{lines}")


@task
def gate_submissions(live: pd.DataFrame, docs: Path) -> GateResult:
    summary, _ = run_suite("submissions", live.reset_index(drop=True), submissions_suite, docs)
    stop_on_table_failures(summary, "video submissions", any_failure=True)
    return summary


@task
def gate_shortlist(videos: pd.DataFrame, count: int, docs: Path) -> GateResult:
    frame = videos.reset_index()
    summary, _ = run_suite("shortlist", frame,
                           lambda gxe: shortlist_suite(gxe, len(frame)), docs)
    stop_on_table_failures(summary, "shortlist", any_failure=True)
    if (frame["status"] == Status.SHORTLISTED).sum() > count:
        raise StageStopped(f"the shortlist has more than shortlist.count = {count} candidates")
    return summary


@task
def gate_rankings(ranks: pd.DataFrame, shortlisted: list[str], docs: Path) -> GateResult:
    summary, _ = run_suite("rankings", ranks.reset_index(drop=True),
                           lambda gxe: rankings_suite(gxe, shortlisted), docs)
    stop_on_table_failures(summary, "rankings", any_failure=True)
    return summary

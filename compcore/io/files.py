"""Files in and out: re-importable plan and scenario JSON, and reading a downloaded one back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from compcore.errors import PlanError
from compcore.plan.schema import Plan, dump_plan, load_plan, parse_json
from compcore.simulation.scenario import SCENARIO_SCHEMA, Scenario, dump_scenario, load_scenario

__all__ = ["MAX_IMPORT_BYTES", "Imported", "import_json", "plan_json", "scenario_json"]

def plan_json(plan: Plan) -> str:
    """The plan as pretty JSON, re-importable with ``load_plan``."""
    return json.dumps(dump_plan(plan), indent=2, ensure_ascii=False) + "\n"


def scenario_json(scn: Scenario) -> str:
    """The scenario as pretty JSON (plan inline), re-importable with ``load_scenario``."""
    return json.dumps(dump_scenario(scn), indent=2, ensure_ascii=False) + "\n"


#: largest JSON file the designer accepts for import (a plan or scenario is a few KiB)
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True)
class Imported:
    """A plan or scenario read back from a downloaded JSON file (``plan``: an org scenario's first plan)."""

    kind: Literal["plan", "scenario"]
    plan: Plan
    scenario: Scenario | None = None


def import_json(content: bytes | str, filename: str = "upload") -> Imported:
    """Read a plan or scenario JSON file (as downloaded from the plan document page).

    The kind is told by its ``schema`` (``compcore.plan/v1`` or
    ``compcore.scenario/v1``); a scenario must carry its plan inline. Every
    problem raises :class:`PlanError` starting with the file name.

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> plan = load_plan("sample_data/plans/cs_ops_enablement.json")
    >>> import_json(plan_json(plan)).plan == plan
    True
    """
    if not isinstance(content, bytes | bytearray | str):
        raise PlanError(f"{filename}: expected the file's bytes or text, got {type(content).__name__}")
    if len(content) > MAX_IMPORT_BYTES:
        raise PlanError(f"{filename}: the file is {len(content):,} bytes; a plan or scenario is at most "
                        f"{MAX_IMPORT_BYTES:,}")
    try:
        data = parse_json(content, "the file")
    except PlanError as e:
        raise PlanError(f"{filename}: not a JSON file ({e})") from None
    if not isinstance(data, dict):
        raise PlanError(f"{filename}: expected a plan or scenario object, got a JSON {type(data).__name__}")
    schema = data.get("schema")
    try:
        if schema == SCENARIO_SCHEMA or (schema is None and "roster" in data):
            if "plan_file" in data:
                raise PlanError("plan_file: an imported scenario must carry its plan inline")
            scn = load_scenario(data)
            return Imported("scenario", next(iter(scn.plans.values())), scn)  # an org: its first plan
        return Imported("plan", load_plan(data))
    except PlanError as e:
        raise PlanError(f"{filename}: {e}", problems=e.problems) from None

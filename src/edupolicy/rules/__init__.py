"""The rules engine: conditions, rules, groups, schedules, evaluation and explanation.

It knows nothing of students or teachers.  A domain (``edupolicy.aid``,
``edupolicy.teachers``) supplies its subject type, its leaf conditions and what its
rules give; the engine evaluates a schedule of such rules for a subject, resolves the
groups they compete in, and explains what applied and what did not.
"""

from edupolicy.rules.checks import check_schedule, duplicates, find_cycle
from edupolicy.rules.conditions import (
    AT_LEAST_ONE,
    NOT_BELOW_MIN,
    All,
    Any,
    Condition,
    ExtensionCondition,
    Leaf,
    Missing,
    Not,
    join_and,
    join_or,
    walk,
)
from edupolicy.rules.evaluate import (
    Applied,
    Evaluation,
    Lack,
    NotApplied,
    evaluate,
    resolve_one_wins,
)
from edupolicy.rules.model import Combination, Rule, RuleGroup, Schedule, Source
from edupolicy.rules.result import Result

__all__ = [
    "AT_LEAST_ONE",
    "NOT_BELOW_MIN",
    "All",
    "Any",
    "Applied",
    "Combination",
    "Condition",
    "Evaluation",
    "ExtensionCondition",
    "Lack",
    "Leaf",
    "Missing",
    "Not",
    "NotApplied",
    "Result",
    "Rule",
    "RuleGroup",
    "Schedule",
    "Source",
    "check_schedule",
    "duplicates",
    "evaluate",
    "find_cycle",
    "join_and",
    "join_or",
    "resolve_one_wins",
    "walk",
]

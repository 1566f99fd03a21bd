"""Load a rubric from a TOML file (or an inline table) and check everything before use.

Every problem is reported with its file, line and field path, and what would be valid. A rubric
that loads is safe to score with: criterion kinds and panel rules exist, formulas read only
names that exist, and keys are unique.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from scoring.document import Fields
from scoring.problems import ProblemCollector
from scoring.rubrics import CRITERION_KINDS, PANEL_RULES
from scoring.rubrics.criteria import VetoKind, read_rounding
from scoring.rubrics.formula import FormulaError, compile_formula
from scoring.rubrics.model import MISSING_POLICIES, Criterion, Parameter, Rubric, Section
from scoring.rubrics.ordinal import ORDINAL_RULES, OrdinalRule
from scoring.rubrics.panel import MeanRule, PanelRule
from scoring.rubrics.parts_loader import read_attempts, read_entry_part
from scoring.rubrics.placements import PlacementKind
from scoring.tomlsource import TomlDocument, load_toml_file


def _panel_rule(f: Fields, key: str, default: PanelRule) -> PanelRule:
    value = f.raw(key, None)
    if value is None:
        return default
    listed = ", ".join(PANEL_RULES)
    if isinstance(value, str):
        if value not in PANEL_RULES:
            f.error_at(
                key, f"未知的评委组规则“{value}”；可选：{listed}", f"unknown panel rule '{value}'; rules: {listed}"
            )
            return default
        return PANEL_RULES[value]()
    sub = f.table_of(key)
    if sub is None:
        return default
    name = sub.str("rule", choices=list(PANEL_RULES))
    if name not in PANEL_RULES:
        return default
    return PANEL_RULES[name](sub)


class _RubricReader:
    def __init__(self, top: Fields) -> None:
        self.top = top
        self.keys: dict[str, Fields] = {}
        self.lower_is_better = top.str("better", "higher", choices=["higher", "lower"]) == "lower"
        self.default_panel = _panel_rule(top, "panel", MeanRule())
        self.min_judges = top.int("min_judges", 1, minimum=1)
        self.missing = top.str("missing", "error", choices=MISSING_POLICIES)
        self.tolerance = top.decimal("tolerance", None, minimum=Decimal(0))
        self.parameters = [self.parameter(p) for p in top.tables("parameters")]

    def claim(self, key: str, f: Fields) -> None:
        if key and key in self.keys:
            f.error_at("key", f"标识“{key}”重复", f"key '{key}' is used twice in this rubric")
        self.keys[key] = f

    def parameter(self, f: Fields) -> Parameter:
        key = f.key()
        self.claim(key, f)
        p = Parameter(
            key=key,
            title=f.text("title", {"zh": key, "en": key}),
            minimum=f.decimal("min", None),
            maximum=f.decimal("max", None),
            default=f.decimal("default", None),
        )
        f.finish()
        return p

    def criterion(self, f: Fields) -> Criterion:
        key = f.key()
        self.claim(key, f)
        title = f.text("title")
        kind_name = f.str("kind", choices=list(CRITERION_KINDS))
        kind_class = CRITERION_KINDS.get(kind_name, CRITERION_KINDS["scale"])
        kind = kind_class(f, self.lower_is_better) if kind_name in CRITERION_KINDS else None
        criterion = Criterion(
            key=key,
            title=title,
            kind=kind,  # type: ignore[arg-type]
            panel=_panel_rule(f, "panel", self.default_panel),
            min_judges=f.int("min_judges", self.min_judges, minimum=1),
            missing=f.str("missing", self.missing, choices=MISSING_POLICIES),
            tolerance=f.decimal("tolerance", self.tolerance, minimum=Decimal(0)),
            rounding=read_rounding(f),
        )
        adjust = f.str("adjust", "")
        if adjust:
            allowed = {"value"} | {p.key for p in self.parameters}
            try:
                criterion.adjust = compile_formula(adjust, allowed)
            except FormulaError as exc:
                f.error_at("adjust", exc.zh, exc.en)
        f.finish()
        return criterion

    def section(self, f: Fields) -> Section:
        key = f.key()
        self.claim(key, f)
        section = Section(
            key=key,
            title=f.text("title"),
            base=f.decimal("base", Decimal(0)),
            maximum=f.decimal("max", None),
            rounding=read_rounding(f),
        )
        floor = f.raw("floor", Decimal(0))
        section.floor = None if floor == "none" else f.decimal("floor", Decimal(0))
        section.children = self.children(f)
        if not section.children:
            f.error_at("criteria", "分部至少需要一个评分项", "a section needs at least one criterion")
        f.finish()
        return section

    def children(self, f: Fields) -> list[Criterion | Section]:
        nodes: list[Criterion | Section] = [self.section(s) for s in f.tables("sections")]
        nodes += [self.criterion(c) for c in f.tables("criteria")]
        return nodes


def _ordinal_rule(top: Fields) -> OrdinalRule | None:
    sub = top.table_of("ordinal")
    if sub is None:
        return None
    name = sub.str("rule", choices=list(ORDINAL_RULES))
    return ORDINAL_RULES[name](sub) if name in ORDINAL_RULES else None


#: What an ordinal rubric leaves out: it ranks placements, so nothing adds, rounds or combines points.
_NOT_ORDINAL = ["panel", "panel_on", "formula", "parameters", "attempts", "sections", "tolerance", "round", "max"]
_NOT_PLACEMENT = ["panel", "min_judges", "missing", "tolerance", "round", "adjust"]


def _check_ordinal(rubric: Rubric, top: Fields, reader: _RubricReader, ordinal: bool) -> None:
    """Placements and an ordinal rule go together, and an ordinal rubric has nothing else."""
    for criterion in rubric.criteria():
        where = reader.keys[criterion.key]
        placement = isinstance(criterion.kind, PlacementKind)
        if placement and not ordinal:
            rules = " | ".join(f'"{r}"' for r in ORDINAL_RULES)
            where.error_at(
                "kind",
                f"名次（placement）评分项需要评分标准的 [ordinal] rule = {rules}",
                f"placements need the rubric's [ordinal] rule = {rules}, which turns them into a result",
            )
        elif ordinal and not placement:
            where.error_at(
                "kind",
                '排名制评分标准（[ordinal]）的评分项必须都是 kind = "placement"',
                'every criterion of a ranking rubric ([ordinal]) must be kind = "placement" (one per dance)',
            )
        elif ordinal:
            for key in _NOT_PLACEMENT:
                if where.has(key):
                    where.error_at(key, f"名次评分项不使用 {key}", f"a placement has no {key}: the ordinal rule ranks")
            kind = criterion.kind
            assert isinstance(kind, PlacementKind)
            if rubric.ordinal is not None and kind.ties_allowed and not rubric.ordinal.allows_ties:
                where.error_at(
                    "ties",
                    f'{rubric.ordinal.key} 规则不允许评委并列名次（ties 须为 "refuse"）',
                    f'the {rubric.ordinal.key} rule lets no judge tie entries (its rule 4): ties must be "refuse"',
                )
    if not ordinal:
        return
    for key in _NOT_ORDINAL:
        if top.has(key):
            top.error_at(key, f"排名制评分标准不使用 {key}", f"a ranking rubric ([ordinal]) has no {key}")
    if top.has("better") and not rubric.lower_is_better:
        top.error_at(
            "better",
            '排名制评分标准以名次小者为优：better 须为 "lower" 或不写',
            'a ranking rubric puts the lowest place first: better must be "lower" or left out',
        )
    rubric.lower_is_better = True


def read_rubric(top: Fields, file: str = "") -> Rubric:
    """Build a rubric from one TOML table; problems go to `top.problems`."""
    ordinal = _ordinal_rule(top)
    ordinal_given = top.has("ordinal")
    reader = _RubricReader(top)
    key = top.key()
    title = top.text("title")
    attempts = read_attempts(top, reader.lower_is_better)
    panel_on = top.str("panel_on", "criterion", choices=["criterion", "total"])
    rubric = Rubric(
        key=key,
        title=title,
        children=reader.children(top),
        lower_is_better=reader.lower_is_better,
        panel_on=panel_on,
        parameters=reader.parameters,
        attempts=attempts,
        attempt_rounding=read_rounding(top, "round"),
        total_rounding=read_rounding(top, "total_round"),
        declared_max=top.decimal("max", None, positive=True),
        file=file,
        ordinal=ordinal,
    )
    if panel_on == "total":
        rubric.total_panel = reader.default_panel
        rubric.total_min_judges = reader.min_judges
        rubric.total_tolerance = reader.tolerance
    if not rubric.children:
        top.error_at("criteria", "评分标准至少需要一个评分项", "a rubric needs at least one criterion")
    _check_references(rubric, top, reader)
    _check_ordinal(rubric, top, reader, ordinal_given)
    rubric.entry_part = read_entry_part(reader, top, rubric)
    if rubric.entry_part is not None:
        _check_references(rubric.entry_part, top, reader)
    formula = top.str("formula", "")
    if formula:
        names = {c.key for c in rubric.criteria()} | {s.key for s in rubric.sections()}
        names |= {p.key for p in rubric.parameters} | {"total"}
        try:
            rubric.formula = compile_formula(formula, names)
        except FormulaError as exc:
            top.error_at("formula", exc.zh, exc.en)
    top.finish()
    return rubric


def _check_references(rubric: Rubric, top: Fields, reader: _RubricReader) -> None:
    criteria = {c.key: c for c in rubric.criteria()}
    for criterion in criteria.values():
        kind = criterion.kind
        if isinstance(kind, VetoKind) and kind.scope == "criterion" and kind.target not in criteria:
            where = reader.keys[criterion.key]
            where.error_at(
                "target",
                f"veto 的 target“{kind.target}”不是本评分标准中的评分项",
                f"veto target '{kind.target}' is not a criterion of this rubric",
            )
        if rubric.panel_on == "total" and criterion.official:
            reader.keys[criterion.key].error_at(
                "kind",
                'panel_on = "total" 时不能有由裁判员单独给出的（official）评分项',
                'with panel_on = "total" every criterion is marked by each judge; official kinds are not allowed',
            )


def load_rubric_document(doc: TomlDocument) -> Rubric:
    problems = ProblemCollector(doc.file)
    top = Fields(doc, doc.data, (), problems)
    rubric = read_rubric(top, doc.file)
    problems.raise_if_any()
    return rubric


def load_rubric(path: str | Path) -> Rubric:
    """Load and check a rubric file; raises InvalidInput listing every problem."""
    return load_rubric_document(load_toml_file(path))

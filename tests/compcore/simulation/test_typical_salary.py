"""compcore.simulation.roster.typical_salary: the median person's salary, counted by headcount, by hand."""

from __future__ import annotations

from compcore.simulation.roster import roster_rows, typical_salary


def _rows(*rows: tuple[str, int, float]) -> list:
    return roster_rows([{"team": "T", "role": "R", "plan": plan, "headcount": n, "base_salary": s}
                        for plan, n, s in rows])


def test_the_median_person_is_counted_by_headcount_not_by_row() -> None:
    # rows 60,000 x 1 and 50,000 x 4: by row the middle would be either; by people 50,000 (persons 1-4 of 5)
    assert typical_salary(_rows(("a", 1, 60_000), ("a", 4, 50_000))) == 50_000


def test_an_even_count_takes_the_lower_middle_person_a_salary_someone_has() -> None:
    # 2 people: 50,000 and 70,000; the mean 60,000 is nobody's salary, the lower middle is 50,000
    assert typical_salary(_rows(("a", 1, 70_000), ("a", 1, 50_000))) == 50_000


def test_only_the_rows_of_the_plan_and_rows_with_people_count() -> None:
    rows = _rows(("pmo", 1, 125_000), ("pmo", 0, 10_000), ("cs", 9, 80_000))
    assert typical_salary(rows, "pmo") == 125_000  # the empty row at 10,000 is nobody
    assert typical_salary(rows, "cs") == 80_000
    assert typical_salary(rows, "impl") is None
    assert typical_salary([]) is None

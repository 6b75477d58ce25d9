"""Pages of a long list (csa.paging): which rows each page holds and its words."""

import pytest

from csa.paging import Page, count, words


@pytest.mark.parametrize(
    "total,size,expected",
    [(0, 50, 0), (1, 50, 1), (36, 50, 1), (50, 50, 1), (51, 50, 2), (360, 50, 8), (3600, 50, 72)],
)
def test_how_many_pages(total, size, expected):
    assert count(total, size) == expected


@pytest.mark.parametrize(
    "number,size,total,start,stop,said",
    [
        (1, 50, 36, 0, 36, "All 36 indicators"),
        (1, 50, 360, 0, 50, "Indicators 1 to 50 of 360"),
        (2, 50, 360, 50, 100, "Indicators 51 to 100 of 360"),
        (8, 50, 360, 350, 360, "Indicators 351 to 360 of 360"),
        (72, 50, 3600, 3550, 3600, "Indicators 3,551 to 3,600 of 3,600"),
        (1, 10, 0, 0, 0, "All 0 indicators"),
    ],
)
def test_a_page_holds_its_rows_and_says_which(number, size, total, start, stop, said):
    page = Page(number, size, total)
    assert (page.start, page.stop) == (start, stop)
    assert list(range(total))[page.rows] == list(range(start, stop))
    assert page.words() == said == words(number, size, total)


def test_every_row_is_on_exactly_one_page():
    total, size = 127, 20
    seen = [
        i for n in range(1, count(total, size) + 1) for i in range(total)[Page(n, size, total).rows]
    ]
    assert seen == list(range(total))


@pytest.mark.parametrize(
    "number,size,total,why",
    [(0, 50, 10, "page 0 does not exist"), (3, 50, 60, "page 3 does not exist: 60 rows make 2"),
     (1, 0, 10, "rows per page must be 1 or more")],
)  # fmt: skip
def test_a_page_that_cannot_exist_is_refused_in_words(number, size, total, why):
    with pytest.raises(ValueError, match=why):
        Page(number, size, total)

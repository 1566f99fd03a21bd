"""Draws of lots: replayable from their seeds, fair in shape, blind codes in two stages."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.draws import code_pool, draw_checkin, draw_codes, draw_order, draw_stations

ENTRIES = [f"t{i:02d}" for i in range(1, 29)]


@given(seed=st.integers(min_value=0, max_value=2**48), data=st.data())
@settings(max_examples=50, deadline=None)
def test_a_draw_is_a_permutation_replayed_by_its_seed_whatever_the_input_order(seed, data):
    shuffled = data.draw(st.permutations(ENTRIES))
    order = draw_order(shuffled, seed)
    assert sorted(order) == ENTRIES
    assert order == draw_order(ENTRIES, seed)


def test_different_seeds_give_different_orders():
    assert len({tuple(draw_order(ENTRIES, seed)) for seed in range(20)}) == 20


def test_stations_are_dealt_evenly():
    stations = draw_stations(ENTRIES, 7, stations=5)
    assert sorted(Counter(stations.values()).values()) == [5, 5, 6, 6, 6]


def test_blind_codes_in_two_stages_are_unique_and_replayable():
    checkin = draw_checkin(ENTRIES, 11)
    assert sorted(checkin.values()) == list(range(1, 29))
    codes = draw_codes(checkin, 22, prefix="A")
    assert sorted(codes.values()) == code_pool(28, "A") and code_pool(3, "B") == ["B01", "B02", "B03"]
    assert codes == draw_codes(draw_checkin(list(reversed(ENTRIES)), 11), 22, prefix="A")
    assert codes != draw_codes(checkin, 23, prefix="A")

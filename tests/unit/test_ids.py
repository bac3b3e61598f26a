"""Public ids: prefixed, unique, and sorted by creation even within one millisecond."""
import re
import threading

from markethub.platform.ids import new_id


def test_shape():
    assert re.fullmatch(r"prod_[0-9a-hjkmnp-tv-z]{26}", new_id("prod"))


def test_ids_made_in_a_burst_sort_in_creation_order():
    ids = [new_id("evt") for _ in range(5000)]  # many share a millisecond

    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_from_many_threads_are_unique():
    made: list[str] = []

    def work():
        made.extend(new_id("ord") for _ in range(2000))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(made)) == 8000

"""Before serving, what start-up built is taken out of the garbage collector's full collections
(bot.runtime.keep_for_good): they walked all of it, 60-80 ms with every thread stopped, and under
a burst that pause landed on Slack's acknowledgements. Garbage made before is still freed."""
import gc
import weakref

from bot.runtime import keep_for_good


class _Node:
    pass


def test_start_up_objects_are_frozen_and_start_up_garbage_is_freed_first():
    cycle = _Node()
    cycle.self = cycle                   # garbage only a collection frees
    gone = weakref.ref(cycle)
    kept = [{"built at start": n} for n in range(100)]
    del cycle
    try:
        keep_for_good()
        assert gone() is None            # collected before the freeze, not kept for good
        assert gc.get_freeze_count() >= len(kept)
        assert not any(gc.is_tracked(o) and o in gc.get_objects(generation=2) for o in kept[:3])
    finally:
        gc.unfreeze()

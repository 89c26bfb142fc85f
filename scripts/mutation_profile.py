"""A pytest plugin for scripts/mutate.py: the Hypothesis profile ``mutation``, which stops at
the first failing example (no shrinking) and keeps no example database."""

from hypothesis import Phase, settings

settings.register_profile(
    "mutation",
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
)

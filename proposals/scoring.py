"""The arithmetic of the score sheets: the shared machinery's (reviewing/scoring.py), named
here for the pillar's code and anyone who imports it from proposals. A proposal's line on the
dashboard is a SubjectResult that also carries its presentation slot."""

from reviewing.scoring import (  # noqa: F401
    HUNDRED,
    ONE_PLACE,
    SubjectResult,
    rank,
    rounded,
    running_total,
    weighted_total,
)


class ProposalResult(SubjectResult):
    """A proposal's line on the dashboard (``proposal`` is the result's subject)."""

    def __init__(self, proposal=None, *, presentation=None, **kwargs):
        super().__init__(subject=proposal, **kwargs)
        self.presentation = presentation

    @property
    def proposal(self):
        return self.subject

"""The one way the core says a stage must stop: a problem a person has to fix first."""


class StageStopped(Exception):
    """The stage cannot go on and publishes nothing; the message says what to fix, and where."""

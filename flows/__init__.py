"""Stage flows, the CLI and deployments. Importing this package prepares Prefect for offline use."""

import os

# Must be set before Prefect is imported: the machines have no internet, and the harmless
# "Error flushing events" lines at shutdown of the ephemeral server only confuse HR.
for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
}.items():
    os.environ.setdefault(_name, _value)

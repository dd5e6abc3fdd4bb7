"""Stage flows, the CLI and deployments. Importing this package prepares Prefect for offline use."""

import os

# Everything the pipeline writes (exports, videos from ffmpeg, the SQLite store) holds personal
# data: readable by the owner only.
os.umask(0o077)

# Must be set before Prefect is imported: the machines have no internet, and the harmless
# "Error flushing events" lines at shutdown of the ephemeral server only confuse HR. On a busy
# machine (the portal checking videos while a stage starts) Prefect's temporary server can
# take longer to start than Prefect's own 20 s allowance.
for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}.items():
    os.environ.setdefault(_name, _value)

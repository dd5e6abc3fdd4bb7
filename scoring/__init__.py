"""The pure core: decisions over pandas frames. No Prefect, GX, ffmpeg, SMTP, database or files."""

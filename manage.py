#!/usr/bin/env python
"""Development entry point: the same as the ``commonweal`` command with development settings."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

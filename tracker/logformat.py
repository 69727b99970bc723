"""One JSON object per log line on stdout, for log collectors."""

import json
import logging

from gunicorn.glogging import Logger, SafeAtoms


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class JsonStringAtoms(SafeAtoms):
    """gunicorn's access-log values, escaped as JSON string contents: gunicorn escapes only
    double quotes, so a %0A or a backslash in a path (decoded into PATH_INFO) split or
    broke the JSON line."""

    def __init__(self, atoms):
        # Not super().__init__: it would escape the quotes a second time.
        dict.__init__(self, {key: json.dumps(v)[1:-1] if isinstance(v, str) else v for key, v in atoms.items()})


class JsonAccessLogger(Logger):
    """gunicorn's logger with JSON-safe access-log values (tracker/gunicorn_conf.py)."""

    atoms_wrapper_class = JsonStringAtoms

"""The JSON access log stays one valid JSON object per line, whatever the path holds."""

import datetime
import json
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from tracker.logformat import JsonAccessLogger

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "tracker" / "gunicorn_conf.py"))


def access_line(path, query=""):
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", CONF["access_log_format"])
    logger = JsonAccessLogger(config)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(handler.format(record))
    logger.access_log.handlers = [handler]
    response = SimpleNamespace(status="200 OK", sent=12, headers=[], response_length=12)
    request = SimpleNamespace(headers=[], method="GET", path=path, query=query, uri=path, version=(1, 1))
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger.access(response, request, environ, datetime.timedelta(milliseconds=5))
    return lines


def test_the_shipped_configuration_uses_the_json_safe_logger():
    assert CONF["logger_class"] == "tracker.logformat.JsonAccessLogger"


def test_control_characters_quotes_and_backslashes_in_a_path_stay_inside_one_json_line():
    path = '/initiatives/\n{"status":500}\r\t"\\\x1b[31m'
    lines = access_line(path, query='q=\n"x"')

    assert len(lines) == 1 and "\n" not in lines[0]
    entry = json.loads(lines[0])
    assert entry["path"] == path
    assert entry["query"] == 'q=\n"x"'
    assert entry["status"] == 200

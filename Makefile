# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run serve worker test lint messages clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_dataset
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, static files collected and compressed, gunicorn.
# Needs SECRET_KEY and ALLOWED_HOSTS in the environment (docs/deploy.md).
serve: $(VENV)/.runtime
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (and ALLOWED_HOSTS); see docs/deploy.md"; exit 2; }
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(VENV)/bin/gunicorn -c tracker/gunicorn_conf.py tracker.wsgi

# The task queue's worker, with the periodic scheduler (webhook retries, digests,
# overdue milestones) embedded. Needs CELERY_BROKER_URL (Redis); docs/deploy.md.
worker: $(VENV)/.runtime
	@test -n "$$CELERY_BROKER_URL" || { echo "make worker: set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/1; without it tasks run inside the web process"; exit 2; }
	$(VENV)/bin/celery -A tracker worker --beat --loglevel INFO --concurrency $${WORKER_CONCURRENCY:-2} --schedule $${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

test: $(VENV)/.dev
	$(PY) manage.py check
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# After marking or changing interface strings: refresh the Russian and Kazakh
# catalogues, translate the new entries, then compile (both .po and .mo are committed;
# tests/test_i18n.py fails while any entry is missing, untranslated or not compiled).
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages -l ru -l kk --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests --no-location
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles

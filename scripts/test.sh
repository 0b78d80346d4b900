#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this). Installs what it needs itself:
# the project and its dev tools (pip), a JDK if none (apt), a real Elasticsearch test node, and Debian's
# Chromium for the browser tests of the web pages (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e '.[dev]'
if ! ls /usr/lib/jvm/*/bin/java >/dev/null 2>&1 && ! command -v java >/dev/null; then
  echo "no JDK found: installing one for the Elasticsearch test node" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
# --- browser tests of the web pages (tests/web): Debian's Chromium, driven by Playwright from the dev
# extra (its driver ships in the wheel; no browser is downloaded). Outside CI a missing browser only
# skips those tests, with the reason; in CI (CI=true) they must run.
if [ -z "${MIGRALEX_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then
  echo "no Chromium found: installing Debian's chromium for the browser tests" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    if [ "${CI:-}" = "true" ]; then
      echo "could not install Chromium: failing (in CI the browser tests must run)" >&2
      exit 1
    fi
    echo "WARNING: could not install Chromium: the browser tests will be skipped" >&2
  fi
fi
# --- end of the browser block
es_was_running=false
scripts/es-node.sh status >/dev/null 2>&1 && es_was_running=true
if scripts/es-node.sh start; then
  export ES_URL="$(scripts/es-node.sh url)"
  # stop only a node this run started (a developer's running node stays up)
  $es_was_running || trap 'scripts/es-node.sh stop || true' EXIT
elif [ "${CI:-}" = "true" ]; then
  echo "Elasticsearch test node failed to start: failing (in CI its tests must run)" >&2
  exit 1
else
  echo "WARNING: Elasticsearch test node did not start: its tests will be skipped" >&2
fi
python3 -m ruff check .
python3 -m mypy
# --- API checks (issue 11) ------------------------------------------------------------------------------
# Against a real served app (2 workers) over the bundled corpus, built offline into a temp folder:
# a bounded schemathesis run on /openapi.json (every operation, every check, 500 examples per operation,
# fixed seed; scripts/schemathesis.toml) that must report 0 failures, and a load smoke test (50 clients
# for 5 s, no result cache) that must see 0 errors. Before pytest, so pytest's summary closes the output.
python3 scripts/api_checks.py
# --- end of the API checks ------------------------------------------------------------------------------
python3 -m pytest -q -p no:cacheprovider "$@"

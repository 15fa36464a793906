#!/usr/bin/env bash
# Runs every LMIS test, from unit tests to the stack across separate processes with a real RabbitMQ.
#
#   ./test.sh               restore, build (warnings are errors), check formatting, run all tests
#   ./test.sh --no-format   skip the formatting check
#
# Needs the .NET SDK. The cross-process tests also need Debian's rabbitmq-server package, and the AppHost's dashboard
# test Debian's chromium: when they are missing and this runs as root with apt-get, they are installed here; otherwise those tests are skipped, saying why (with CI=true
# they fail instead). The tests start their own private, throw-away RabbitMQ node on free loopback ports and stop it
# afterwards (tests/rabbitmq-node.sh), or use LMIS_TEST_RABBITMQ=amqp://... if set. The MongoDB adapters' conformance
# runs need LMIS_TEST_MONGODB=mongodb://...; without it they are skipped, saying why.
#
# Ends with one line "N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

check_format=1
for argument in "$@"; do
  case "$argument" in
    --no-format) check_format=0 ;;
    *) echo "usage: $0 [--no-format]" >&2; exit 2 ;;
  esac
done

if [[ "${CI:-}" == "true" ]]; then
  # In CI a missing broker is a failure, not a skip.
  export LMIS_REQUIRE_RABBITMQ=1
fi

if [[ -z "${LMIS_TEST_RABBITMQ:-}" && ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing rabbitmq-server (Debian package) for the cross-process tests"
    apt-get update -qq
    # The package's own service start is not needed (and fails without systemd): the tests run their own node.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null || true
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || echo "warning: rabbitmq-server could not be installed" >&2
  else
    echo "warning: rabbitmq-server is not installed and LMIS_TEST_RABBITMQ is not set: the cross-process tests will be skipped" >&2
  fi
fi

# The AppHost's dashboard test drives Debian's chromium with Playwright (Playwright's own browser download is not used).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing chromium (Debian package) for the dashboard browser test"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || true
    [[ -x /usr/bin/chromium ]] || echo "warning: chromium could not be installed" >&2
  else
    echo "warning: chromium is not installed: the dashboard browser test will be skipped" >&2
  fi
fi

# Tests with third-party clients (grpc-js, proto-loader, jsonld) install them from npm and run them with Node.js.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing nodejs and npm (Debian packages) for the third-party client tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || true
    command -v npm >/dev/null || echo "warning: nodejs/npm could not be installed" >&2
  else
    echo "warning: Node.js/npm is not installed: the tests with third-party JavaScript clients will be skipped, saying why" >&2
  fi
fi

echo "== building"
dotnet build LMIS.sln --nologo -v minimal

if [[ "$check_format" == 1 ]]; then
  echo "== checking formatting (dotnet format --verify-no-changes)"
  dotnet format LMIS.sln --verify-no-changes --no-restore
fi

results="$(mktemp -d)"
# The tests' temp folders (SQLite files, private RabbitMQ nodes) go under the results folder, so whatever a
# crashed test run left behind is stopped and removed here.
export TMPDIR="$results/tmp"
mkdir -p "$TMPDIR"
cleanup() {
  for node in "$TMPDIR"/lmis-rabbitmq-*; do
    [[ -d "$node" ]] && bash tests/rabbitmq-node.sh stop "$node" >/dev/null 2>&1 || true
  done
  rm -rf "$results"
}
trap cleanup EXIT
echo "== testing"
set +e
dotnet test LMIS.sln --no-build --nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
test_exit=$?
set -e

passed=0 failed=0 skipped=0 total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(count total)))
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  # xunit reports a skipped test as not executed.
  skipped=$((skipped + $(count total) - $(count executed)))
done

if [[ "$skipped" != 0 ]]; then
  echo
  echo "Skipped, and why:"
  # One line per distinct reason, with how many tests it skipped.
  for trx in "$results"/*.trx; do
    awk -v RS='</UnitTestResult>' '/outcome="NotExecuted"/ && match($0, /<Message>[^<]*/) { print substr($0, RSTART + 9, RLENGTH - 9) }' "$trx"
  done | sort | uniq -c | sed 's/^ */  /'
fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
if [[ "$test_exit" != 0 || "$failed" != 0 || "$total" == 0 ]]; then
  [[ "$total" == 0 ]] && echo "no test ran" >&2
  exit 1
fi

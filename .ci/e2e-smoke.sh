#!/usr/bin/env bash
# End-to-end smoke test of a running todo-chatbot: a task event goes through the bus (and, given a broker pod,
# is read back from Kafka) into the audit log, a reminder set 10 s ahead fires a notification, and (given a
# release) `helm test` passes. .github/workflows/e2e-kind.yaml runs it against a kind cluster; the test suite
# runs it against a local server (test/e2e-smoke.test.ts), where the optional parts are skipped.
#
# usage: .ci/e2e-smoke.sh BASE_URL
#   KAFKA_NAMESPACE, KAFKA_POD     read todo.task-events on that Strimzi broker pod (kubectl exec)
#   HELM_RELEASE, HELM_NAMESPACE   run `helm test` on that release
#   SMOKE_TIMEOUT                  seconds to wait for each asynchronous outcome (default 90)
set -euo pipefail

base=${1:?usage: $0 BASE_URL}
base=${base%/}
wait_s=${SMOKE_TIMEOUT:-90}
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "e2e-smoke: $tool is required" >&2; exit 2; }
done

ok() { printf 'ok    %s\n' "$*"; }
skip() { printf 'skip  %s\n' "$*"; }
die() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }

token=''
# api METHOD PATH [JSON]: prints the response body; fails unless the status is 2xx.
api() {
  local method=$1 path=$2 body=${3:-} out code
  local args=(-sS -X "$method" -H 'content-type: application/json' -w '\n%{http_code}')
  if [ -n "$token" ]; then args+=(-H "authorization: Bearer $token"); fi
  if [ -n "$body" ]; then args+=(--data "$body"); fi
  out=$(curl "${args[@]}" "$base$path") || { echo "$method $path: no answer" >&2; return 1; }
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $code != 2* ]]; then echo "$method $path answered $code: $out" >&2; return 1; fi
  printf '%s' "$out"
}

# eventually WHAT CMD...: retries CMD once a second until it succeeds, or fails the run after $wait_s seconds.
eventually() {
  local what=$1 deadline=$((SECONDS + wait_s))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what: not within ${wait_s}s"
    sleep 1
  done
}

ready() { curl -fsS "$base/readyz" >/dev/null 2>&1; }
eventually "GET /readyz answers 200" ready
ok "GET /readyz answers 200"

# A user of its own, so the run never depends on earlier data.
email="smoke-$(date +%s)-$RANDOM@example.com"
password="correct horse battery smoke"
api POST /api/v1/auth/signup "$(jq -nc --arg e "$email" --arg p "$password" '{email: $e, password: $p, timezone: "UTC"}')" >/dev/null
token=$(api POST /api/v1/auth/login "$(jq -nc --arg e "$email" --arg p "$password" '{email: $e, password: $p}')" | jq -r .token)
[ -n "$token" ] && [ "$token" != null ] || die "log-in gave no token"
ok "signed up and logged in as $email"

task=$(api POST /api/v1/tasks "$(jq -nc --arg t "e2e smoke $(date -u +%FT%TZ)" '{title: $t}')" | jq -r .id)
ok "created task $task"

# The task.created event leaves through the outbox and the bus; the audit consumer writes what it received.
audited() { api GET "/api/v1/audit?task_id=$task" | jq -e '.items | any(.action == "created")' >/dev/null; }
eventually "task.created reaches the audit log" audited
ok "task.created went through the bus into the audit log"

drained() { curl -fsS "$base/readyz" | jq -e '.checks.outbox.pending == 0' >/dev/null; }
eventually "the outbox drains" drained
ok "the outbox holds nothing unpublished"

if [ -n "${KAFKA_POD:-}" ]; then
  in_kafka() {
    kubectl -n "${KAFKA_NAMESPACE:-default}" exec "$KAFKA_POD" -- bin/kafka-console-consumer.sh \
      --bootstrap-server localhost:9092 --topic todo.task-events --from-beginning --timeout-ms 15000 2>/dev/null |
      grep -q "$task"
  }
  eventually "the event is on Kafka's todo.task-events" in_kafka
  ok "the event is on Kafka's todo.task-events ($KAFKA_POD)"
else
  skip "reading Kafka (no KAFKA_POD): the audit entry and the drained outbox stand for it"
fi

# A reminder 10 s ahead: the scheduler (Dapr's Jobs API in a cluster) fires it, not before it is due.
at=$(date -u -d '+10 seconds' +%Y-%m-%dT%H:%M:%SZ)
remind_at=$(api POST "/api/v1/tasks/$task/reminders" "$(jq -nc --arg at "$at" '{remind_at: $at}')" | jq -r .remind_at)
ok "set a reminder for $remind_at"
notified() {
  api GET /api/v1/notifications | jq -e --arg t "$task" --arg at "$remind_at" '.items | any(.task_id == $t and .created_at >= $at)' >/dev/null
}
eventually "the reminder fires a notification" notified
fired=$(api GET "/api/v1/tasks/$task/reminders" | jq -r '.items[0].status')
[ "$fired" != pending ] || die "the notification came, but the reminder still reads pending"
ok "the reminder fired (status $fired) and a notification appeared"

if [ -n "${HELM_RELEASE:-}" ]; then
  helm test "$HELM_RELEASE" -n "${HELM_NAMESPACE:-default}" --logs
  ok "helm test $HELM_RELEASE passed"
else
  skip "helm test (no HELM_RELEASE)"
fi

echo "e2e smoke: all checks passed"

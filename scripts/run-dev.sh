#!/usr/bin/env bash
# Start the web server and the one scheduler side by side; Ctrl-C (or either exiting) stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-5000}"
FLASK=(.venv/bin/flask --app wsgi)

# --wait: if a scheduler from an earlier run is still active, stay passive until it is gone.
"${FLASK[@]}" scheduler run --wait &
scheduler=$!
.venv/bin/gunicorn --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - wsgi:app &
web=$!

stop() { kill -TERM "$scheduler" "$web" 2>/dev/null; }
trap stop INT TERM
echo "Buurtmakelaar draait op http://127.0.0.1:${PORT}  (stoppen: Ctrl-C)"
wait -n "$scheduler" "$web"
status=$?
stop
wait
exit "$status"

#!/usr/bin/env bash
# Run pytest inside a private D-Bus session with an unlocked gnome-keyring, so the tests
# marked `secret_service` use a real Secret Service instead of skipping.
#
#   tests/auth/run_with_keyring.sh [pytest args...]     (default: the whole suite)
#
# Needs the Debian packages dbus and gnome-keyring (and libsecret-tools for secret-tool).
# Everything the keyring writes goes to a throwaway HOME, never the user's keyrings.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-.venv/bin/python}"
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "run_with_keyring.sh: $tool is missing (apt-get install dbus gnome-keyring)" >&2; exit 2; }
done
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# Exported before dbus-run-session: D-Bus-activated daemons inherit the bus daemon's
# environment, not the client's.
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/.local/share"
export XDG_CONFIG_HOME="$scratch/home/.config" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export CAL365_TEST_KEYRING_PASSWORD="cal365-test-keyring"
# Inside this session the secret_service tests must run: fail rather than skip.
export CAL365_REQUIRE_SECRET_SERVICE=1
exec dbus-run-session -- bash -c '
    printf %s "$CAL365_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$0" -m pytest "$@"
' "$python" "$@"

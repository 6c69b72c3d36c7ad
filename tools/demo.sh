#!/bin/sh
# Starts rappeld on a demo database: make demo.
#   tools/demo.sh BUILD_DIR DEMO_DIR PORT
set -eu
build=$1
dir=$2
port=$3
login=demo
password=rappel-demo-2026
here=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cat > "$dir/rappel.conf" <<CONF
; demo configuration written by make demo
[centre]
name = Centre social Jacques Brel
phone = 03 21 00 00 00
timezone = Europe/Paris

[database]
path = $dir/rappel.db

[http]
listen = 127.0.0.1:$port

[sending]
hours = 00:00-24:00         ; the demo sends at any hour; a centre would not
days = mon,tue,wed,thu,fri,sat,sun

[modem]
device = simulator          ; the built-in simulated modem: nothing leaves the box
CONF

ctl() { "$build/rappelctl" -c "$dir/rappel.conf" "$@"; }
if ! ctl user list 2>/dev/null | grep -q "^$login "; then
	printf '%s\n%s\n' "$password" "$password" | ctl user add "$login" --role admin
	ctl import contacts "$here/tests/data/contacts_excel_semicolon_bom.csv"
	ctl import contacts "$here/tests/data/contacts_libreoffice_comma.csv"
fi

cat <<MSG

  rappel demo
  -----------
  Panel:     http://127.0.0.1:$port/   (open it in a browser)
  API:       http://127.0.0.1:$port/api/v1/   (health: /healthz)
  Login:     $login
  Password:  $password
  Database:  $dir/rappel.db
  Modem:     built-in simulator (what it "sends" is logged in the
             sent.jsonl file named in the daemon's log below)

  Try:  curl -c /tmp/rappel.cookies -d '{"login":"$login","password":"$password"}' \\
             http://127.0.0.1:$port/api/v1/session
        curl -b /tmp/rappel.cookies http://127.0.0.1:$port/api/v1/contacts
        $build/rappelctl -c $dir/rappel.conf send "06 12 34 56 78" "Bonjour"
        curl -b /tmp/rappel.cookies http://127.0.0.1:$port/api/v1/status

  Ctrl-C stops the daemon.

MSG
exec "$build/rappeld" -c "$dir/rappel.conf"

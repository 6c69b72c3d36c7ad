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
families = yes              ; and simulated families answer what asks for a reply
CONF

ctl() { "$build/rappelctl" -c "$dir/rappel.conf" "$@"; }
if ! ctl user list 2>/dev/null | grep -q "^$login "; then
	printf '%s\n%s\n' "$password" "$password" | ctl user add "$login" --role admin
	ctl import contacts "$here/tests/data/contacts_excel_semicolon_bom.csv"
	ctl import contacts "$here/tests/data/contacts_libreoffice_comma.csv"
fi

"$build/rappeld" -c "$dir/rappel.conf" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0' INT TERM
base=http://127.0.0.1:$port
for i in $(seq 1 100); do
	curl -sf "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

# Once: an atelier next Tuesday with eight invitees, for "Inviter par SMS".
if [ ! -f "$dir/.atelier" ]; then
	jar="$dir/.cookies"
	curl -sf -c "$jar" -H 'Content-Type: application/json' \
	    -d "{\"login\":\"$login\",\"password\":\"$password\"}" "$base/api/v1/session" \
	    > "$dir/.session"
	csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' \
	    "$dir/.session")
	ids=$(curl -sf -b "$jar" "$base/api/v1/contacts" | python3 -c '
import json, sys
people = [c for c in json.load(sys.stdin) if c.get("phone", "").startswith("+336") or
          c.get("phone", "").startswith("+337")]
print(",".join(str(c["id"]) for c in people[:8]))')
	start=$(TZ=Europe/Paris date -d "next tuesday 14:00" +%Y-%m-%dT%H:%M:%S%:z)
	end=$(TZ=Europe/Paris date -d "next tuesday 16:00" +%Y-%m-%dT%H:%M:%S%:z)
	curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	    -d "{\"title\":\"Atelier informatique\",\"place\":\"Salle 2\",\"starts_at\":\"$start\",\"ends_at\":\"$end\",\"capacity\":8,\"contact_ids\":[$ids]}" \
	    "$base/api/v1/events" >/dev/null && touch "$dir/.atelier"
	rm -f "$jar" "$dir/.session"
fi

cat <<MSG

  rappel demo
  -----------
  Panel:     $base/   (open it in a browser)
  Login:     $login
  Password:  $password
  Database:  $dir/rappel.db
  Modem:     built-in simulator: nothing leaves the box, and simulated
             families answer what asks for a reply, 3 s to 1 min later

  See the whole loop:
    1. Ateliers > "Atelier informatique" (next Tuesday) > "Inviter par SMS",
       keep "Maintenant", "Programmer".
    2. Open the atelier again: the Oui / Non counts fill within a minute;
       the dashboard and Réponses show the answers, STOP and "c'est qui ?".
    3. Make one family answer yourself: Réponses > "Simuler une réponse", or
       $build/rappelctl -c $dir/rappel.conf simulate reply "06 39 98 00 01" "OUI"

  Ctrl-C stops the daemon.

MSG
wait $pid

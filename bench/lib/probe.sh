# An independent heartbeat probe, sourced by bench/run.sh: curl (OpenSSL, none of our code) sends
# the heartbeats of one enrolled sensor at a fixed rate on one kept-alive mutual-TLS connection.
# It is its own small process, so the simulator's scheduling lag (up to ~1 s p99 while it also
# sends 10 GB of uploads on the same two cores) does not enter its figures. The simulator keeps
# heartbeating the same sensor every 30 s; the console takes both.

# probe_start IDENTITY_INDEX RATE SECONDS: starts it; sets PROBE_PID and PROBE_T0_MS. Each line of
# $WORK/probe/out: "<HTTP status> <seconds from sending to the whole answer>".
probe_start() {
  local index=$1 rate=$2 seconds=$3 dir=$WORK/probe
  mkdir -p "$dir"
  jq -r --argjson i "$index" '.sensors[$i].certificatePem' "$WORK/identities-0.json" >"$dir/cert.pem"
  jq -r --argjson i "$index" '.sensors[$i].privateKeyPem' "$WORK/identities-0.json" >"$dir/key.pem"
  api GET /api/v1/certificates/agent-ca | jq -r .certificatePem >"$dir/ca.pem"
  PROBE_T0_MS=$(date +%s%3N)
  # One block per heartbeat ("next" starts the next transfer; the connection is reused), each with
  # the time it is due as sentAt, so the console sees no drifting clock.
  jq -rn --argjson n $((rate * seconds)) --argjson rate "$rate" --argjson t0 "$PROBE_T0_MS" --arg dir "$dir" \
    --arg url "https://127.0.0.1:${AGENT_PORTS[0]}/agent/v1/heartbeat" '
    range(0; $n) as $i
    | ({sentAt: (($t0 / 1000 + $i / $rate) | floor | todate), softwareVersion: "1.0.0", health: {status: "OK"}}
       | tojson | gsub("\""; "\\\"")) as $body
    | "url = \"\($url)\"", "cacert = \"\($dir)/ca.pem\"", "cert = \"\($dir)/cert.pem\"", "key = \"\($dir)/key.pem\"",
      "header = \"Content-Type: application/json\"", "data = \"\($body)\"", "output = \"/dev/null\"",
      "write-out = \"%{http_code} %{time_total}\\n\"", "next"' >"$dir/curl.conf"
  # Line-buffered: the probe is stopped with a signal, and a full stdio buffer would be lost.
  stdbuf -oL curl -s --rate "$rate/s" -K "$dir/curl.conf" >"$dir/out" 2>"$dir/err" &
  PROBE_PID=$!
}

# probe_stop: ends the probe.
probe_stop() {
  kill "$PROBE_PID" 2>/dev/null || true
  wait "$PROBE_PID" 2>/dev/null || true
}

# probe_summary RATE WINDOWS_JSON -> JSON: per named window {from, to} (ms since the epoch), the
# heartbeats the probe started in it: count, not 200, latency p50/p95/p99/max in ms. curl starts
# transfer i at i / RATE s, or when transfer i-1 ended if that is later, which gives each its start.
probe_summary() {
  jq -R 'select(test("^[0-9]{3} [0-9.]+$")) | split(" ") | {code: .[0], s: (.[1] | tonumber)}' "$WORK/probe/out" | jq -s --argjson rate "$1" \
    --argjson t0 "$PROBE_T0_MS" --argjson windows "$2" '
    def pct($q): if length == 0 then null else sort | .[((length * $q) | ceil) - 1] end;
    (reduce .[] as $r ({at: 0, i: 0, out: []};
       ([.i / $rate, .at] | max) as $start
       | .out += [{startMs: ($t0 + $start * 1000), ok: ($r.code == "200"), ms: ($r.s * 1000)}]
       | .at = $start + $r.s | .i += 1) | .out) as $all
    | $windows | with_entries(.value as $w
        | ($all | map(select(.startMs >= $w.from and .startMs < $w.to))) as $in
        | ($in | map(.ms)) as $ms
        | .value = {heartbeats: ($in | length), notOk: ($in | map(select(.ok | not)) | length),
                    p50: ($ms | pct(0.5)), p95: ($ms | pct(0.95)), p99: ($ms | pct(0.99)), max: ($ms | max)}
                   | .value |= with_entries(if (.value | type) == "number" then .value |= (. * 100 | round / 100) else . end))'
}

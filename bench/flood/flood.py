"""Sign-in flood: ATTACKERS addresses send WRONG wrong sign-ins each against one login while its
owner signs in once a second from an address the account knows. Prints how many of the owner's
sign-ins succeeded within 3 s, their latencies, and what the flood got. Stdlib only; every
request goes through the proxy header the server trusts (ORIENTIR_TRUSTED_PROXIES=127.0.0.1).

Usage: flood.py BASE LOGIN PASSWORD [attackers] [wrong-per-attacker]
"""
import http.client
import re
import sys
import threading
import time
import urllib.parse

base, login, password = sys.argv[1], sys.argv[2], sys.argv[3]
attackers = int(sys.argv[4]) if len(sys.argv) > 4 else 40
wrong = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
TOKEN = re.compile(r'name="_csrf" value="([^"]*)"')


def attempt(conn, address, who, secret):
    """One sign-in as a browser makes it: the page (its token and login cookie), then the form.
    Returns (where it led or the status, seconds)."""
    started = time.monotonic()
    conn.request("GET", "/login", headers={"X-Forwarded-For": address})
    page = conn.getresponse()
    body = page.read().decode()
    cookie = "; ".join(c.split(";")[0] for c in page.headers.get_all("Set-Cookie") or [])
    token = TOKEN.search(body).group(1)
    form = urllib.parse.urlencode({"login": who, "password": secret, "_csrf": token})
    conn.request("POST", "/session", body=form, headers={
        "X-Forwarded-For": address, "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    where = answer.getheader("Location") or str(answer.status)
    return where, time.monotonic() - started


outcomes = {}
lock = threading.Lock()


def flood(n):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    address = f"10.66.{n // 250}.{n % 250 + 1}"
    for _ in range(wrong):
        try:
            where, _ = attempt(conn, address, login, "not-the-password")
        except Exception as e:  # a dropped connection counts as what it is
            where = type(e).__name__
            conn = http.client.HTTPConnection(host, port, timeout=60)
        kind = where.split("&")[0]
        with lock:
            outcomes[kind] = outcomes.get(kind, 0) + 1


owner_address = "10.99.0.1"
owner = http.client.HTTPConnection(host, port, timeout=60)
first, _ = attempt(owner, owner_address, login, password)
assert first == "/work", f"the owner's first sign-in: {first}"

threads = [threading.Thread(target=flood, args=(n,)) for n in range(attackers)]
started = time.monotonic()
for t in threads:
    t.start()
latencies, ok = [], 0
while any(t.is_alive() for t in threads):
    tick = time.monotonic()
    try:
        where, seconds = attempt(http.client.HTTPConnection(host, port, timeout=60), owner_address, login, password)
    except Exception as e:
        where, seconds = type(e).__name__, time.monotonic() - tick
    latencies.append(seconds)
    if where == "/work" and seconds <= 3.0:
        ok += 1
    time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
elapsed = time.monotonic() - started
for t in threads:
    t.join()
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
total = sum(outcomes.values())
print(f"flood: {attackers} addresses × {wrong} wrong sign-ins = {total} in {elapsed:.0f} s ({total / elapsed:.0f}/s)")
print("flood outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
print(f"owner: {ok} of {len(latencies)} sign-ins succeeded within 3 s ({100 * ok / max(1, len(latencies)):.1f} %); "
      f"latency p50 {pick(0.5) * 1000:.0f} ms, p95 {pick(0.95) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")

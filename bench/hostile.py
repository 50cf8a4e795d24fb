"""Hostile clients for bench/hostile-mix.sh: each kind of attack of issue #13 in a loop of its own, a few
per second in all, against our function server on loopback. One CSV row per attempt: kind, HTTP status
(0: no answer), error code, seconds. Only 127.0.0.1 is ever connected to."""
import csv, json, socket, sys, threading, time, urllib.parse, zlib, struct

port, seconds, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
image_server = "http://127.0.0.1:9000"
end = time.time() + seconds
rows, lock = [], threading.Lock()

def png(width, height):
    """A black RGB PNG of any size: a few hundred KB that decode to width*height*3 bytes."""
    raw = zlib.compress((b"\0" + bytes(3 * width)) * height, 9)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))

WIDE = png(39000, 1000)
NOISE = bytes(20 * 1024 * 1024)

def exchange(request, pause=None, timeout=60):
    """Sends request (bytes, or a list of pieces with pause seconds between them); returns status, code."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        for piece in (request if isinstance(request, list) else [request]):
            try:
                s.sendall(piece)
            except OSError:
                break
            if pause:
                time.sleep(pause)
        data = b""
        while True:
            try:
                more = s.recv(65536)
            except OSError:
                break
            if not more:
                break
            data += more
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
        if not data:
            return 0, ""
        status = int(data.split(b" ")[1])
        try:
            code = json.loads(data.partition(b"\r\n\r\n")[2])["error"]["code"]
        except Exception:
            code = ""
        return status, code
    finally:
        s.close()

def get(query):
    return f"GET /?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode()

def post(body, kind="image/png"):
    return f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

ATTACKS = {
    # memory: a 115 KB PNG of 39000x1000 pixels (117 MB decoded), and 20 MiB bodies
    "wide-png": (lambda: exchange(post(WIDE)), 0.5),
    "20mib-body": (lambda: exchange(post(NOISE, "application/octet-stream")), 1.0),
    # the server's own limits
    "10mb-query": (lambda: exchange(get("url=" + "a" * 10_000_000)), 2.0),
    "1mb-header": (lambda: exchange(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 1_000_000 + b"\r\n\r\n"), 2.0),
    "2000-headers": (lambda: exchange(b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(2000)) + b"\r\n"), 2.0),
    "slow-headers": (lambda: exchange([bytes([c]) for c in b"GET /?url=x HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 200], pause=0.1), 1.0),
    "slow-body": (lambda: exchange([f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n".encode()]
                                   + [b"x"] * 400, pause=0.1), 1.0),
    # addresses meaning "this host" (refused in every mode), redirects, a broken image
    "this-host-url": (lambda: exchange(get("url=" + urllib.parse.quote("http://0.0.0.0:8082/_/health"))), 1.0),
    "ipv6-this-host": (lambda: exchange(get("url=" + urllib.parse.quote("http://[::]:8082/"))), 1.0),
    "truncated-png": (lambda: exchange(post(open("docs/examples/chelsea.png", "rb").read()[:20000])), 1.0),
}

def attack(kind, run, every):
    while time.time() < end:
        start = time.time()
        try:
            status, code = run()
        except OSError as e:
            status, code = 0, type(e).__name__
        with lock:
            rows.append((kind, status, code, round(time.time() - start, 3)))
        time.sleep(max(0.0, every - (time.time() - start)))

threads = [threading.Thread(target=attack, args=(k, r, e), daemon=True) for k, (r, e) in ATTACKS.items()]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["kind", "status", "code", "seconds"])
    w.writerows(rows)

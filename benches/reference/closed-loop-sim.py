"""Closed-loop queueing simulation behind the benches README's p99 analysis.

N clients each keep one request outstanding; C servers take waiting requests in arrival
order (fifo), in random order, or newest first (lifo); a request's work is S ms (±10%) and a
client waits THINK ms between an answer and its next request. Prints p50 and p99 latency for
each order. Defaults: 8 clients, 2 cores, 0.65 ms of work (USER_PASSWORD_AUTH in cognito-load).

    python3 benches/reference/closed-loop-sim.py [clients] [servers] [work_ms]
"""

import heapq
import random
import sys


def simulate(order, clients, servers, work, think=0.03, answers=200_000, seed=7):
    rng = random.Random(seed)
    waiting = [(0.0, c) for c in range(clients)]  # (arrived at, client)
    events = []  # (time, kind, client, arrived at)
    busy = 0
    latencies = []

    def dispatch(now):
        nonlocal busy
        while busy < servers and waiting:
            if order == "fifo":
                i = 0
            elif order == "lifo":
                i = len(waiting) - 1
            else:
                i = rng.randrange(len(waiting))
            arrived, client = waiting.pop(i)
            busy += 1
            done = now + work * rng.uniform(0.9, 1.1)
            heapq.heappush(events, (done, "done", client, arrived))

    dispatch(0.0)
    while len(latencies) < answers:
        now, kind, client, arrived = heapq.heappop(events)
        if kind == "done":
            busy -= 1
            latencies.append(now - arrived)
            heapq.heappush(events, (now + think, "arrive", client, now + think))
        else:
            waiting.append((now, client))
        dispatch(now)
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]


def main():
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    servers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    work = float(sys.argv[3]) if len(sys.argv) > 3 else 0.65
    for order in ("fifo", "random", "lifo"):
        p50, p99 = simulate(order, clients, servers, work)
        print(f"{order:6} p50 {p50:.2f} ms  p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()

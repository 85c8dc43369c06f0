#!/usr/bin/env python3
"""A TCP fault proxy in the manner of toxiproxy (which cannot be installed here), on 127.0.0.1 only.

    proxy.py --control 18589 redis=18580:56570 postgres=18581:55570

Each NAME=LISTEN:UPSTREAM pair forwards 127.0.0.1:LISTEN to 127.0.0.1:UPSTREAM. With no fault set a chunk
is written on as soon as it is read. A fault is switched at run time over the control port (loadtest/faults/ctl
is its command line): GET /NAME/FAULT?arg=value, /NAME/clear, /status. Faults, one at a time per proxy:

    latency ms jitter   every chunk from the upstream (a reply) is held ms ± jitter (uniform), order kept
    down                the listener closes (new connections are refused) and open ones are reset
    blackhole           connections are accepted and open ones kept, but nothing is forwarded either way
    reset-peer          open and new connections are reset (RST, SO_LINGER 0)
    slow-close ms       when one side closes, the other is closed ms later
    bandwidth kbps      replies are written at most kbps KiB per second

It is Python asyncio rather than a Swift package: it stays off the build's critical path and costs no build
time on a shared machine; its overhead with no fault set is measured by loadtest/faults/overhead.sh.
"""
import argparse
import asyncio
import json
import random
import socket
import struct
import sys
import time
from urllib.parse import parse_qs, urlsplit

CHUNK = 65536
MAX_HELD_BYTES = 16 * 1024 * 1024  # per direction: a held queue never grows without bound


class Proxy:
    def __init__(self, name, listen, upstream):
        self.name, self.listen, self.upstream = name, listen, upstream
        self.fault = {"kind": "none"}
        self.server = None
        self.connections = set()
        self.accepted = 0

    async def start(self):
        if self.server is None:
            self.server = await asyncio.start_server(self.accept, "127.0.0.1", self.listen, reuse_address=True)

    async def stop_listening(self):
        if self.server is not None:
            self.server.close()
            self.server = None

    def reset_all(self):
        for connection in list(self.connections):
            connection.reset()

    async def set_fault(self, kind, args):
        if kind == "clear":
            self.fault = {"kind": "none"}
            await self.start()
            return
        if kind == "latency":
            self.fault = {"kind": kind, "ms": float(args.get("ms", 0)), "jitter": float(args.get("jitter", 0))}
        elif kind == "slow-close":
            self.fault = {"kind": kind, "ms": float(args.get("ms", 1000))}
        elif kind == "bandwidth":
            kbps = float(args.get("kbps", 0))
            if kbps <= 0:
                raise ValueError("bandwidth needs kbps > 0")
            self.fault = {"kind": kind, "kbps": kbps}
        elif kind in ("down", "blackhole", "reset-peer"):
            self.fault = {"kind": kind}
        else:
            raise ValueError(f"unknown fault {kind}")
        if kind == "down":
            await self.stop_listening()
            self.reset_all()
        else:
            await self.start()
            if kind == "reset-peer":
                self.reset_all()

    async def accept(self, client_reader, client_writer):
        self.accepted += 1
        if self.fault["kind"] in ("reset-peer", "down"):
            reset(client_writer)
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            # The upstream refuses: so does the proxy, as far as a client can tell.
            reset(client_writer)
            return
        connection = Connection(self, client_reader, client_writer, upstream_reader, upstream_writer)
        self.connections.add(connection)
        try:
            await connection.run()
        finally:
            self.connections.discard(connection)


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class Connection:
    def __init__(self, proxy, client_reader, client_writer, upstream_reader, upstream_writer):
        self.proxy = proxy
        self.client = (client_reader, client_writer)
        self.upstream = (upstream_reader, upstream_writer)
        self.tasks = []

    def reset(self):
        reset(self.client[1])
        reset(self.upstream[1])
        for task in self.tasks:
            task.cancel()

    async def run(self):
        self.tasks = [
            asyncio.create_task(self.pump(self.client[0], self.upstream[1], replies=False)),
            asyncio.create_task(self.pump(self.upstream[0], self.client[1], replies=True)),
        ]
        await asyncio.wait(self.tasks, return_when=asyncio.FIRST_COMPLETED)
        fault = self.proxy.fault
        if fault["kind"] == "slow-close":
            await asyncio.sleep(fault["ms"] / 1000)
        for task in self.tasks:
            task.cancel()
        for writer in (self.client[1], self.upstream[1]):
            writer.close()

    async def pump(self, reader, writer, replies):
        held = asyncio.Queue()
        held_bytes = [0]
        deliverer = asyncio.create_task(self.deliver(held, held_bytes, writer))
        last_due = 0.0
        try:
            while True:
                data = await reader.read(CHUNK)
                if not data:
                    break
                fault = self.proxy.fault
                if fault["kind"] == "blackhole":
                    continue
                due = time.monotonic()
                if replies and fault["kind"] == "latency":
                    due += max(0.0, fault["ms"] + random.uniform(-fault["jitter"], fault["jitter"])) / 1000
                last_due = max(last_due, due)  # jitter never reorders bytes
                if held_bytes[0] + len(data) > MAX_HELD_BYTES:
                    break
                held_bytes[0] += len(data)
                held.put_nowait((last_due, data, replies and fault["kind"] == "bandwidth" and fault["kbps"]))
            held.put_nowait(None)
            await deliverer
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            deliverer.cancel()

    async def deliver(self, held, held_bytes, writer):
        try:
            while (item := await held.get()) is not None:
                due, data, kbps = item
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if kbps:
                    # In slices of 1 KiB, so a large reply trickles rather than arriving late in one piece.
                    for offset in range(0, len(data), 1024):
                        await asyncio.sleep(min(1024, len(data) - offset) / (kbps * 1024))
                        writer.write(data[offset:offset + 1024])
                        await writer.drain()
                else:
                    writer.write(data)
                held_bytes[0] -= len(data)
                await writer.drain()
        except OSError:
            pass


async def control(proxies, reader, writer):
    status, body = 200, {}
    try:
        line = (await asyncio.wait_for(reader.readline(), 5)).decode("latin-1")
        while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
            pass
        parts = line.split()
        url = urlsplit(parts[1] if len(parts) > 1 else "/")
        path = [p for p in url.path.split("/") if p]
        args = {k: v[0] for k, v in parse_qs(url.query).items()}
        if path == ["status"]:
            body = {name: {"listen": p.listen, "upstream": p.upstream, "fault": p.fault,
                           "open": len(p.connections), "accepted": p.accepted} for name, p in proxies.items()}
        elif len(path) == 2 and path[0] in proxies:
            await proxies[path[0]].set_fault(path[1], args)
            body = {path[0]: proxies[path[0]].fault}
        else:
            status, body = 404, {"error": "GET /status or /NAME/FAULT?arg=value"}
    except (ValueError, asyncio.TimeoutError) as error:
        status, body = 400, {"error": str(error)}
    payload = (json.dumps(body) + "\n").encode()
    writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                 f"Connection: close\r\n\r\n".encode() + payload)
    try:
        await writer.drain()
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control", type=int, required=True, help="control port on 127.0.0.1")
    parser.add_argument("proxies", nargs="+", metavar="NAME=LISTEN:UPSTREAM")
    options = parser.parse_args()
    proxies = {}
    for spec in options.proxies:
        name, ports = spec.split("=", 1)
        listen, upstream = (int(p) for p in ports.split(":", 1))
        proxies[name] = Proxy(name, listen, upstream)
        await proxies[name].start()
    server = await asyncio.start_server(lambda r, w: control(proxies, r, w), "127.0.0.1", options.control,
                                        reuse_address=True)
    print(f"fault proxy: control on 127.0.0.1:{options.control}, "
          + ", ".join(f"{n} {p.listen}->{p.upstream}" for n, p in proxies.items()), file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass

#!/usr/bin/env python3
"""A local OTLP/HTTP trace receiver for tests and benchmarks (never a collector).

POST /v1/traces takes an ExportTraceServiceRequest (protobuf, gzip or not) and keeps its spans, decoded
with PyPI's opentelemetry-proto; GET /spans answers them as a JSON list; GET /count the number of spans.
With --discard it decodes nothing and keeps only the count of requests and bytes, for load tests.

Usage: otlp-receiver.py PORT_FILE [--port N] [--discard]
Writes the port it listens on (127.0.0.1) to PORT_FILE once it accepts connections.
"""
import argparse
import gzip
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

MAX_BODY = 64 * 1024 * 1024
MAX_SPANS = 100_000

spans = []
counts = {"requests": 0, "bytes": 0}
lock = threading.Lock()


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [value(item) for item in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def decode(body):
    request = ExportTraceServiceRequest()
    request.ParseFromString(body)
    decoded = []
    for resource_spans in request.resource_spans:
        resource = {a.key: value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                decoded.append({
                    "name": span.name,
                    "trace_id": span.trace_id.hex(),
                    "span_id": span.span_id.hex(),
                    "parent_span_id": span.parent_span_id.hex(),
                    "kind": span.kind,
                    "status_code": span.status.code,
                    "attributes": {a.key: value(a.value) for a in span.attributes},
                    "resource": resource,
                })
    return decoded


class Handler(BaseHTTPRequestHandler):
    discard = False

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", content_type="application/x-protobuf"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if self.path != "/v1/traces" or not 0 <= length <= MAX_BODY:
            return self.answer(400)
        body = self.rfile.read(length)
        with lock:
            counts["requests"] += 1
            counts["bytes"] += length
        if not self.discard:
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            decoded = decode(body)
            with lock:
                spans.extend(decoded[: max(0, MAX_SPANS - len(spans))])
        self.answer(200)

    def do_GET(self):
        with lock:
            if self.path == "/spans":
                body = json.dumps(spans).encode()
            elif self.path == "/count":
                body = json.dumps(dict(counts, spans=len(spans))).encode()
            else:
                return self.answer(404)
        self.answer(200, body, "application/json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port_file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--discard", action="store_true")
    arguments = parser.parse_args()
    Handler.discard = arguments.discard
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    with open(arguments.port_file + ".tmp", "w") as file:
        file.write(f"{server.server_address[1]}\n")
    os.replace(arguments.port_file + ".tmp", arguments.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

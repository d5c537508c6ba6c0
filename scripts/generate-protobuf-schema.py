#!/usr/bin/env python3
"""Generates the protobuf schema Gantry uses to decode Kubernetes protobuf request bodies.

Reads the generated.proto files of k8s.io/api and k8s.io/apimachinery for field numbers and
types, and the Go types of the same packages for what the proto files leave out but the JSON
form needs: the JSON name (inline embedded structs have none), omitempty, and whether the Go
field is a pointer (a pointer that is present on the wire is emitted even when zero, like
`replicas: 0`; a value field with omitempty is dropped when zero, which is how Go clients
write it in JSON). Only messages reachable from the served kinds are written.

Usage (from the repository root, with git clones of github.com/kubernetes/api and
github.com/kubernetes/apimachinery):

    scripts/generate-protobuf-schema.py --api ../api/.git --apimachinery ../apimachinery/.git \
        --ref v0.36.3 > src/Gantry.Server/Api/Protobuf/KubernetesSchemaText.cs
"""

import argparse
import re
import subprocess
import sys

API_PACKAGES = ["core/v1", "apps/v1", "batch/v1", "coordination/v1", "discovery/v1", "events/v1", "node/v1", "scheduling/v1", "autoscaling/v1",
                "autoscaling/v2", "certificates/v1", "networking/v1", "policy/v1", "authorization/v1", "authentication/v1", "rbac/v1", "storage/v1",
                "admissionregistration/v1"]
MACHINERY_PACKAGES = ["pkg/apis/meta/v1", "pkg/runtime", "pkg/util/intstr", "pkg/api/resource"]

# The kinds a client may send: those in src/Gantry.Core/Resources/ResourceCatalog.cs and the
# bodies of its subresources, with the message that holds each. "*" accepts any apiVersion
# because clients encode DeleteOptions in the group version of the resource they delete.
ROOTS = [
    ("v1", "Namespace", "core.v1.Namespace"),
    ("v1", "Pod", "core.v1.Pod"),
    ("v1", "Node", "core.v1.Node"),
    ("v1", "Service", "core.v1.Service"),
    ("v1", "Endpoints", "core.v1.Endpoints"),
    ("v1", "ReplicationController", "core.v1.ReplicationController"),
    ("v1", "ConfigMap", "core.v1.ConfigMap"),
    ("v1", "Secret", "core.v1.Secret"),
    ("v1", "Event", "core.v1.Event"),
    ("v1", "ServiceAccount", "core.v1.ServiceAccount"),
    ("v1", "LimitRange", "core.v1.LimitRange"),
    ("v1", "ResourceQuota", "core.v1.ResourceQuota"),
    ("v1", "PersistentVolume", "core.v1.PersistentVolume"),
    ("v1", "PersistentVolumeClaim", "core.v1.PersistentVolumeClaim"),
    ("v1", "Binding", "core.v1.Binding"),
    ("apps/v1", "ReplicaSet", "apps.v1.ReplicaSet"),
    ("apps/v1", "Deployment", "apps.v1.Deployment"),
    ("apps/v1", "DaemonSet", "apps.v1.DaemonSet"),
    ("apps/v1", "StatefulSet", "apps.v1.StatefulSet"),
    ("apps/v1", "ControllerRevision", "apps.v1.ControllerRevision"),
    ("batch/v1", "Job", "batch.v1.Job"),
    ("batch/v1", "CronJob", "batch.v1.CronJob"),
    ("coordination.k8s.io/v1", "Lease", "coordination.v1.Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice", "discovery.v1.EndpointSlice"),
    ("node.k8s.io/v1", "RuntimeClass", "node.v1.RuntimeClass"),
    ("scheduling.k8s.io/v1", "PriorityClass", "scheduling.v1.PriorityClass"),
    ("storage.k8s.io/v1", "StorageClass", "storage.v1.StorageClass"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "rbac.v1.ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "rbac.v1.ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role", "rbac.v1.Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "rbac.v1.RoleBinding"),
    ("autoscaling/v1", "Scale", "autoscaling.v1.Scale"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "autoscaling.v2.HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "autoscaling.v1.HorizontalPodAutoscaler"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest", "certificates.v1.CertificateSigningRequest"),
    ("networking.k8s.io/v1", "Ingress", "networking.v1.Ingress"),
    ("networking.k8s.io/v1", "IngressClass", "networking.v1.IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy", "networking.v1.NetworkPolicy"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "admissionregistration.v1.MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "admissionregistration.v1.ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "admissionregistration.v1.ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "admissionregistration.v1.ValidatingAdmissionPolicyBinding"),
    ("events.k8s.io/v1", "Event", "events.v1.Event"),
    ("policy/v1", "PodDisruptionBudget", "policy.v1.PodDisruptionBudget"),
    ("policy/v1", "Eviction", "policy.v1.Eviction"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview", "authorization.v1.SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview", "authorization.v1.SelfSubjectRulesReview"),
    ("authentication.k8s.io/v1", "SelfSubjectReview", "authentication.v1.SelfSubjectReview"),
    ("authentication.k8s.io/v1", "TokenRequest", "authentication.v1.TokenRequest"),
    ("*", "DeleteOptions", "meta.v1.DeleteOptions"),
]

# Messages whose JSON form is not an object of their fields; the decoder knows each by name.
SPECIAL = {
    "api.resource.Quantity": "quantity",
    "util.intstr.IntOrString": "intorstring",
    "meta.v1.Time": "time",
    "meta.v1.MicroTime": "microtime",
    "meta.v1.FieldsV1": "fieldsv1",
    "authentication.v1.ExtraValue": "stringlist",
    "certificates.v1.ExtraValue": "stringlist",
    "runtime.RawExtension": "rawextension",
}

SCALARS = {"string", "int32", "int64", "bool", "bytes"}


def short_name(full):
    for prefix in ("k8s.io.api.", "k8s.io.apimachinery.pkg.apis.", "k8s.io.apimachinery.pkg."):
        if full.startswith(prefix):
            return full[len(prefix):]
    raise SystemExit(f"unexpected package in type {full}")


def git_show(git_dir, ref, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{ref}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def git_ls(git_dir, ref, folder):
    out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only", ref, folder + "/"],
                         check=True, capture_output=True, text=True).stdout
    return [p for p in out.split() if p.endswith(".go") and not p.endswith("_test.go")]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_proto(text, messages):
    text = strip_comments(text)
    package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    for name, body in re.findall(r"^message (\w+) \{(.*?)^\}", text, re.M | re.S):
        fields = []
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            m = re.fullmatch(r"(optional|repeated) ([\w.]+) (\w+) = (\d+);", line)
            if m:
                label, ftype, fname, number = m.groups()
                fields.append({"number": int(number), "name": fname, "label": label,
                               "type": resolve(ftype, package)})
                continue
            m = re.fullmatch(r"map<(\w+), ([\w.]+)> (\w+) = (\d+);", line)
            if m:
                key, value, fname, number = m.groups()
                if key != "string":
                    raise SystemExit(f"{package}.{name}.{fname}: map keys other than string are not supported")
                fields.append({"number": int(number), "name": fname, "label": "map",
                               "type": resolve(value, package)})
                continue
            raise SystemExit(f"{package}.{name}: cannot parse '{line}'")
        messages[short_name(f"{package}.{name}")] = fields


def resolve(ftype, package):
    if ftype in SCALARS:
        return ftype
    if ftype.startswith("."):
        return short_name(ftype[1:])
    return short_name(f"{package}.{ftype}")


def parse_go(text, package, structs):
    """Records, per struct and protobuf field number, the Go facts the JSON form depends on."""
    for name, body in re.findall(r"^type (\w+) struct \{(.*?)^\}", text, re.M | re.S):
        fields = {}
        for line in strip_comments(body).splitlines():
            m = re.fullmatch(r"\s*(?:(\w+)\s+)?([\w.*\[\]]+)\s+`([^`]*)`\s*", line)
            if not m:
                continue
            go_type, tag = m.group(2), m.group(3)
            tags = dict(re.findall(r'(\w+):"([^"]*)"', tag))
            if "protobuf" not in tags or tags["protobuf"] == "-":
                continue
            number = int(tags["protobuf"].split(",")[1])
            json_parts = tags.get("json", "").split(",")
            # omitzero (ObjectMeta.creationTimestamp since 1.35) is deliberately not honoured:
            # the clients that send protobuf (kubectl 1.32, 1.33) write that field as null in JSON.
            fields[number] = {
                "json": json_parts[0],
                "inline": "inline" in json_parts[1:],
                "omitempty": "omitempty" in json_parts[1:],
                "pointer": go_type.startswith("*"),
            }
        structs[f"{package}.{name}"] = fields


def reachable(messages):
    seen, todo = [], [root for _, _, root in ROOTS]
    while todo:
        name = todo.pop()
        if name in seen or name in SPECIAL:
            continue
        if name not in messages:
            raise SystemExit(f"message {name} is not in the proto files read")
        seen.append(name)
        todo.extend(f["type"] for f in messages[name] if f["type"] not in SCALARS)
    return sorted(seen)


def field_line(message, field, go):
    facts = go.get(message, {}).get(field["number"])
    if facts is None:
        raise SystemExit(f"{message} field {field['number']} ({field['name']}) has no Go field")
    if facts["inline"]:
        json_name = "."
    elif facts["json"] in ("", "-"):
        raise SystemExit(f"{message}.{field['name']} has no JSON name")
    else:
        json_name = facts["json"]
        # Go's proto names follow the Go field (BoundObjectReference's "uID"); only the case may differ from the JSON.
        if json_name.lower() != field["name"].lower():
            raise SystemExit(f"{message}.{field['name']}: JSON name {json_name} differs from the proto name")
    ftype = SPECIAL.get(field["type"], field["type"])
    if field["type"] in ("meta.v1.Duration", "meta.v1.Verbs", "runtime.Unknown"):
        raise SystemExit(f"{message}.{field['name']}: the decoder has no JSON form for {field['type']}")
    prefix = {"optional": "", "repeated": "[]", "map": "{}"}[field["label"]]
    flags = ("*" if facts["pointer"] else "") + ("?" if facts["omitempty"] else "")
    return " ".join(part for part in (str(field["number"]), json_name, prefix + ftype, flags) if part)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--api", required=True, help="git directory of github.com/kubernetes/api")
    parser.add_argument("--apimachinery", required=True, help="git directory of github.com/kubernetes/apimachinery")
    parser.add_argument("--ref", required=True, help="tag of both repositories, e.g. v0.36.3")
    args = parser.parse_args()

    messages, go = {}, {}
    for package in API_PACKAGES:
        parse_proto(git_show(args.api, args.ref, f"{package}/generated.proto"), messages)
        for path in git_ls(args.api, args.ref, package):
            parse_go(git_show(args.api, args.ref, path), package.replace("/", "."), go)
    for package in MACHINERY_PACKAGES:
        parse_proto(git_show(args.apimachinery, args.ref, f"{package}/generated.proto"), messages)
        short = package.removeprefix("pkg/apis/").removeprefix("pkg/").replace("/", ".")
        for path in git_ls(args.apimachinery, args.ref, package):
            parse_go(git_show(args.apimachinery, args.ref, path), short, go)

    lines = [f"# Kubernetes protobuf schema: k8s.io/api and k8s.io/apimachinery {args.ref}.",
             "# Generated by scripts/generate-protobuf-schema.py; do not edit.",
             "# kind <apiVersion|*> <Kind> <message>",
             "# message <name>, then one line per field in Go struct order:",
             "#   <number> <JSON name, or . for an inline embedded struct> <[] repeated | {} map of string to><type> [* pointer][? omitempty]"]
    lines += [f"kind {api_version} {kind} {message}" for api_version, kind, message in ROOTS]
    for message in reachable(messages):
        lines.append(f"message {message}")
        lines += [field_line(message, field, go) for field in messages[message]]

    text = "\n".join(lines)
    sys.stdout.write(f"""namespace Gantry.Server.Api.Protobuf;

/// <summary>
/// The Kubernetes protobuf schema, generated by scripts/generate-protobuf-schema.py from the
/// generated.proto files and Go types of k8s.io/api and k8s.io/apimachinery {args.ref}.
/// </summary>
internal static class KubernetesSchemaText
{{
    public const string Value = \"\"\"
{text}
\"\"\";
}}
""")


if __name__ == "__main__":
    main()

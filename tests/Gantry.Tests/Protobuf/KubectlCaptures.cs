namespace Gantry.Tests.Protobuf;

/// <summary>
/// Request bodies captured from real kubectl through a logging TLS proxy in front of Gantry: the
/// protobuf body kubectl 1.32 sends (1.33 sends the same bytes, except where a capture says it
/// is 1.33's) and the JSON kubectl 1.27 sends for the same command. bin.dat was 19 random bytes
/// ending in ff 00 01.
/// </summary>
internal static class KubectlCaptures
{
    public static IReadOnlyList<KubectlCapture> All { get; } =
    [
        new(
            "Deployment",
            "kubectl create deployment web --image=busybox --replicas=2",
            "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Eq8BCh8KA3dlYhIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEn4IAhIMCgoK"
            + "A2FwcBIDd2ViGmQKHAoAEgAaACIAKgAyADgAQgBaCgoDYXBwEgN3ZWISRBImCgdidXN5Ym94EgdidXN5Ym94KgBCAGoAcgCA"
            + "AQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA=",
            """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"busybox","image":"busybox","resources":{}}]}},"strategy":{}},"status":{}}
            """),
        new(
            "Namespace",
            "kubectl create namespace n",
            "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhkKEQoBbhIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==",
            """
            {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n","creationTimestamp":null},"spec":{},"status":{}}
            """),
        new(
            "ConfigMap",
            "kubectl create configmap x --from-literal=a=b",
            "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEhsKEQoBeBIAGgAiACoAMgA4AEIAEgYKAWESAWIaACIA",
            """
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"data":{"a":"b"}}
            """),
        new(
            "SecretGeneric",
            "kubectl create secret generic s --from-literal=k=v",
            "azhzAAoMCgJ2MRIGU2VjcmV0Eh0KEQoBcxIAGgAiACoAMgA4AEIAEgYKAWsSAXYaABoAIgA=",
            """
            {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},"data":{"k":"dg=="}}
            """),
        new(
            "ServiceClusterIP",
            "kubectl create service clusterip my-svc --tcp=80:8080",
            "azhzAAoNCgJ2MRIHU2VydmljZRJyCiUKBm15LXN2YxIAGgAiACoAMgA4AEIAWg0KA2FwcBIGbXktc3ZjEkUKGwoHODAtODA4"
            + "MBIDVENQGFAiBwgAEJA/GgAoABINCgNhcHASBm15LXN2YxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
            """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"my-svc","creationTimestamp":null,"labels":{"app":"my-svc"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"my-svc"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}
            """),
        new(
            "ServiceAccount",
            "kubectl create serviceaccount sa1",
            "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSFQoTCgNzYTESABoAIgAqADIAOABCABoAIgA=",
            """
            {"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa1","creationTimestamp":null}}
            """),
        new(
            "JobWithCommand",
            "kubectl create job j --image=busybox -- echo hi",
            "azhzAAoPCghiYXRjaC92MRIDSm9iEoIBChEKAWoSABoAIgAqADIAOABCABJjMmEKEAoAEgAaACIAKgAyADgAQgASTRIqCgFq"
            + "EgdidXN5Ym94GgRlY2hvGgJoaSoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEA"
            + "GgggACgAMAA6ABoAIgA=",
            """
            {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"j","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},"status":{}}
            """),
        new(
            "PriorityClass",
            "kubectl create priorityclass pc --value=1000",
            "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxIxChIKAnBjEgAaACIAKgAyADgAQgAQ6AcYACIA"
            + "KhRQcmVlbXB0TG93ZXJQcmlvcml0eRoAIgA=",
            """
            {"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name":"pc","creationTimestamp":null},"value":1000,"preemptionPolicy":"PreemptLowerPriority"}
            """),
        new(
            "ServiceNamedTargetPort",
            "kubectl create service clusterip named-svc --tcp=80:http",
            "azhzAAoNCgJ2MRIHU2VydmljZRJ+CisKCW5hbWVkLXN2YxIAGgAiACoAMgA4AEIAWhAKA2FwcBIJbmFtZWQtc3ZjEksKHgoH"
            + "ODAtaHR0cBIDVENQGFAiCggBEAAaBGh0dHAoABIQCgNhcHASCW5hbWVkLXN2YxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAa"
            + "AgoAGgAiAA==",
            """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"named-svc","creationTimestamp":null,"labels":{"app":"named-svc"}},"spec":{"ports":[{"name":"80-http","protocol":"TCP","port":80,"targetPort":"http"}],"selector":{"app":"named-svc"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}
            """),
        new(
            "ServiceNodePort",
            "kubectl create service nodeport np-svc --tcp=80:8080 --node-port=30080",
            "azhzAAoNCgJ2MRIHU2VydmljZRJzCiUKBm5wLXN2YxIAGgAiACoAMgA4AEIAWg0KA2FwcBIGbnAtc3ZjEkYKHQoHODAtODA4"
            + "MBIDVENQGFAiBwgAEJA/GgAogOsBEg0KA2FwcBIGbnAtc3ZjGgAiCE5vZGVQb3J0OgBCAFIAWgBgAGgAGgIKABoAIgA=",
            """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"np-svc","creationTimestamp":null,"labels":{"app":"np-svc"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"np-svc"},"type":"NodePort"},"status":{"loadBalancer":{}}}
            """),
        new(
            "ServiceExternalName",
            "kubectl create service externalname ext-svc --external-name=example.com",
            "azhzAAoNCgJ2MRIHU2VydmljZRJmCicKB2V4dC1zdmMSABoAIgAqADIAOABCAFoOCgNhcHASB2V4dC1zdmMSNxIOCgNhcHAS"
            + "B2V4dC1zdmMaACIMRXh0ZXJuYWxOYW1lOgBCAFILZXhhbXBsZS5jb21aAGAAaAAaAgoAGgAiAA==",
            """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"ext-svc","creationTimestamp":null,"labels":{"app":"ext-svc"}},"spec":{"selector":{"app":"ext-svc"},"type":"ExternalName","externalName":"example.com"},"status":{"loadBalancer":{}}}
            """),
        new(
            "ServiceLoadBalancer",
            "kubectl create service loadbalancer lb-svc --tcp=443:8443",
            "azhzAAoNCgJ2MRIHU2VydmljZRJ3CiUKBmxiLXN2YxIAGgAiACoAMgA4AEIAWg0KA2FwcBIGbGItc3ZjEkoKHQoINDQzLTg0"
            + "NDMSA1RDUBi7AyIHCAAQ+0EaACgAEg0KA2FwcBIGbGItc3ZjGgAiDExvYWRCYWxhbmNlcjoAQgBSAFoAYABoABoCCgAaACIA",
            """
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"lb-svc","creationTimestamp":null,"labels":{"app":"lb-svc"}},"spec":{"ports":[{"name":"443-8443","protocol":"TCP","port":443,"targetPort":8443}],"selector":{"app":"lb-svc"},"type":"LoadBalancer"},"status":{"loadBalancer":{}}}
            """),
        new(
            "SecretDockerRegistry",
            "kubectl create secret docker-registry reg --docker-username=u --docker-password=p --docker-server=r.example.com",
            "azhzAAoMCgJ2MRIGU2VjcmV0EpUBChMKA3JlZxIAGgAiACoAMgA4AEIAEl4KES5kb2NrZXJjb25maWdqc29uEkl7ImF1dGhz"
            + "Ijp7InIuZXhhbXBsZS5jb20iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19Gh5rdWJl"
            + "cm5ldGVzLmlvL2RvY2tlcmNvbmZpZ2pzb24aACIA",
            """
            {"kind":"Secret","apiVersion":"v1","metadata":{"name":"reg","creationTimestamp":null},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmV4YW1wbGUuY29tIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="},"type":"kubernetes.io/dockerconfigjson"}
            """),
        new(
            "DeploymentWithPortAndZeroReplicas",
            "kubectl create deployment web2 --image=nginx --port=8080 --replicas=0",
            "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCiEKBHdlYjISABoAIgAqADIAOABCAFoLCgNhcHASBHdlYjISiQEIABIN"
            + "CgsKA2FwcBIEd2ViMhpuCh0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEd2ViMhJNEi8KBW5naW54EgVuZ2lueCoAMgsKABAA"
            + "GJA/IgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoMCAAQABgAIAAo"
            + "ADgAGgAiAA==",
            """
            {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web2","creationTimestamp":null,"labels":{"app":"web2"}},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web2"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web2"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":8080}],"resources":{}}]}},"strategy":{}},"status":{}}
            """),
        new(
            "Job",
            "kubectl create job j2 --image=busybox",
            "azhzAAoPCghiYXRjaC92MRIDSm9iEnoKEgoCajISABoAIgAqADIAOABCABJaMlgKEAoAEgAaACIAKgAyADgAQgASRBIhCgJq"
            + "MhIHYnVzeWJveCoAQgBqAHIAgAEAiAEAkAEAogEAGgVOZXZlcjIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGgggACgAMAA6"
            + "ABoAIgA=",
            """
            {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j2","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"j2","image":"busybox","resources":{}}],"restartPolicy":"Never"}}},"status":{}}
            """),
        new(
            "PriorityClassWithPolicy",
            "kubectl create priorityclass pc2 --value=5 --global-default=false --description=hello --preemption-policy=Never",
            "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxInChMKA3BjMhIAGgAiACoAMgA4AEIAEAUYACIF"
            + "aGVsbG8qBU5ldmVyGgAiAA==",
            """
            {"kind":"PriorityClass","apiVersion":"scheduling.k8s.io/v1","metadata":{"name":"pc2","creationTimestamp":null},"value":5,"description":"hello","preemptionPolicy":"Never"}
            """),
        new(
            "ConfigMapWithBinaryData",
            "kubectl create configmap bin --from-file=bin.dat --from-literal=x=y",
            "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEj0KEwoDYmluEgAaACIAKgAyADgAQgASBgoBeBIBeRoeCgdiaW4uZGF0EhPf47pjqhgQ"
            + "9MX/S4MWQdzJ/wABGgAiAA==",
            """
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"bin","creationTimestamp":null},"data":{"x":"y"},"binaryData":{"bin.dat":"3+O6Y6oYEPTF/0uDFkHcyf8AAQ=="}}
            """),
        // The pod "rich" that kubectl debug copies was created (as JSON) from this manifest:
        //   apiVersion: v1
        //   kind: Pod
        //   metadata:
        //     name: rich
        //     labels: {app: rich, tier: web}
        //     annotations: {note: "hello"}
        //   spec:
        //     terminationGracePeriodSeconds: 0
        //     activeDeadlineSeconds: 600
        //     hostAliases: [{ip: 10.0.0.1, hostnames: [a.local, b.local]}]
        //     dnsPolicy: ClusterFirst
        //     dnsConfig: {nameservers: [1.1.1.1], searches: [x.local], options: [{name: ndots, value: "2"}, {name: edns0}]}
        //     securityContext: {runAsUser: 1000, runAsGroup: 0, runAsNonRoot: true, fsGroup: 2000, supplementalGroups: [1, 2, 3], sysctls: [{name: net.core.somaxconn, value: "1024"}], seccompProfile: {type: RuntimeDefault}}
        //     nodeSelector: {disk: ssd}
        //     tolerations:
        //     - {key: k, operator: Equal, value: v, effect: NoExecute, tolerationSeconds: 30}
        //     - {operator: Exists}
        //     affinity:
        //       nodeAffinity:
        //         requiredDuringSchedulingIgnoredDuringExecution:
        //           nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a, b]}]}]
        //         preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, preference: {matchFields: [{key: metadata.name, operator: NotIn, values: [x]}]}}]
        //       podAntiAffinity:
        //         preferredDuringSchedulingIgnoredDuringExecution:
        //         - weight: 100
        //           podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: rich}, matchExpressions: [{key: tier, operator: Exists}]}}
        //     topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: rich}}}]
        //     readinessGates: [{conditionType: example.com/ready}]
        //     volumes:
        //     - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
        //     - {name: cfg, configMap: {name: x, items: [{key: a, path: a.txt, mode: 0400}], defaultMode: 0644, optional: true}}
        //     - {name: sec, secret: {secretName: s, optional: false}}
        //     - {name: host, hostPath: {path: /tmp, type: Directory}}
        //     - name: proj
        //       projected:
        //         sources:
        //         - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: api}
        //         - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}]}
        //     initContainers:
        //     - {name: init, image: busybox, command: [sh, -c, "true"]}
        //     containers:
        //     - name: app
        //       image: busybox
        //       command: [sleep]
        //       args: ["3600"]
        //       workingDir: /work
        //       ports: [{name: http, containerPort: 8080, protocol: TCP}, {containerPort: 9090, hostPort: 9090, protocol: UDP}]
        //       env:
        //       - {name: A, value: b}
        //       - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        //       - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
        //       - {name: CM, valueFrom: {configMapKeyRef: {name: x, key: a, optional: true}}}
        //       - {name: SK, valueFrom: {secretKeyRef: {name: s, key: k}}}
        //       envFrom: [{prefix: P_, configMapRef: {name: x}}, {secretRef: {name: s, optional: true}}]
        //       resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 250m, memory: 64Mi}}
        //       volumeMounts: [{name: scratch, mountPath: /scratch}, {name: cfg, mountPath: /cfg, readOnly: true, subPath: a.txt}]
        //       livenessProbe: {httpGet: {path: /healthz, port: http, scheme: HTTP, httpHeaders: [{name: X, value: "yes"}]}, initialDelaySeconds: 3, periodSeconds: 10, failureThreshold: 2}
        //       readinessProbe: {tcpSocket: {port: 8080}, timeoutSeconds: 2}
        //       startupProbe: {exec: {command: [cat, /tmp/ok]}, successThreshold: 1}
        //       lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 1"]}}, postStart: {httpGet: {port: 8080, path: /start}}}
        //       securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {add: [NET_ADMIN], drop: [ALL]}, privileged: false}
        //       imagePullPolicy: IfNotPresent
        //       terminationMessagePolicy: FallbackToLogsOnError
        //       stdin: true
        //       tty: true
        //     - name: side
        //       image: busybox
        //       readinessProbe: {grpc: {port: 9000, service: health}}
        new(
            "PodCopyFromDebug",
            "kubectl debug rich --copy-to=copy-132 --image=busybox --container=dbg -- sleep 1 (kubectl 1.27 ran with --copy-to=copy-127, renamed here)",
            "azhzAAoJCgJ2MRIDUG9kErsMCi4KCGNvcHktMTMyEgAaB2RlZmF1bHQiACoAMgA4AEIAYg0KBG5vdGUSBWhlbGxvEvYLCh0K"
            + "B3NjcmF0Y2gSEhIQCgZNZW1vcnkSBgoENjRNaQojCgNjZmcSHJoBGQoDCgF4Eg0KAWESBWEudHh0GIACGKQDIAEKEQoDc2Vj"
            + "EgoyCAoBcxikAyAAChsKBGhvc3QSEwoRCgQvdG1wEglEaXJlY3RvcnkKZAoEcHJvahJc0gFZChEiDwoDYXBpEJAcGgV0b2tl"
            + "bgpBEj8KHQoGbGFiZWxzEhMKABIPbWV0YWRhdGEubGFiZWxzCh4KA2NwdRoXCgNhcHASCmxpbWl0cy5jcHUaBAoCMW0QpAMS"
            + "1wQKA2FwcBIHYnVzeWJveBoFc2xlZXAiBDM2MDAqBS93b3JrMhIKBGh0dHAQABiQPyIDVENQKgAyDwoAEIJHGIJHIgNVRFAq"
            + "ADoGCgFBEgFiOh4KA1BPRBIAGhUKEwoCdjESDW1ldGFkYXRhLm5hbWU6IwoDTUVNEgAaGhIYCgASDWxpbWl0cy5tZW1vcnka"
            + "BQoDMU1pOhQKAkNNEgAaDBoKCgMKAXgSAWEYAToSCgJTSxIAGgoiCAoDCgFzEgFrQkMKDQoDY3B1EgYKBDUwMG0KEQoGbWVt"
            + "b3J5EgcKBTEyOE1pEg0KA2NwdRIGCgQyNTBtEhAKBm1lbW9yeRIGCgQ2NE1pShkKB3NjcmF0Y2gQABoIL3NjcmF0Y2giADIA"
            + "ShYKA2NmZxABGgQvY2ZnIgVhLnR4dDIAUjYKKhIoCggvaGVhbHRoehIKCAEQABoEaHR0cBoAIgRIVFRQKggKAVgSA3llcxAD"
            + "GAEgCigBMAJaGQoNGgsKBwgAEJA/GgASABAAGAIgCigBMANiMgobEhkKBi9zdGFydBIHCAAQkD8aABoAIgRIVFRQEhMKEQoC"
            + "c2gKAi1jCgdzbGVlcCAxahQvZGV2L3Rlcm1pbmF0aW9uLWxvZ3IMSWZOb3RQcmVzZW50ehgKEAoJTkVUX0FETUlOEgNBTEwQ"
            + "ADABOACAAQGIAQCQAQGaAQsKAlBfEgUKAwoBeJoBCwoAGgcKAwoBcxABogEVRmFsbGJhY2tUb0xvZ3NPbkVycm9ysgEcChAK"
            + "DgoDY2F0CgcvdG1wL29rEAAYASAKKAEwAxJcCgRzaWRlEgdidXN5Ym94KgBCAFoZCg0iCwioRhIGaGVhbHRoEAAYASAKKAEw"
            + "A2oUL2Rldi90ZXJtaW5hdGlvbi1sb2dyBkFsd2F5c4ABAIgBAJABAKIBBEZpbGUSMAoDZGJnEgdidXN5Ym94GgVzbGVlcBoB"
            + "MSoAQgBqAHIAgAEAiAEAkAEAogEERmlsZRoGQWx3YXlzIAAo2AQyDENsdXN0ZXJGaXJzdDoLCgRkaXNrEgNzc2RCAEoAUgBY"
            + "AGAAaAByPhDoBxgBIAEgAiADKNAPMAA6GgoSbmV0LmNvcmUuc29tYXhjb25uEgQxMDI0UhAKDlJ1bnRpbWVEZWZhdWx0ggEA"
            + "igEAkgF4CjcKFAoSChAKBHpvbmUSAkluGgFhGgFiEh8IBRIbEhkKDW1ldGFkYXRhLm5hbWUSBU5vdEluGgF4Gj0SOwhkEjcK"
            + "HQoLCgNhcHASBHJpY2gSDgoEdGllchIGRXhpc3RzGhZrdWJlcm5ldGVzLmlvL2hvc3RuYW1lmgERZGVmYXVsdC1zY2hlZHVs"
            + "ZXKiAU8KBGluaXQSB2J1c3lib3gaAnNoGgItYxoEdHJ1ZSoAQgBqFC9kZXYvdGVybWluYXRpb24tbG9ncgZBbHdheXOAAQCI"
            + "AQCQAQCiAQRGaWxlsgEaCgFrEgVFcXVhbBoBdiIJTm9FeGVjdXRlKB6yAQ4KABIGRXhpc3RzGgAiALoBHAoIMTAuMC4wLjES"
            + "B2EubG9jYWwSB2IubG9jYWzCAQDIAQDSAScKBzEuMS4xLjESB3gubG9jYWwaCgoFbmRvdHMSATIaBwoFZWRuczDiARMKEWV4"
            + "YW1wbGUuY29tL3JlYWR58AEB+gEUUHJlZW1wdExvd2VyUHJpb3JpdHmKAicIARIEem9uZRoOU2NoZWR1bGVBbnl3YXkiDQoL"
            + "CgNhcHASBHJpY2gaEAoAGgAiACoAMgBKAFoAcgAaACIA",
            """
            {
              "kind": "Pod",
              "apiVersion": "v1",
              "metadata": {
                "name": "copy-132",
                "namespace": "default",
                "creationTimestamp": null,
                "annotations": {
                  "note": "hello"
                }
              },
              "spec": {
                "volumes": [
                  {
                    "name": "scratch",
                    "emptyDir": {
                      "medium": "Memory",
                      "sizeLimit": "64Mi"
                    }
                  },
                  {
                    "name": "cfg",
                    "configMap": {
                      "name": "x",
                      "items": [
                        {
                          "key": "a",
                          "path": "a.txt",
                          "mode": 256
                        }
                      ],
                      "defaultMode": 420,
                      "optional": true
                    }
                  },
                  {
                    "name": "sec",
                    "secret": {
                      "secretName": "s",
                      "defaultMode": 420,
                      "optional": false
                    }
                  },
                  {
                    "name": "host",
                    "hostPath": {
                      "path": "/tmp",
                      "type": "Directory"
                    }
                  },
                  {
                    "name": "proj",
                    "projected": {
                      "sources": [
                        {
                          "serviceAccountToken": {
                            "audience": "api",
                            "expirationSeconds": 3600,
                            "path": "token"
                          }
                        },
                        {
                          "downwardAPI": {
                            "items": [
                              {
                                "path": "labels",
                                "fieldRef": {
                                  "fieldPath": "metadata.labels"
                                }
                              },
                              {
                                "path": "cpu",
                                "resourceFieldRef": {
                                  "containerName": "app",
                                  "resource": "limits.cpu",
                                  "divisor": "1m"
                                }
                              }
                            ]
                          }
                        }
                      ],
                      "defaultMode": 420
                    }
                  }
                ],
                "initContainers": [
                  {
                    "name": "init",
                    "image": "busybox",
                    "command": [
                      "sh",
                      "-c",
                      "true"
                    ],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "Always"
                  }
                ],
                "containers": [
                  {
                    "name": "app",
                    "image": "busybox",
                    "command": [
                      "sleep"
                    ],
                    "args": [
                      "3600"
                    ],
                    "workingDir": "/work",
                    "ports": [
                      {
                        "name": "http",
                        "containerPort": 8080,
                        "protocol": "TCP"
                      },
                      {
                        "hostPort": 9090,
                        "containerPort": 9090,
                        "protocol": "UDP"
                      }
                    ],
                    "envFrom": [
                      {
                        "prefix": "P_",
                        "configMapRef": {
                          "name": "x"
                        }
                      },
                      {
                        "secretRef": {
                          "name": "s",
                          "optional": true
                        }
                      }
                    ],
                    "env": [
                      {
                        "name": "A",
                        "value": "b"
                      },
                      {
                        "name": "POD",
                        "valueFrom": {
                          "fieldRef": {
                            "apiVersion": "v1",
                            "fieldPath": "metadata.name"
                          }
                        }
                      },
                      {
                        "name": "MEM",
                        "valueFrom": {
                          "resourceFieldRef": {
                            "resource": "limits.memory",
                            "divisor": "1Mi"
                          }
                        }
                      },
                      {
                        "name": "CM",
                        "valueFrom": {
                          "configMapKeyRef": {
                            "name": "x",
                            "key": "a",
                            "optional": true
                          }
                        }
                      },
                      {
                        "name": "SK",
                        "valueFrom": {
                          "secretKeyRef": {
                            "name": "s",
                            "key": "k"
                          }
                        }
                      }
                    ],
                    "resources": {
                      "limits": {
                        "cpu": "500m",
                        "memory": "128Mi"
                      },
                      "requests": {
                        "cpu": "250m",
                        "memory": "64Mi"
                      }
                    },
                    "volumeMounts": [
                      {
                        "name": "scratch",
                        "mountPath": "/scratch"
                      },
                      {
                        "name": "cfg",
                        "readOnly": true,
                        "mountPath": "/cfg",
                        "subPath": "a.txt"
                      }
                    ],
                    "livenessProbe": {
                      "httpGet": {
                        "path": "/healthz",
                        "port": "http",
                        "scheme": "HTTP",
                        "httpHeaders": [
                          {
                            "name": "X",
                            "value": "yes"
                          }
                        ]
                      },
                      "initialDelaySeconds": 3,
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 2
                    },
                    "readinessProbe": {
                      "tcpSocket": {
                        "port": 8080
                      },
                      "timeoutSeconds": 2,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "startupProbe": {
                      "exec": {
                        "command": [
                          "cat",
                          "/tmp/ok"
                        ]
                      },
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "lifecycle": {
                      "postStart": {
                        "httpGet": {
                          "path": "/start",
                          "port": 8080,
                          "scheme": "HTTP"
                        }
                      },
                      "preStop": {
                        "exec": {
                          "command": [
                            "sh",
                            "-c",
                            "sleep 1"
                          ]
                        }
                      }
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "FallbackToLogsOnError",
                    "imagePullPolicy": "IfNotPresent",
                    "securityContext": {
                      "capabilities": {
                        "add": [
                          "NET_ADMIN"
                        ],
                        "drop": [
                          "ALL"
                        ]
                      },
                      "privileged": false,
                      "readOnlyRootFilesystem": true,
                      "allowPrivilegeEscalation": false
                    },
                    "stdin": true,
                    "tty": true
                  },
                  {
                    "name": "side",
                    "image": "busybox",
                    "resources": {},
                    "readinessProbe": {
                      "grpc": {
                        "port": 9000,
                        "service": "health"
                      },
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "Always"
                  },
                  {
                    "name": "dbg",
                    "image": "busybox",
                    "command": [
                      "sleep",
                      "1"
                    ],
                    "resources": {},
                    "terminationMessagePolicy": "File"
                  }
                ],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 0,
                "activeDeadlineSeconds": 600,
                "dnsPolicy": "ClusterFirst",
                "nodeSelector": {
                  "disk": "ssd"
                },
                "securityContext": {
                  "runAsUser": 1000,
                  "runAsGroup": 0,
                  "runAsNonRoot": true,
                  "supplementalGroups": [
                    1,
                    2,
                    3
                  ],
                  "fsGroup": 2000,
                  "sysctls": [
                    {
                      "name": "net.core.somaxconn",
                      "value": "1024"
                    }
                  ],
                  "seccompProfile": {
                    "type": "RuntimeDefault"
                  }
                },
                "affinity": {
                  "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                      "nodeSelectorTerms": [
                        {
                          "matchExpressions": [
                            {
                              "key": "zone",
                              "operator": "In",
                              "values": [
                                "a",
                                "b"
                              ]
                            }
                          ]
                        }
                      ]
                    },
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                      {
                        "weight": 5,
                        "preference": {
                          "matchFields": [
                            {
                              "key": "metadata.name",
                              "operator": "NotIn",
                              "values": [
                                "x"
                              ]
                            }
                          ]
                        }
                      }
                    ]
                  },
                  "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                      {
                        "weight": 100,
                        "podAffinityTerm": {
                          "labelSelector": {
                            "matchLabels": {
                              "app": "rich"
                            },
                            "matchExpressions": [
                              {
                                "key": "tier",
                                "operator": "Exists"
                              }
                            ]
                          },
                          "topologyKey": "kubernetes.io/hostname"
                        }
                      }
                    ]
                  }
                },
                "schedulerName": "default-scheduler",
                "tolerations": [
                  {
                    "key": "k",
                    "operator": "Equal",
                    "value": "v",
                    "effect": "NoExecute",
                    "tolerationSeconds": 30
                  },
                  {
                    "operator": "Exists"
                  }
                ],
                "hostAliases": [
                  {
                    "ip": "10.0.0.1",
                    "hostnames": [
                      "a.local",
                      "b.local"
                    ]
                  }
                ],
                "priority": 0,
                "dnsConfig": {
                  "nameservers": [
                    "1.1.1.1"
                  ],
                  "searches": [
                    "x.local"
                  ],
                  "options": [
                    {
                      "name": "ndots",
                      "value": "2"
                    },
                    {
                      "name": "edns0"
                    }
                  ]
                },
                "readinessGates": [
                  {
                    "conditionType": "example.com/ready"
                  }
                ],
                "enableServiceLinks": true,
                "preemptionPolicy": "PreemptLowerPriority",
                "topologySpreadConstraints": [
                  {
                    "maxSkew": 1,
                    "topologyKey": "zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {
                      "matchLabels": {
                        "app": "rich"
                      }
                    }
                  }
                ]
              },
              "status": {}
            }
            """),
        new(
            "PodCopyFromDebugWithKubectl133",
            "kubectl 1.33 debug rich --copy-to=copy-133 --image=busybox --container=dbg -- sleep 1 (kubectl 1.27 ran with --copy-to=copy-127, renamed here)",
            "azhzAAoJCgJ2MRIDUG9kEr4MCi4KCGNvcHktMTMzEgAaB2RlZmF1bHQiACoAMgA4AEIAYg0KBG5vdGUSBWhlbGxvEvYLCh0K"
            + "B3NjcmF0Y2gSEhIQCgZNZW1vcnkSBgoENjRNaQojCgNjZmcSHJoBGQoDCgF4Eg0KAWESBWEudHh0GIACGKQDIAEKEQoDc2Vj"
            + "EgoyCAoBcxikAyAAChsKBGhvc3QSEwoRCgQvdG1wEglEaXJlY3RvcnkKZAoEcHJvahJc0gFZChEiDwoDYXBpEJAcGgV0b2tl"
            + "bgpBEj8KHQoGbGFiZWxzEhMKABIPbWV0YWRhdGEubGFiZWxzCh4KA2NwdRoXCgNhcHASCmxpbWl0cy5jcHUaBAoCMW0QpAMS"
            + "1wQKA2FwcBIHYnVzeWJveBoFc2xlZXAiBDM2MDAqBS93b3JrMhIKBGh0dHAQABiQPyIDVENQKgAyDwoAEIJHGIJHIgNVRFAq"
            + "ADoGCgFBEgFiOh4KA1BPRBIAGhUKEwoCdjESDW1ldGFkYXRhLm5hbWU6IwoDTUVNEgAaGhIYCgASDWxpbWl0cy5tZW1vcnka"
            + "BQoDMU1pOhQKAkNNEgAaDBoKCgMKAXgSAWEYAToSCgJTSxIAGgoiCAoDCgFzEgFrQkMKDQoDY3B1EgYKBDUwMG0KEQoGbWVt"
            + "b3J5EgcKBTEyOE1pEg0KA2NwdRIGCgQyNTBtEhAKBm1lbW9yeRIGCgQ2NE1pShkKB3NjcmF0Y2gQABoIL3NjcmF0Y2giADIA"
            + "ShYKA2NmZxABGgQvY2ZnIgVhLnR4dDIAUjYKKhIoCggvaGVhbHRoehIKCAEQABoEaHR0cBoAIgRIVFRQKggKAVgSA3llcxAD"
            + "GAEgCigBMAJaGQoNGgsKBwgAEJA/GgASABAAGAIgCigBMANiMgobEhkKBi9zdGFydBIHCAAQkD8aABoAIgRIVFRQEhMKEQoC"
            + "c2gKAi1jCgdzbGVlcCAxahQvZGV2L3Rlcm1pbmF0aW9uLWxvZ3IMSWZOb3RQcmVzZW50ehgKEAoJTkVUX0FETUlOEgNBTEwQ"
            + "ADABOACAAQGIAQCQAQGaAQsKAlBfEgUKAwoBeJoBCwoAGgcKAwoBcxABogEVRmFsbGJhY2tUb0xvZ3NPbkVycm9ysgEcChAK"
            + "DgoDY2F0CgcvdG1wL29rEAAYASAKKAEwAxJcCgRzaWRlEgdidXN5Ym94KgBCAFoZCg0iCwioRhIGaGVhbHRoEAAYASAKKAEw"
            + "A2oUL2Rldi90ZXJtaW5hdGlvbi1sb2dyBkFsd2F5c4ABAIgBAJABAKIBBEZpbGUSMAoDZGJnEgdidXN5Ym94GgVzbGVlcBoB"
            + "MSoAQgBqAHIAgAEAiAEAkAEAogEERmlsZRoGQWx3YXlzIAAo2AQyDENsdXN0ZXJGaXJzdDoLCgRkaXNrEgNzc2RCAEoAUgBY"
            + "AGAAaAByPhDoBxgBIAEgAiADKNAPMAA6GgoSbmV0LmNvcmUuc29tYXhjb25uEgQxMDI0UhAKDlJ1bnRpbWVEZWZhdWx0ggEA"
            + "igEAkgF4CjcKFAoSChAKBHpvbmUSAkluGgFhGgFiEh8IBRIbEhkKDW1ldGFkYXRhLm5hbWUSBU5vdEluGgF4Gj0SOwhkEjcK"
            + "HQoLCgNhcHASBHJpY2gSDgoEdGllchIGRXhpc3RzGhZrdWJlcm5ldGVzLmlvL2hvc3RuYW1lmgERZGVmYXVsdC1zY2hlZHVs"
            + "ZXKiAU8KBGluaXQSB2J1c3lib3gaAnNoGgItYxoEdHJ1ZSoAQgBqFC9kZXYvdGVybWluYXRpb24tbG9ncgZBbHdheXOAAQCI"
            + "AQCQAQCiAQRGaWxlsgEaCgFrEgVFcXVhbBoBdiIJTm9FeGVjdXRlKB6yAQ4KABIGRXhpc3RzGgAiALoBHAoIMTAuMC4wLjES"
            + "B2EubG9jYWwSB2IubG9jYWzCAQDIAQDSAScKBzEuMS4xLjESB3gubG9jYWwaCgoFbmRvdHMSATIaBwoFZWRuczDiARMKEWV4"
            + "YW1wbGUuY29tL3JlYWR58AEB+gEUUHJlZW1wdExvd2VyUHJpb3JpdHmKAicIARIEem9uZRoOU2NoZWR1bGVBbnl3YXkiDQoL"
            + "CgNhcHASBHJpY2gaEwoAGgAiACoAMgBKAFoAcgCIAQAaACIA",
            """
            {
              "kind": "Pod",
              "apiVersion": "v1",
              "metadata": {
                "name": "copy-133",
                "namespace": "default",
                "creationTimestamp": null,
                "annotations": {
                  "note": "hello"
                }
              },
              "spec": {
                "volumes": [
                  {
                    "name": "scratch",
                    "emptyDir": {
                      "medium": "Memory",
                      "sizeLimit": "64Mi"
                    }
                  },
                  {
                    "name": "cfg",
                    "configMap": {
                      "name": "x",
                      "items": [
                        {
                          "key": "a",
                          "path": "a.txt",
                          "mode": 256
                        }
                      ],
                      "defaultMode": 420,
                      "optional": true
                    }
                  },
                  {
                    "name": "sec",
                    "secret": {
                      "secretName": "s",
                      "defaultMode": 420,
                      "optional": false
                    }
                  },
                  {
                    "name": "host",
                    "hostPath": {
                      "path": "/tmp",
                      "type": "Directory"
                    }
                  },
                  {
                    "name": "proj",
                    "projected": {
                      "sources": [
                        {
                          "serviceAccountToken": {
                            "audience": "api",
                            "expirationSeconds": 3600,
                            "path": "token"
                          }
                        },
                        {
                          "downwardAPI": {
                            "items": [
                              {
                                "path": "labels",
                                "fieldRef": {
                                  "fieldPath": "metadata.labels"
                                }
                              },
                              {
                                "path": "cpu",
                                "resourceFieldRef": {
                                  "containerName": "app",
                                  "resource": "limits.cpu",
                                  "divisor": "1m"
                                }
                              }
                            ]
                          }
                        }
                      ],
                      "defaultMode": 420
                    }
                  }
                ],
                "initContainers": [
                  {
                    "name": "init",
                    "image": "busybox",
                    "command": [
                      "sh",
                      "-c",
                      "true"
                    ],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "Always"
                  }
                ],
                "containers": [
                  {
                    "name": "app",
                    "image": "busybox",
                    "command": [
                      "sleep"
                    ],
                    "args": [
                      "3600"
                    ],
                    "workingDir": "/work",
                    "ports": [
                      {
                        "name": "http",
                        "containerPort": 8080,
                        "protocol": "TCP"
                      },
                      {
                        "hostPort": 9090,
                        "containerPort": 9090,
                        "protocol": "UDP"
                      }
                    ],
                    "envFrom": [
                      {
                        "prefix": "P_",
                        "configMapRef": {
                          "name": "x"
                        }
                      },
                      {
                        "secretRef": {
                          "name": "s",
                          "optional": true
                        }
                      }
                    ],
                    "env": [
                      {
                        "name": "A",
                        "value": "b"
                      },
                      {
                        "name": "POD",
                        "valueFrom": {
                          "fieldRef": {
                            "apiVersion": "v1",
                            "fieldPath": "metadata.name"
                          }
                        }
                      },
                      {
                        "name": "MEM",
                        "valueFrom": {
                          "resourceFieldRef": {
                            "resource": "limits.memory",
                            "divisor": "1Mi"
                          }
                        }
                      },
                      {
                        "name": "CM",
                        "valueFrom": {
                          "configMapKeyRef": {
                            "name": "x",
                            "key": "a",
                            "optional": true
                          }
                        }
                      },
                      {
                        "name": "SK",
                        "valueFrom": {
                          "secretKeyRef": {
                            "name": "s",
                            "key": "k"
                          }
                        }
                      }
                    ],
                    "resources": {
                      "limits": {
                        "cpu": "500m",
                        "memory": "128Mi"
                      },
                      "requests": {
                        "cpu": "250m",
                        "memory": "64Mi"
                      }
                    },
                    "volumeMounts": [
                      {
                        "name": "scratch",
                        "mountPath": "/scratch"
                      },
                      {
                        "name": "cfg",
                        "readOnly": true,
                        "mountPath": "/cfg",
                        "subPath": "a.txt"
                      }
                    ],
                    "livenessProbe": {
                      "httpGet": {
                        "path": "/healthz",
                        "port": "http",
                        "scheme": "HTTP",
                        "httpHeaders": [
                          {
                            "name": "X",
                            "value": "yes"
                          }
                        ]
                      },
                      "initialDelaySeconds": 3,
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 2
                    },
                    "readinessProbe": {
                      "tcpSocket": {
                        "port": 8080
                      },
                      "timeoutSeconds": 2,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "startupProbe": {
                      "exec": {
                        "command": [
                          "cat",
                          "/tmp/ok"
                        ]
                      },
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "lifecycle": {
                      "postStart": {
                        "httpGet": {
                          "path": "/start",
                          "port": 8080,
                          "scheme": "HTTP"
                        }
                      },
                      "preStop": {
                        "exec": {
                          "command": [
                            "sh",
                            "-c",
                            "sleep 1"
                          ]
                        }
                      }
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "FallbackToLogsOnError",
                    "imagePullPolicy": "IfNotPresent",
                    "securityContext": {
                      "capabilities": {
                        "add": [
                          "NET_ADMIN"
                        ],
                        "drop": [
                          "ALL"
                        ]
                      },
                      "privileged": false,
                      "readOnlyRootFilesystem": true,
                      "allowPrivilegeEscalation": false
                    },
                    "stdin": true,
                    "tty": true
                  },
                  {
                    "name": "side",
                    "image": "busybox",
                    "resources": {},
                    "readinessProbe": {
                      "grpc": {
                        "port": 9000,
                        "service": "health"
                      },
                      "timeoutSeconds": 1,
                      "periodSeconds": 10,
                      "successThreshold": 1,
                      "failureThreshold": 3
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "Always"
                  },
                  {
                    "name": "dbg",
                    "image": "busybox",
                    "command": [
                      "sleep",
                      "1"
                    ],
                    "resources": {},
                    "terminationMessagePolicy": "File"
                  }
                ],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 0,
                "activeDeadlineSeconds": 600,
                "dnsPolicy": "ClusterFirst",
                "nodeSelector": {
                  "disk": "ssd"
                },
                "securityContext": {
                  "runAsUser": 1000,
                  "runAsGroup": 0,
                  "runAsNonRoot": true,
                  "supplementalGroups": [
                    1,
                    2,
                    3
                  ],
                  "fsGroup": 2000,
                  "sysctls": [
                    {
                      "name": "net.core.somaxconn",
                      "value": "1024"
                    }
                  ],
                  "seccompProfile": {
                    "type": "RuntimeDefault"
                  }
                },
                "affinity": {
                  "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                      "nodeSelectorTerms": [
                        {
                          "matchExpressions": [
                            {
                              "key": "zone",
                              "operator": "In",
                              "values": [
                                "a",
                                "b"
                              ]
                            }
                          ]
                        }
                      ]
                    },
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                      {
                        "weight": 5,
                        "preference": {
                          "matchFields": [
                            {
                              "key": "metadata.name",
                              "operator": "NotIn",
                              "values": [
                                "x"
                              ]
                            }
                          ]
                        }
                      }
                    ]
                  },
                  "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                      {
                        "weight": 100,
                        "podAffinityTerm": {
                          "labelSelector": {
                            "matchLabels": {
                              "app": "rich"
                            },
                            "matchExpressions": [
                              {
                                "key": "tier",
                                "operator": "Exists"
                              }
                            ]
                          },
                          "topologyKey": "kubernetes.io/hostname"
                        }
                      }
                    ]
                  }
                },
                "schedulerName": "default-scheduler",
                "tolerations": [
                  {
                    "key": "k",
                    "operator": "Equal",
                    "value": "v",
                    "effect": "NoExecute",
                    "tolerationSeconds": 30
                  },
                  {
                    "operator": "Exists"
                  }
                ],
                "hostAliases": [
                  {
                    "ip": "10.0.0.1",
                    "hostnames": [
                      "a.local",
                      "b.local"
                    ]
                  }
                ],
                "priority": 0,
                "dnsConfig": {
                  "nameservers": [
                    "1.1.1.1"
                  ],
                  "searches": [
                    "x.local"
                  ],
                  "options": [
                    {
                      "name": "ndots",
                      "value": "2"
                    },
                    {
                      "name": "edns0"
                    }
                  ]
                },
                "readinessGates": [
                  {
                    "conditionType": "example.com/ready"
                  }
                ],
                "enableServiceLinks": true,
                "preemptionPolicy": "PreemptLowerPriority",
                "topologySpreadConstraints": [
                  {
                    "maxSkew": 1,
                    "topologyKey": "zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {
                      "matchLabels": {
                        "app": "rich"
                      }
                    }
                  }
                ]
              },
              "status": {}
            }
            """),
    ];
}

using System.Text.Json.Nodes;
using Gantry.Server.Api.Protobuf;
using Xunit;

namespace Gantry.Tests.Protobuf;

/// <summary>
/// Bodies built by hand with only the fields a test is about; the expected JSON is what a Go
/// client writes for the same object, compared as text so that property order counts too.
/// </summary>
public sealed class KubernetesProtobufTests
{
    private static ProtoWriter Meta(string name) => new ProtoWriter().String(1, name);

    private static void AssertDecodes(string expectedJson, byte[] body) =>
        Assert.Equal(JsonNode.Parse(expectedJson)!.ToJsonString(), KubernetesProtobuf.Decode(body).ToJsonString());

    [Fact]
    public void A_deployment_like_kubectl_create_deployment_decodes_with_go_zero_forms_for_what_is_absent()
    {
        var labels = new ProtoWriter().Entry(11, "app", "web");
        var container = new ProtoWriter().String(1, "busybox").String(2, "busybox").Message(8, new ProtoWriter());
        var spec = new ProtoWriter()
            .Int(1, 2)
            .Message(2, new ProtoWriter().Entry(1, "app", "web"))
            .Message(3, new ProtoWriter()
                .Message(1, new ProtoWriter().Entry(11, "app", "web"))
                .Message(2, new ProtoWriter().Message(2, container)));
        var deployment = new ProtoWriter().Message(1, Meta("web").Entry(11, "app", "web")).Message(2, spec);

        AssertDecodes("""
            {"kind":"Deployment","apiVersion":"apps/v1",
             "metadata":{"name":"web","creationTimestamp":null,"labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"busybox","image":"busybox","resources":{}}]}},
               "strategy":{}},
             "status":{}}
            """, ProtoWriter.Body("apps/v1", "Deployment", deployment));
    }

    [Fact]
    public void A_self_subject_access_review_like_kubectl_auth_can_i_decodes_with_its_empty_status()
    {
        var attributes = new ProtoWriter().String(1, "default").String(2, "create").String(5, "pods");
        var review = new ProtoWriter().Message(1, new ProtoWriter()).Message(2, new ProtoWriter().Message(1, attributes)).Message(3, new ProtoWriter());

        AssertDecodes("""
            {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},"status":{"allowed":false}}
            """, ProtoWriter.Body("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));
    }

    [Fact]
    public void A_user_info_extra_decodes_as_lists_of_strings()
    {
        var review = new ProtoWriter().Message(2, new ProtoWriter().Message(1, new ProtoWriter()
            .String(1, "jane")
            .Entry(4, "scopes", new ProtoWriter().String(1, "a").String(1, "b"))));

        var json = KubernetesProtobuf.Decode(ProtoWriter.Body("authentication.k8s.io/v1", "SelfSubjectReview", review));

        Assert.Equal("""{"scopes":["a","b"]}""", json["status"]!["userInfo"]!["extra"]!.ToJsonString());
    }

    [Fact]
    public void Zero_replicas_are_kept_because_the_go_field_is_a_pointer()
    {
        var deployment = new ProtoWriter().Message(1, Meta("web")).Message(2, new ProtoWriter().Int(1, 0));

        var json = KubernetesProtobuf.Decode(ProtoWriter.Body("apps/v1", "Deployment", deployment));

        Assert.Equal(0, json["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Zero_values_on_the_wire_are_left_out_where_go_omits_them_and_kept_where_it_does_not()
    {
        // Go marshalers write every value field; ObjectMeta's are omitempty, Container.name is not.
        var meta = Meta("p").String(2, "").String(3, "").Int(7, 0);
        var container = new ProtoWriter().String(1, "").String(2, "").Bool(16, false);
        var pod = new ProtoWriter().Message(1, meta).Message(2, new ProtoWriter().Message(2, container));

        AssertDecodes("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null},
             "spec":{"containers":[{"name":"","resources":{}}]},"status":{}}
            """, ProtoWriter.Body("v1", "Pod", pod));
    }

    [Fact]
    public void A_configmap_keeps_its_data_and_writes_binary_data_in_base64()
    {
        var configMap = new ProtoWriter()
            .Message(1, Meta("x"))
            .Entry(2, "a", "b")
            .Message(3, new ProtoWriter().String(1, "bin").Bytes(2, [0xff, 0x00, 0x01]));

        AssertDecodes("""
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},
             "data":{"a":"b"},"binaryData":{"bin":"/wAB"}}
            """, ProtoWriter.Body("v1", "ConfigMap", configMap));
    }

    [Fact]
    public void Secret_data_is_written_in_base64()
    {
        var secret = new ProtoWriter()
            .Message(1, Meta("s"))
            .Message(2, new ProtoWriter().String(1, "k").Bytes(2, "v"u8.ToArray()))
            .String(3, "Opaque");

        AssertDecodes("""
            {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","creationTimestamp":null},
             "data":{"k":"dg=="},"type":"Opaque"}
            """, ProtoWriter.Body("v1", "Secret", secret));
    }

    [Fact]
    public void A_validating_webhook_configuration_decodes_with_its_inline_rule_and_base64_ca_bundle()
    {
        var service = new ProtoWriter().String(1, "policy-system").String(2, "policy").Int(4, 8443);
        var rule = new ProtoWriter().String(1, "CREATE").Message(2, new ProtoWriter().String(1, "").String(2, "v1").String(3, "pods"));
        var webhook = new ProtoWriter()
            .String(1, "pods.policy.example.com")
            .Message(2, new ProtoWriter().Message(1, service).Bytes(2, "ca"u8.ToArray()))
            .Message(3, rule)
            .String(6, "None")
            .String(8, "v1");
        var configuration = new ProtoWriter().Message(1, Meta("policy")).Message(2, webhook);

        AssertDecodes("""
            {"kind":"ValidatingWebhookConfiguration","apiVersion":"admissionregistration.k8s.io/v1",
             "metadata":{"name":"policy","creationTimestamp":null},
             "webhooks":[{"name":"pods.policy.example.com",
               "clientConfig":{"service":{"namespace":"policy-system","name":"policy","port":8443},"caBundle":"Y2E="},
               "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}],
               "sideEffects":"None","admissionReviewVersions":["v1"]}]}
            """, ProtoWriter.Body("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", configuration));
    }

    [Fact]
    public void A_namespace_decodes_with_empty_spec_and_status()
    {
        AssertDecodes("""
            {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n","creationTimestamp":null},"spec":{},"status":{}}
            """, ProtoWriter.Body("v1", "Namespace", new ProtoWriter().Message(1, Meta("n"))));
    }

    [Fact]
    public void A_service_target_port_is_a_string_or_a_number_by_its_type()
    {
        var named = new ProtoWriter().String(1, "web").Int(3, 80).Message(4, new ProtoWriter().Int(1, 1).Int(2, 0).String(3, "http"));
        var numbered = new ProtoWriter().String(1, "alt").Int(3, 81).Message(4, new ProtoWriter().Int(1, 0).Int(2, 8080).String(3, ""));
        var service = new ProtoWriter()
            .Message(1, Meta("svc"))
            .Message(2, new ProtoWriter().Message(1, named).Message(1, numbered).Entry(2, "app", "web").String(4, "ClusterIP"));

        AssertDecodes("""
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"svc","creationTimestamp":null},
             "spec":{"ports":[{"name":"web","port":80,"targetPort":"http"},{"name":"alt","port":81,"targetPort":8080}],
               "selector":{"app":"web"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """, ProtoWriter.Body("v1", "Service", service));
    }

    [Fact]
    public void A_network_policy_decodes_with_its_pod_selector_written_even_when_absent()
    {
        var port = new ProtoWriter().String(1, "UDP").Message(2, new ProtoWriter().Int(1, 0).Int(2, 53).String(3, "")).Int(3, 60);
        var peer = new ProtoWriter().Message(3, new ProtoWriter().String(1, "10.0.0.0/8").String(2, "10.1.0.0/16"));
        var policy = new ProtoWriter()
            .Message(1, Meta("dns"))
            .Message(2, new ProtoWriter().Message(3, new ProtoWriter().Message(1, port).Message(2, peer)).String(4, "Egress"));

        AssertDecodes("""
            {"kind":"NetworkPolicy","apiVersion":"networking.k8s.io/v1","metadata":{"name":"dns","creationTimestamp":null},
             "spec":{"podSelector":{},
               "egress":[{"ports":[{"protocol":"UDP","port":53,"endPort":60}],"to":[{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}}]}],
               "policyTypes":["Egress"]}}
            """, ProtoWriter.Body("networking.k8s.io/v1", "NetworkPolicy", policy));
    }

    [Fact]
    public void A_pod_writes_quantities_as_strings_and_its_creation_time_in_rfc3339()
    {
        var limits = new ProtoWriter()
            .Entry(1, "memory", new ProtoWriter().String(1, "64Mi"))
            .Entry(1, "cpu", new ProtoWriter().String(1, "500m"));
        var container = new ProtoWriter().String(1, "c").String(2, "busybox").Message(8, limits);
        var meta = Meta("p").Message(8, new ProtoWriter().Int(1, 1_700_000_000).Int(2, 0));
        var pod = new ProtoWriter().Message(1, meta).Message(2, new ProtoWriter().Message(2, container));

        AssertDecodes("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":"2023-11-14T22:13:20Z"},
             "spec":{"containers":[{"name":"c","image":"busybox","resources":{"limits":{"cpu":"500m","memory":"64Mi"}}}]},
             "status":{}}
            """, ProtoWriter.Body("v1", "Pod", pod));
    }

    [Fact]
    public void Inline_structs_merge_their_fields_into_the_parent()
    {
        var volume = new ProtoWriter().String(1, "scratch")
            .Message(2, new ProtoWriter().Message(2, new ProtoWriter().String(1, "Memory")));
        var configMapKey = new ProtoWriter().Message(1, new ProtoWriter().String(1, "settings")).String(2, "level");
        var env = new ProtoWriter().String(1, "LEVEL").Message(3, new ProtoWriter().Message(3, configMapKey));
        var probe = new ProtoWriter()
            .Message(1, new ProtoWriter().Message(2, new ProtoWriter().String(1, "/healthz").Message(2, new ProtoWriter().Int(1, 0).Int(2, 8080))))
            .Int(4, 10);
        var container = new ProtoWriter().String(1, "c").Message(7, env).Message(10, probe);
        var pod = new ProtoWriter().Message(1, Meta("p")).Message(2, new ProtoWriter().Message(1, volume).Message(2, container));

        AssertDecodes("""
            {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null},
             "spec":{"volumes":[{"name":"scratch","emptyDir":{"medium":"Memory"}}],
               "containers":[{"name":"c",
                 "env":[{"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"settings","key":"level"}}}],
                 "resources":{},
                 "livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}}]},
             "status":{}}
            """, ProtoWriter.Body("v1", "Pod", pod));
    }

    [Fact]
    public void Repeated_integers_decode_packed_and_unpacked()
    {
        // 1 and 1000 packed into one length-delimited value, then 2000 on its own.
        var securityContext = new ProtoWriter().Bytes(4, [0x01, 0xe8, 0x07]).Int(4, 2000);
        var pod = new ProtoWriter().Message(1, Meta("p")).Message(2, new ProtoWriter().Message(14, securityContext));

        var json = KubernetesProtobuf.Decode(ProtoWriter.Body("v1", "Pod", pod));

        Assert.Equal("[1,1000,2000]", json["spec"]!["securityContext"]!["supplementalGroups"]!.ToJsonString());
    }

    [Fact]
    public void A_lease_writes_micro_times_to_the_microsecond()
    {
        var spec = new ProtoWriter().String(1, "node-a").Int(2, 40)
            .Message(4, new ProtoWriter().Int(1, 1_700_000_000).Int(2, 123_456_789));
        var lease = new ProtoWriter().Message(1, Meta("node-a")).Message(2, spec);

        AssertDecodes("""
            {"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"node-a","creationTimestamp":null},
             "spec":{"holderIdentity":"node-a","leaseDurationSeconds":40,"renewTime":"2023-11-14T22:13:20.123456Z"}}
            """, ProtoWriter.Body("coordination.k8s.io/v1", "Lease", lease));
    }

    [Fact]
    public void Managed_fields_keep_their_fields_v1_as_json()
    {
        var entry = new ProtoWriter().String(1, "kubectl").String(2, "Update").String(3, "v1")
            .Message(4, new ProtoWriter().Int(1, 0))
            .String(6, "FieldsV1")
            .Message(7, new ProtoWriter().String(1, """{"f:data":{".":{}}}"""));
        var configMap = new ProtoWriter().Message(1, Meta("x").Message(17, entry));

        AssertDecodes("""
            {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null,
             "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1",
               "time":"1970-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{}}}}]}}
            """, ProtoWriter.Body("v1", "ConfigMap", configMap));
    }

    [Fact]
    public void Delete_options_decode_whatever_group_version_encoded_them()
    {
        var options = new ProtoWriter().Int(1, 0).String(4, "Foreground").String(5, "All");

        AssertDecodes("""
            {"kind":"DeleteOptions","apiVersion":"apps/v1","gracePeriodSeconds":0,"propagationPolicy":"Foreground","dryRun":["All"]}
            """, ProtoWriter.Body("apps/v1", "DeleteOptions", options));
    }

    [Fact]
    public void Subresource_bodies_decode()
    {
        var scale = new ProtoWriter().Message(1, Meta("web")).Message(2, new ProtoWriter().Int(1, 3));
        var eviction = new ProtoWriter().Message(1, Meta("p")).Message(2, new ProtoWriter().Int(1, 30));
        var binding = new ProtoWriter().Message(1, Meta("p")).Message(2, new ProtoWriter().String(1, "Node").String(3, "node-a"));

        AssertDecodes("""
            {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","creationTimestamp":null},
             "spec":{"replicas":3},"status":{"replicas":0}}
            """, ProtoWriter.Body("autoscaling/v1", "Scale", scale));
        AssertDecodes("""
            {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"p","creationTimestamp":null},
             "deleteOptions":{"gracePeriodSeconds":30}}
            """, ProtoWriter.Body("policy/v1", "Eviction", eviction));
        AssertDecodes("""
            {"kind":"Binding","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null},
             "target":{"kind":"Node","name":"node-a"}}
            """, ProtoWriter.Body("v1", "Binding", binding));
    }

    [Fact]
    public void A_message_given_twice_is_the_merge_of_both()
    {
        var pod = new ProtoWriter()
            .Message(1, Meta("p"))
            .Message(1, new ProtoWriter().Entry(11, "app", "web"));

        var json = KubernetesProtobuf.Decode(ProtoWriter.Body("v1", "Pod", pod));

        Assert.Equal("""{"name":"p","creationTimestamp":null,"labels":{"app":"web"}}""", json["metadata"]!.ToJsonString());
    }
}

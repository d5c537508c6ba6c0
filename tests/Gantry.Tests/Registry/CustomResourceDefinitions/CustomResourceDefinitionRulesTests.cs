using System.Text.Json.Nodes;
using k8s.Models;
using Xunit;
using static Gantry.Tests.Registry.CustomResourceDefinitions.CrdFixture;

namespace Gantry.Tests.Registry.CustomResourceDefinitions;

public sealed class CustomResourceDefinitionRulesTests
{
    private const string Dns1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
        + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private const string Versions = "[]apiextensions.CustomResourceDefinitionVersion{...}";

    [Fact]
    public void A_well_formed_crd_is_valid()
    {
        Assert.Empty(CreateErrors(Crd()));
    }

    [Fact]
    public void Defaults_fill_singular_list_kind_conversion_and_stored_versions()
    {
        var crd = Crd();

        Rules.Default(crd);

        Assert.Equal("widget", crd.Spec.Names.Singular);
        Assert.Equal("WidgetList", crd.Spec.Names.ListKind);
        Assert.Equal("None", crd.Spec.Conversion.Strategy);
        Assert.Equal(["v1"], crd.Status.StoredVersions);
    }

    [Fact]
    public void A_webhook_service_port_defaults_to_443()
    {
        var crd = Crd(c => Spec(c)["conversion"] = JsonNode.Parse("""{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"namespace":"d","name":"conv"}}}}"""));

        Rules.Default(crd);

        Assert.Equal(443, crd.Spec.Conversion.Webhook.ClientConfig.Service.Port);
    }

    [Fact]
    public void An_update_records_a_new_storage_version_among_the_stored_versions()
    {
        var old = Crd(c => AddVersion(c, "v2"));
        var crd = Crd(c =>
        {
            Version(c, 0)["storage"] = false;
            AddVersion(c, "v2")["storage"] = true;
        });

        Assert.Empty(UpdateErrors(crd, old));
        Assert.Equal(["v1", "v2"], crd.Status.StoredVersions);
    }

    [Fact]
    public void A_status_write_records_no_storage_version()
    {
        var old = Crd();
        Rules.Default(old);
        var crd = Crd();
        crd.Status = new V1CustomResourceDefinitionStatus { StoredVersions = ["v0"], AcceptedNames = new V1CustomResourceDefinitionNames { Plural = "widgets", Kind = "Widget" } };

        Rules.PrepareForUpdate(crd, old);

        Assert.Equal(["v0"], crd.Status.StoredVersions);
        Assert.Empty(Rules.ValidateStatusUpdate(crd, old));
    }

    [Fact]
    public void A_status_write_checks_the_accepted_names()
    {
        var old = Crd();
        var crd = Crd();
        crd.Status = new V1CustomResourceDefinitionStatus { AcceptedNames = new V1CustomResourceDefinitionNames { Plural = "Widgets", Kind = "Widget" } };

        Assert.Equal(["status.acceptedNames.plural: Invalid value: \"Widgets\": " + Dns1035], Rules.ValidateStatusUpdate(crd, old).Select(e => e.ToString()));
    }

    [Fact]
    public void The_name_is_the_plural_dot_the_group()
    {
        Assert.Equal(
            ["metadata.name: Invalid value: \"widget.example.com\": must be spec.names.plural+\".\"+spec.group"],
            CreateErrors(Crd(c => c["metadata"]!["name"] = "widget.example.com")));
    }

    [Fact]
    public void The_group_is_a_domain_with_at_least_one_dot()
    {
        Assert.Equal(
            ["metadata.name: Invalid value: \"widgets.example.com\": must be spec.names.plural+\".\"+spec.group", "spec.group: Invalid value: \"example\": should be a domain with at least one dot"],
            CreateErrors(Crd(c => Spec(c)["group"] = "example")));
    }

    [Fact]
    public void The_group_is_required_and_a_dns_subdomain()
    {
        Assert.Contains("spec.group: Required value", CreateErrors(Crd(c => Spec(c).Remove("group"))));
        Assert.Contains(CreateErrors(Crd(c => Spec(c)["group"] = "Example.com")), e => e.StartsWith("spec.group: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_kind_neither_singular_nor_list_kind_can_be_defaulted()
    {
        Assert.Equal(
            ["spec.names.singular: Required value", "spec.names.kind: Required value", "spec.names.listKind: Required value"],
            CreateErrors(Crd(c => Spec(c)["names"]!.AsObject().Remove("kind"))));
    }

    [Fact]
    public void The_plural_is_a_dns_1035_label()
    {
        Assert.Contains("spec.names.plural: Invalid value: \"Widgets\": " + Dns1035, CreateErrors(Crd(c =>
        {
            c["metadata"]!["name"] = "Widgets.example.com";
            Spec(c)["names"]!["plural"] = "Widgets";
        })));
    }

    [Fact]
    public void The_kind_may_have_mixed_case_but_no_other_characters()
    {
        Assert.Equal(
            ["spec.names.kind: Invalid value: \"My_Widget\": may have mixed case, but should otherwise match: " + Dns1035,
             "spec.names.listKind: Invalid value: \"My_WidgetList\": may have mixed case, but should otherwise match: " + Dns1035],
            CreateErrors(Crd(c =>
            {
                Spec(c)["names"]!["kind"] = "My_Widget";
                Spec(c)["names"]!["singular"] = "mywidget";
            })));
    }

    [Fact]
    public void Kind_and_list_kind_differ()
    {
        Assert.Equal(
            ["spec.names.listKind: Invalid value: \"Widget\": kind and listKind may not be the same"],
            CreateErrors(Crd(c => Spec(c)["names"]!["listKind"] = "Widget")));
    }

    [Fact]
    public void Short_names_and_categories_are_dns_1035_labels()
    {
        Assert.Equal(
            ["spec.names.shortNames[1]: Invalid value: \"W\": " + Dns1035, "spec.names.categories[0]: Invalid value: \"all_of_them\": " + Dns1035],
            CreateErrors(Crd(c =>
            {
                Spec(c)["names"]!["shortNames"] = new JsonArray("wd", "W");
                Spec(c)["names"]!["categories"] = new JsonArray("all_of_them");
            })));
    }

    [Fact]
    public void The_scope_is_Namespaced_or_Cluster()
    {
        Assert.Equal(["spec.scope: Unsupported value: \"Namespace\": supported values: \"Cluster\", \"Namespaced\""], CreateErrors(Crd(c => Spec(c)["scope"] = "Namespace")));
        Assert.Equal(["spec.scope: Required value"], CreateErrors(Crd(c => Spec(c).Remove("scope"))));
    }

    [Fact]
    public void Exactly_one_version_is_the_storage_version()
    {
        var none = Crd(c => Version(c, 0)["storage"] = false);
        var two = Crd(c => AddVersion(c, "v2")["storage"] = true);

        Assert.Equal(
            ["spec.versions: Invalid value: " + Versions + ": must have exactly one version marked as storage version",
             "status.storedVersions: Invalid value: []string(nil): must have at least one stored version"],
            CreateErrors(none));
        Assert.Equal(
            ["spec.versions: Invalid value: " + Versions + ": must have exactly one version marked as storage version",
             "status.storedVersions: Invalid value: []string{\"v1\"}: must have the storage version v2"],
            CreateErrors(two));
    }

    [Fact]
    public void Version_names_are_unique()
    {
        Assert.Equal(["spec.versions: Invalid value: " + Versions + ": must contain unique version names"], CreateErrors(Crd(c => AddVersion(c, "v1"))));
    }

    [Fact]
    public void Version_names_are_dns_1035_labels_also_as_the_internal_spec_version()
    {
        Assert.Equal(
            ["spec.versions[0].name: Invalid value: \"V1\": " + Dns1035, "spec.version: Invalid value: \"V1\": " + Dns1035],
            CreateErrors(Crd(c => Version(c, 0)["name"] = "V1")));
    }

    [Fact]
    public void Every_version_has_a_schema()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required", "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required"],
            CreateErrors(Crd(c =>
            {
                Version(c, 0).Remove("schema");
                AddVersion(c, "v2");
            })));
    }

    [Fact]
    public void Only_a_deprecated_version_carries_a_deprecation_warning()
    {
        Assert.Equal(
            ["spec.versions[0].deprecationWarning: Invalid value: \"use v2\": can only be set for deprecated versions"],
            CreateErrors(Crd(c => Version(c, 0)["deprecationWarning"] = "use v2")));
        Assert.Empty(CreateErrors(Crd(c =>
        {
            Version(c, 0)["deprecated"] = true;
            Version(c, 0)["deprecationWarning"] = "use v2";
        })));
    }

    [Fact]
    public void Scale_replica_paths_lie_under_spec_and_status()
    {
        var crd = Crd(c => Version(c, 0)["subresources"] = JsonNode.Parse("""{"scale":{"specReplicasPath":".status.replicas","statusReplicasPath":"status.replicas","labelSelectorPath":".metadata.labels"}}"""));

        Assert.Equal(
            ["spec.subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": should be a json path under .spec",
             "spec.subresources.scale.statusReplicasPath: Invalid value: \"status.replicas\": must be a simple json path starting with .",
             "spec.subresources.scale.labelSelectorPath: Invalid value: \".metadata.labels\": should be a json path under either .spec or .status"],
            CreateErrors(crd));
    }

    [Fact]
    public void Scale_replica_paths_are_required()
    {
        Assert.Equal(
            ["spec.subresources.scale.specReplicasPath: Required value", "spec.subresources.scale.statusReplicasPath: Required value"],
            CreateErrors(Crd(c => Version(c, 0)["subresources"] = JsonNode.Parse("""{"scale":{}}"""))));
    }

    [Fact]
    public void Subresources_that_differ_between_versions_are_checked_per_version()
    {
        Assert.Equal(
            ["spec.versions[1].subresources.scale.specReplicasPath: Required value", "spec.versions[1].subresources.scale.statusReplicasPath: Required value"],
            CreateErrors(Crd(c => AddVersion(c, "v2")["subresources"] = JsonNode.Parse("""{"scale":{}}"""))));
    }

    [Fact]
    public void Printer_columns_have_a_name_a_type_and_a_json_path()
    {
        Assert.Equal(
            ["spec.additionalPrinterColumns[0].name: Required value",
             "spec.additionalPrinterColumns[0].type: Required value: must be one of boolean,date,integer,number,string",
             "spec.additionalPrinterColumns[0].JSONPath: Required value"],
            CreateErrors(Crd(c => Version(c, 0)["additionalPrinterColumns"] = JsonNode.Parse("[{}]"))));
    }

    [Fact]
    public void Printer_column_types_formats_and_paths_are_kubes()
    {
        Assert.Equal(
            ["spec.additionalPrinterColumns[0].type: Invalid value: \"int\": must be one of boolean,date,integer,number,string",
             "spec.additionalPrinterColumns[0].format: Invalid value: \"uuid\": must be one of byte,date,date-time,double,float,int32,int64,password",
             "spec.additionalPrinterColumns[0].JSONPath: Invalid value: \"spec.size\": must be a simple json path starting with ."],
            CreateErrors(Crd(c => Version(c, 0)["additionalPrinterColumns"] = JsonNode.Parse("""[{"name":"Size","type":"int","format":"uuid","jsonPath":"spec.size"}]"""))));
    }

    [Fact]
    public void The_conversion_strategy_is_None_or_Webhook()
    {
        Assert.Equal(
            ["spec.conversion.strategy: Unsupported value: \"Custom\": supported values: \"None\", \"Webhook\""],
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse("""{"strategy":"Custom"}"""))));
    }

    [Fact]
    public void Webhook_conversion_needs_a_client_config_and_review_versions()
    {
        Assert.Equal(
            ["spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
             "spec.conversion.conversionReviewVersions: Required value"],
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse("""{"strategy":"Webhook"}"""))));
    }

    [Fact]
    public void Webhook_conversion_with_an_https_url_or_a_service_is_accepted()
    {
        Assert.Empty(CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse(
            """{"strategy":"Webhook","webhook":{"clientConfig":{"url":"https://conv.example.com"},"conversionReviewVersions":["v1"]}}"""))));
        Assert.Empty(CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse(
            """{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"namespace":"ns","name":"conv","path":"/convert"}},"conversionReviewVersions":["v1beta1","v1"]}}"""))));
    }

    [Fact]
    public void Webhook_conversion_urls_and_services_are_checked_as_admission_webhooks_are()
    {
        Assert.Equal(
            ["spec.conversion.webhookClientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]"],
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse(
                """{"strategy":"Webhook","webhook":{"clientConfig":{"url":"http://conv.example.com"},"conversionReviewVersions":["v1"]}}"""))));
        Assert.Equal(
            ["spec.conversion.webhookClientConfig: Required value: exactly one of url or service is required"],
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse(
                """{"strategy":"Webhook","webhook":{"clientConfig":{"url":"https://c.example.com","service":{"namespace":"ns","name":"conv"}},"conversionReviewVersions":["v1"]}}"""))));
        Assert.Contains(
            "spec.conversion.webhookClientConfig.service.path: Invalid value: \"convert\": must start with a '/'",
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse(
                """{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"namespace":"ns","name":"conv","path":"convert"}},"conversionReviewVersions":["v1"]}}"""))));
    }

    [Fact]
    public void Webhook_conversion_names_a_known_review_version()
    {
        Assert.Contains(
            "spec.conversion.conversionReviewVersions: Invalid value: []string{\"v2\"}: must include at least one of v1, v1beta1",
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse("""{"strategy":"Webhook","webhook":{"clientConfig":{"url":"https://c.example.com"},"conversionReviewVersions":["v2"]}}"""))));
    }

    [Fact]
    public void Webhook_settings_are_forbidden_without_the_webhook_strategy()
    {
        Assert.Equal(
            ["spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook",
             "spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook"],
            CreateErrors(Crd(c => Spec(c)["conversion"] = JsonNode.Parse("""{"strategy":"None","webhook":{"clientConfig":{"url":"https://c.example.com"},"conversionReviewVersions":["v1"]}}"""))));
    }

    [Fact]
    public void Preserving_unknown_fields_for_the_whole_crd_is_refused()
    {
        Assert.Equal(
            ["spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"],
            CreateErrors(Crd(c => Spec(c)["preserveUnknownFields"] = true)));
    }

    [Fact]
    public void Protected_groups_need_the_api_approval_annotation()
    {
        var crd = Crd(c =>
        {
            c["metadata"]!["name"] = "widgets.x-k8s.io";
            Spec(c)["group"] = "x-k8s.io";
        });
        var approved = Crd(c =>
        {
            c["metadata"]!["name"] = "widgets.gateway.networking.k8s.io";
            c["metadata"]!["annotations"] = new JsonObject { ["api-approved.kubernetes.io"] = "https://github.com/kubernetes-sigs/gateway-api/pull/1" };
            Spec(c)["group"] = "gateway.networking.k8s.io";
        });

        Assert.Empty(CreateErrors(crd));
        Assert.Empty(CreateErrors(approved));
        Assert.Equal(
            ["metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation \"api-approved.kubernetes.io\", see https://github.com/kubernetes/enhancements/pull/1111"],
            CreateErrors(Crd(c =>
            {
                c["metadata"]!["name"] = "widgets.apps.k8s.io";
                Spec(c)["group"] = "apps.k8s.io";
            })));
    }

    [Fact]
    public void An_update_may_not_drop_a_stored_version_from_the_versions()
    {
        var old = Crd(c => AddVersion(c, "v2"));
        Rules.Default(old);
        old.Status.StoredVersions = ["v2", "v1"];

        Assert.Equal(["status.storedVersions[0]: Invalid value: \"v2\": must appear in spec.versions"], UpdateErrors(Crd(), old));
    }

    [Fact]
    public void The_storage_version_is_always_a_stored_version()
    {
        var crd = Crd();
        Rules.Default(crd);
        crd.Status.StoredVersions = ["v0"];

        Assert.Equal(
            ["status.storedVersions: Invalid value: []string{\"v0\"}: must have the storage version v1",
             "status.storedVersions[0]: Invalid value: \"v0\": must appear in spec.versions"],
            Rules.ValidateUpdate(crd, Crd()).Select(e => e.ToString()));
    }

    [Fact]
    public void The_group_and_the_plural_never_change()
    {
        var crd = Crd(c =>
        {
            Spec(c)["group"] = "example.org";
            Spec(c)["names"]!["plural"] = "gadgets";
        });

        Assert.Equal(
            ["spec.group: Invalid value: \"example.org\": field is immutable", "spec.names.plural: Invalid value: \"gadgets\": field is immutable"],
            UpdateErrors(crd, Crd()));
    }

    [Fact]
    public void Scope_and_kind_may_change_until_the_crd_is_established()
    {
        var crd = Crd(c =>
        {
            Spec(c)["scope"] = "Cluster";
            Spec(c)["names"]!["kind"] = "Gadget";
        });
        var established = Crd(c => c["status"] = JsonNode.Parse("""{"conditions":[{"type":"Established","status":"True"}]}"""));

        Assert.Empty(UpdateErrors(crd, Crd()));
        Assert.Equal(
            ["spec.scope: Invalid value: \"Cluster\": field is immutable", "spec.names.kind: Invalid value: \"Gadget\": field is immutable"],
            UpdateErrors(Crd(c =>
            {
                Spec(c)["scope"] = "Cluster";
                Spec(c)["names"]!["kind"] = "Gadget";
            }), established));
    }
}

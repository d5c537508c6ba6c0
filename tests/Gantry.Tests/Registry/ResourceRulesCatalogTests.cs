using Gantry.Core.Resources;
using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class ResourceRulesCatalogTests
{
    [Fact]
    public void Every_catalog_type_has_rules_for_itself()
    {
        foreach (var type in ResourceCatalog.Types)
        {
            Assert.Same(type, ResourceRulesCatalog.For(type).Type);
        }

        Assert.Equal(ResourceCatalog.Types.Count, ResourceRulesCatalog.All.Count);
    }

    [Fact]
    public void Every_rules_object_defaults_and_validates_a_bare_object_of_its_model_type()
    {
        foreach (var rules in ResourceRulesCatalog.All)
        {
            var obj = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(rules.Type.ModelType)!;
            obj.Metadata = new V1ObjectMeta { Name = "x", Uid = "u" };

            rules.Default(obj);
            _ = rules.ValidateCreate(obj);
            _ = rules.ValidateUpdate(obj, obj);
        }
    }

    [Fact]
    public void Priority_classes_preempt_lower_priorities_by_default()
    {
        var rules = ResourceRulesCatalog.For(ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses"));
        var priorityClass = new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 1000 };

        rules.Default(priorityClass);

        Assert.Equal("PreemptLowerPriority", priorityClass.PreemptionPolicy);
        Assert.Empty(rules.ValidateCreate(priorityClass));
    }

    [Fact]
    public void System_priority_class_names_are_reserved()
    {
        var rules = ResourceRulesCatalog.For(ResourceCatalog.Get("scheduling.k8s.io", "priorityclasses"));
        var priorityClass = new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "system-mine" }, Value = 1 };

        var error = Assert.Single(rules.ValidateCreate(priorityClass));

        Assert.Equal("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class", error.ToString());
    }

    [Fact]
    public void Node_allocatable_defaults_to_capacity()
    {
        var rules = ResourceRulesCatalog.For(ResourceCatalog.Get("", "nodes"));
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Status = new V1NodeStatus { Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } },
        };

        rules.Default(node);

        Assert.Equal("4", node.Status.Allocatable["cpu"].ToString());
    }

    [Fact]
    public void Runtime_class_handler_is_immutable()
    {
        var rules = ResourceRulesCatalog.For(ResourceCatalog.Get("node.k8s.io", "runtimeclasses"));
        var old = new V1RuntimeClass { Metadata = new V1ObjectMeta { Name = "gvisor" }, Handler = "runsc" };
        var updated = new V1RuntimeClass { Metadata = new V1ObjectMeta { Name = "gvisor" }, Handler = "runc" };

        var error = Assert.Single(rules.ValidateUpdate(updated, old));

        Assert.Equal("handler: Invalid value: \"runc\": field is immutable", error.ToString());
    }

    [Fact]
    public void Event_must_live_in_its_objects_namespace()
    {
        var rules = ResourceRulesCatalog.For(ResourceCatalog.Get("", "events"));
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web", NamespaceProperty = "prod" },
        };

        var error = Assert.Single(rules.ValidateCreate(ev));

        Assert.Equal("involvedObject.namespace: Invalid value: \"prod\": does not match event.namespace", error.ToString());
    }
}

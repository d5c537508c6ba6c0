using Gantry.Core.Resources;
using k8s.Models;

namespace Gantry.Server.Registry.Rules;

/// <summary>CustomResourceDefinitions (apiextensions.k8s.io/v1), as kube's apiextensions strategy treats them.</summary>
public sealed class CustomResourceDefinitionRules()
    : ResourceRules<V1CustomResourceDefinition>(ResourceCatalog.Get("apiextensions.k8s.io", "customresourcedefinitions"));

using Gantry.Core.Resources;

namespace Gantry.Server.Api.Tables;

/// <summary>The printer of each served kind; kinds without one get the API server's default table.</summary>
internal static class TablePrinters
{
    private static readonly Dictionary<(string Group, string Kind), TablePrinter> ByKind = new()
    {
        [("", "Pod")] = PodPrinter.Printer,
        [("", "Node")] = NodePrinter.Printer,
        [("", "ComponentStatus")] = ComponentStatusPrinter.Printer,
        [("", "Namespace")] = SimplePrinters.Namespace,
        [("", "Service")] = ServicePrinter.Printer,
        [("", "Endpoints")] = EndpointsPrinter.Printer,
        [("", "ReplicationController")] = WorkloadPrinters.ReplicationController,
        [("", "ConfigMap")] = SimplePrinters.ConfigMap,
        [("", "Secret")] = SimplePrinters.Secret,
        [("", "Event")] = EventPrinter.Printer,
        [("", "ServiceAccount")] = SimplePrinters.ServiceAccount,
        [("", "ResourceQuota")] = ResourceQuotaPrinter.Printer,
        [("", "PersistentVolume")] = StoragePrinters.PersistentVolume,
        [("", "PersistentVolumeClaim")] = StoragePrinters.PersistentVolumeClaim,
        [("apps", "ReplicaSet")] = WorkloadPrinters.ReplicaSet,
        [("apps", "Deployment")] = WorkloadPrinters.Deployment,
        [("apps", "DaemonSet")] = DaemonSetPrinter.Printer,
        [("apps", "StatefulSet")] = WorkloadPrinters.StatefulSet,
        [("apps", "ControllerRevision")] = ControllerRevisionPrinter.Printer,
        [("batch", "Job")] = WorkloadPrinters.Job,
        [("batch", "CronJob")] = CronJobPrinter.Printer,
        [("autoscaling", "HorizontalPodAutoscaler")] = HorizontalPodAutoscalerPrinter.Printer,
        [("certificates.k8s.io", "CertificateSigningRequest")] = CertificateSigningRequestPrinter.Printer,
        [("networking.k8s.io", "Ingress")] = IngressPrinters.Ingress,
        [("networking.k8s.io", "IngressClass")] = IngressPrinters.IngressClass,
        [("networking.k8s.io", "NetworkPolicy")] = NetworkPolicyPrinter.Printer,
        [("policy", "PodDisruptionBudget")] = SimplePrinters.PodDisruptionBudget,
        [("coordination.k8s.io", "Lease")] = SimplePrinters.Lease,
        [("discovery.k8s.io", "EndpointSlice")] = EndpointSlicePrinter.Printer,
        [("metrics.k8s.io", "NodeMetrics")] = ResourceMetricsPrinters.Nodes,
        [("metrics.k8s.io", "PodMetrics")] = ResourceMetricsPrinters.Pods,
        [("node.k8s.io", "RuntimeClass")] = SimplePrinters.RuntimeClass,
        [("scheduling.k8s.io", "PriorityClass")] = SimplePrinters.PriorityClass,
        [("storage.k8s.io", "StorageClass")] = StoragePrinters.StorageClass,
        [("rbac.authorization.k8s.io", "ClusterRole")] = RbacPrinters.Role,
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = RbacPrinters.Binding,
        [("rbac.authorization.k8s.io", "Role")] = RbacPrinters.Role,
        [("rbac.authorization.k8s.io", "RoleBinding")] = RbacPrinters.Binding,
        [("admissionregistration.k8s.io", "MutatingWebhookConfiguration")] = AdmissionRegistrationPrinters.MutatingWebhookConfiguration,
        [("admissionregistration.k8s.io", "ValidatingWebhookConfiguration")] = AdmissionRegistrationPrinters.ValidatingWebhookConfiguration,
        [("admissionregistration.k8s.io", "ValidatingAdmissionPolicy")] = AdmissionRegistrationPrinters.ValidatingAdmissionPolicy,
        [("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding")] = AdmissionRegistrationPrinters.ValidatingAdmissionPolicyBinding,
    };

    public static TablePrinter For(ResourceType type) =>
        type.Custom is not null ? CustomResourcePrinter.For(type) : ByKind.GetValueOrDefault((type.Group, type.Kind)) ?? SimplePrinters.Default;
}

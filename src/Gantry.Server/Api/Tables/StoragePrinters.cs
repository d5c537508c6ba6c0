using System.Text.Json.Nodes;

namespace Gantry.Server.Api.Tables;

/// <summary>kube's <c>printPersistentVolume</c>, <c>printPersistentVolumeClaim</c> and <c>printStorageClass</c>.</summary>
internal static class StoragePrinters
{
    private const string Unset = "<unset>";
    private const string BetaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public static TablePrinter PersistentVolume { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Capacity", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
            TableColumn.Text("Access Modes", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
            TableColumn.Text("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
            TableColumn.Text("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
            TableColumn.Text("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
            TableColumn.Text("StorageClass", "StorageClass of the pv"),
            TableColumn.Text("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
            TableColumn.Text("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
            TableColumn.Age,
            TableColumn.Text("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", priority: 1),
        ],
        (pv, now) =>
        [
            CellFormat.Name(pv),
            CellFormat.Quantity(JsonRead.At(pv, "spec", "capacity", "storage")),
            AccessModes(JsonRead.Strings(pv, "spec", "accessModes")),
            JsonRead.String(pv, "spec", "persistentVolumeReclaimPolicy"),
            Phase(pv),
            JsonRead.At(pv, "spec", "claimRef") is null ? "" : $"{JsonRead.String(pv, "spec", "claimRef", "namespace")}/{JsonRead.String(pv, "spec", "claimRef", "name")}",
            ClassOf(pv, JsonRead.String(pv, "spec", "storageClassName")),
            OrUnset(JsonRead.At(pv, "spec", "volumeAttributesClassName")),
            JsonRead.String(pv, "status", "reason"),
            CellFormat.Age(pv, now),
            OrUnset(JsonRead.At(pv, "spec", "volumeMode")),
        ]);

    public static TablePrinter PersistentVolumeClaim { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Status", "phase represents the current phase of PersistentVolumeClaim."),
            TableColumn.Text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            TableColumn.Text("Capacity", "capacity represents the actual resources of the underlying volume."),
            TableColumn.Text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
            TableColumn.Text("StorageClass", "StorageClass of the pvc"),
            TableColumn.Text("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            TableColumn.Age,
            TableColumn.Text("VolumeMode", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", priority: 1),
        ],
        (pvc, now) =>
        {
            // Capacity and access modes are the bound volume's, shown once the claim names one.
            var volume = JsonRead.String(pvc, "spec", "volumeName");
            var bound = volume.Length > 0;
            return
            [
                CellFormat.Name(pvc),
                Phase(pvc),
                volume,
                bound ? CellFormat.Quantity(JsonRead.At(pvc, "status", "capacity", "storage")) : "",
                bound ? AccessModes(JsonRead.Strings(pvc, "status", "accessModes")) : "",
                ClassOf(pvc, JsonRead.String(pvc, "spec", "storageClassName")),
                OrUnset(JsonRead.At(pvc, "spec", "volumeAttributesClassName")),
                CellFormat.Age(pvc, now),
                OrUnset(JsonRead.At(pvc, "spec", "volumeMode")),
            ];
        });

    public static TablePrinter StorageClass { get; } = new(
        [
            TableColumn.ObjectName,
            TableColumn.Text("Provisioner", "provisioner indicates the type of the provisioner."),
            TableColumn.Text("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
            TableColumn.Text("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
            TableColumn.Text("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
            TableColumn.Age,
        ],
        (sc, now) =>
        [
            IsDefault(sc) ? CellFormat.Name(sc) + " (default)" : CellFormat.Name(sc),
            JsonRead.String(sc, "provisioner"),
            JsonRead.At(sc, "reclaimPolicy") is null ? "Delete" : JsonRead.String(sc, "reclaimPolicy"),
            JsonRead.At(sc, "volumeBindingMode") is null ? "Immediate" : JsonRead.String(sc, "volumeBindingMode"),
            JsonRead.Bool(sc, "allowVolumeExpansion"),
            CellFormat.Age(sc, now),
        ]);

    /// <summary>kube's <c>GetAccessModesAsString</c>: each mode once, abbreviated, in a fixed order.</summary>
    public static string AccessModes(IEnumerable<string> modes)
    {
        var given = modes.ToHashSet(StringComparer.Ordinal);
        var abbreviations = new (string Mode, string Short)[]
        {
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        };
        return string.Join(",", abbreviations.Where(a => given.Contains(a.Mode)).Select(a => a.Short));
    }

    private static string Phase(JsonObject obj) =>
        JsonRead.At(obj, "metadata", "deletionTimestamp") is null ? JsonRead.String(obj, "status", "phase") : "Terminating";

    /// <summary>kube's <c>GetPersistentVolumeClass</c> and <c>GetPersistentVolumeClaimClass</c>: the beta annotation wins.</summary>
    private static string ClassOf(JsonObject obj, string specClass) =>
        JsonRead.At(obj, "metadata", "annotations", BetaStorageClassAnnotation) is JsonValue beta && beta.TryGetValue<string>(out var name) ? name : specClass;

    private static string OrUnset(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : Unset;

    /// <summary>kube's <c>IsDefaultAnnotation</c>, on a stored class.</summary>
    private static bool IsDefault(JsonObject sc) =>
        JsonRead.String(sc, "metadata", "annotations", "storageclass.kubernetes.io/is-default-class") == "true"
        || JsonRead.String(sc, "metadata", "annotations", "storageclass.beta.kubernetes.io/is-default-class") == "true";
}

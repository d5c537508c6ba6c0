using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Patching;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Server.Admission.Webhooks;
using Gantry.Server.Api;
using Gantry.Server.Registry.CustomResources;
using Gantry.Server.Security;
using Gantry.Server.Storage;
using k8s;
using k8s.Models;

namespace Gantry.Server.Registry;

/// <summary>
/// The generic registry every resource goes through, as Kubernetes' generic registry store: it owns
/// system metadata (uid, resourceVersion, generation, timestamps), runs each type's defaulting and
/// validation, enforces optimistic concurrency, graceful deletion and finalizers, and commits to the
/// store. Reads are answered by the watch cache; a write returns only once the cache has seen it.
/// Types with an <see cref="IAllocationHook"/> (Services) reserve their exclusive values before the
/// commit and free them after a deletion. Creates and updates pass the <see cref="IWriteAdmission"/> plugins
/// it is given once they are valid (RBAC's escalation check), and creates and Service updates are then charged to
/// the <see cref="IQuotaAdmission"/> plugins (ResourceQuota). Admission webhooks, when configured, see each write as kube
/// calls them: the mutating ones on the decoded and defaulted object before validation, the validating ones after the
/// built-in validating plugins and before quota.
/// </summary>
public sealed class ObjectRegistry(
    IVersionedStore store,
    WatchCache cache,
    Func<ResourceType, IResourceRules> rulesFor,
    TimeProvider time,
    IReadOnlyList<IAllocationHook>? allocationHooks = null,
    IReadOnlyList<IPodAdmission>? podAdmission = null,
    IReadOnlyList<IWriteAdmission>? writeAdmission = null,
    IReadOnlyList<IQuotaAdmission>? quotaAdmission = null,
    WebhookAdmission? webhooks = null)
{
    private static readonly ResourceType NodeType = ResourceCatalog.Get("", "nodes");
    private static readonly ResourceType ServiceType = ResourceCatalog.Get("", "services");

    public WatchCache Cache => cache;

    public CachedObject? Get(ResourceType type, string? ns, string name) => cache.Get(type.Key(ns, name));

    /// <summary>
    /// The cache's JSON of an object this registry wrote, when the cache holds it at the revision the object names:
    /// the same bytes as the object written out (the stored serialization, with the version spliced in where setting
    /// it puts it), without writing it out again. Null when the object names no revision (a dry run's changed object has
    /// none) or a later write replaced it.
    /// </summary>
    public byte[]? CachedJson(ResourceType type, JsonObject written)
    {
        if (!long.TryParse(ObjectMetadata.ResourceVersion(written), NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            || ObjectMetadata.Name(written) is not { } name)
        {
            return null;
        }

        var cached = cache.Get(type.Key(type.Namespaced ? ObjectMetadata.Namespace(written) : null, name));
        return cached?.ModRevision == revision ? cached.Json : null;
    }

    public CachedObject GetRequired(ResourceType type, string? ns, string name) =>
        Get(type, ns, name) ?? throw ApiException.NotFound(type, name);

    private JsonNode? StoredNode(string name) => Get(NodeType, null, name) is { } cached ? JsonNode.Parse(cached.Json) : null;

    public async Task<JsonObject> CreateAsync(ResourceType type, string? ns, JsonObject input, WriteOptions options, CancellationToken cancellationToken)
    {
        var obj = PrepareIdentity(type, ns, input);
        NodeRestriction.Admit(type, obj, null, options, StoredNode);
        var metadata = ObjectMetadata.Of(obj);
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = ObjectMetadata.Timestamp(time.GetUtcNow());
        SetCreatedSystemFields(type, obj, metadata);

        // As kube's custom resource handler refuses it: before decoding or admission.
        if (type.Custom?.Definition is { } definition
            && (definition.Metadata.DeletionTimestamp is not null || DefinitionConditions.IsTrue(definition, DefinitionConditions.Terminating)))
        {
            throw ApiException.Forbidden(
                type, ObjectMetadata.Name(obj) ?? metadata["generateName"]?.GetValue<string>(), "create not allowed while custom resource definition is terminating");
        }

        var rules = rulesFor(type);
        var typed = ObjectDecoder.Decode(type, obj, options.FieldValidation, options.Warnings);
        // The NamespaceLifecycle plugin comes first; its errors, like the other plugins', name the generateName of an
        // object not yet named.
        if (type.Namespaced)
        {
            EnsureNamespaceAcceptsContent(type, ns!, typed.Metadata.Name ?? typed.Metadata.GenerateName ?? "");
        }

        await AdmitPodAsync(typed, ns, cancellationToken).ConfigureAwait(false);

        // Named after the built-in admission, before defaulting, which gives some kinds labels of their name (a Job's
        // selector, a Namespace's kubernetes.io/metadata.name): the webhooks are still shown a generated name's create
        // without it, as kube's store names the object after them.
        var generatedName = typed.Metadata.Name is null && typed.Metadata.GenerateName is not null;
        if (generatedName)
        {
            typed.Metadata.Name = typed.Metadata.GenerateName + GeneratedNames.RandomSuffix();
        }

        var name = typed.Metadata.Name ?? "";
        rules.Default(typed);
        if (!options.WebhooksAdmitted && webhooks?.MutatesAny(type, AdmissionOperations.Create, null) == true
            && await webhooks.MutateAsync(AdmissionAttributes.ForCreate(type, ns, WebhookView(typed, generatedName), options), options.Warnings, cancellationToken)
                .ConfigureAwait(false) is { } patched)
        {
            // As kube decodes and defaults a webhook's patched object (fields the type does not know are dropped); what
            // the store sets is set again, and the built-in plugins see the object once more (kube's reinvocation).
            var patchedObj = FillIdentity(type, ns, patched);
            SetCreatedSystemFields(type, patchedObj, metadata);
            if (ObjectMetadata.Name(patchedObj) is null)
            {
                ObjectMetadata.Of(patchedObj)["name"] = name;
            }

            typed = ObjectDecoder.Decode(type, patchedObj, FieldValidation.Ignore, []);
            name = typed.Metadata.Name ?? "";
            rules.Default(typed);
            await AdmitPodAsync(typed, ns, cancellationToken).ConfigureAwait(false);
        }

        var errors = new List<FieldError>(ObjectMetaValidation.Validate(type, typed.Metadata));
        errors.AddRange(rules.ValidateCreate(typed));
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        Admit(type, ns, typed, null, options);
        if (!options.WebhooksAdmitted && webhooks?.ValidatesAny(type, AdmissionOperations.Create, null) == true)
        {
            await webhooks.ValidateAsync(AdmissionAttributes.ForCreate(type, ns, ObjectDecoder.ToNode(typed), options), options.Warnings, cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var plugin in quotaAdmission ?? [])
        {
            await plugin.ChargeAsync(this, type, ns, typed, null, options, cancellationToken).ConfigureAwait(false);
        }

        var allocation = HookFor(type)?.Allocate(typed, null, options.DryRun);
        var stored = ObjectDecoder.ToNode(typed);
        if (options.FieldManager is { } manager)
        {
            ManagedFields.RecordUpdate(null, stored, manager, type.ApiVersion, time.GetUtcNow(), resetFields: ResetFields(type, null));
        }
        if (options.DryRun)
        {
            return stored;
        }

        CommitResult result;
        try
        {
            result = await store.CommitAsync(new Mutation(type.Key(ns, name), JsonScratch.ToArray(stored), 0), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            allocation?.Revert();
            throw;
        }

        if (!result.Succeeded)
        {
            allocation?.Revert();
            throw ApiException.AlreadyExists(type, name);
        }

        allocation?.Commit();
        return await CommittedAsync(stored, result.Revision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What the store owns in a new object, from <paramref name="created"/> (its uid and creation time): no resource
    /// version or deletion, a generation where the type tracks one, and no status where the server sets it (nodes report
    /// their own from the start).
    /// </summary>
    private static void SetCreatedSystemFields(ResourceType type, JsonObject obj, JsonObject created)
    {
        var metadata = ObjectMetadata.Of(obj);
        metadata.Remove("resourceVersion");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata["uid"] = created["uid"]!.DeepClone();
        metadata["creationTimestamp"] = created["creationTimestamp"]!.DeepClone();
        if (TracksGeneration(type))
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        if (type.HasSubresource("status") && !(type.Kind == "Node" && type.Group.Length == 0))
        {
            obj.Remove("status");
        }
    }

    /// <summary>
    /// A new object as the mutating webhooks are shown it: without what the store gives it after them (its uid, creation
    /// time and generation) and, for a generated name, without the name.
    /// </summary>
    private static JsonObject WebhookView(IKubernetesObject<V1ObjectMeta> typed, bool generatedName)
    {
        var view = ObjectDecoder.ToNode(typed);
        var metadata = ObjectMetadata.Of(view);
        metadata.Remove("uid");
        metadata.Remove("creationTimestamp");
        metadata.Remove("generation");
        if (generatedName)
        {
            metadata.Remove("name");
        }

        return view;
    }

    /// <summary>The pod admission plugins (service account, limit ranges) and priority, for a pod; nothing for other kinds.</summary>
    private async Task AdmitPodAsync(IKubernetesObject<V1ObjectMeta> typed, string? ns, CancellationToken cancellationToken)
    {
        if (typed is not V1Pod pod)
        {
            return;
        }

        foreach (var plugin in podAdmission ?? [])
        {
            await plugin.AdmitAsync(pod, ns!, cancellationToken).ConfigureAwait(false);
        }

        PriorityAdmission.Admit(cache, pod);
    }

    /// <summary>
    /// Replaces an object (PUT). For the main resource the status is kept from the stored object; for
    /// the status subresource everything but the status is. A resourceVersion in the body must match.
    /// </summary>
    public Task<JsonObject> UpdateAsync(
        ResourceType type, string? ns, string name, JsonObject input, string? subresource, WriteOptions options, CancellationToken cancellationToken)
    {
        var obj = PrepareIdentity(type, ns, input);
        if (ObjectMetadata.Name(obj) != name)
        {
            throw ApiException.BadRequest($"the name of the object ({ObjectMetadata.Name(obj)}) does not match the name on the URL ({name})");
        }

        var precondition = ObjectMetadata.ResourceVersion(obj);
        return MutateAsync(type, ns, name, _ => obj.DeepClone().AsObject(), precondition, subresource, options, cancellationToken);
    }

    /// <summary>
    /// Reads the current object, applies <paramref name="mutate"/> and writes the result with
    /// compare-and-swap, retrying on a concurrent change unless the caller pinned a resourceVersion.
    /// <paramref name="subresource"/> decides what the write may change: null = all but the status,
    /// <c>status</c> = only the status, any other = both.
    /// </summary>
    public Task<JsonObject> MutateAsync(
        ResourceType type,
        string? ns,
        string name,
        Func<JsonObject, JsonObject> mutate,
        string? resourceVersionPrecondition,
        string? subresource,
        WriteOptions options,
        CancellationToken cancellationToken) =>
        MutateAsync(type, ns, name, (current, _) => ValueTask.FromResult(mutate(current)), resourceVersionPrecondition, subresource, options, cancellationToken);

    /// <summary>As <see cref="MutateAsync(ResourceType, string?, string, Func{JsonObject, JsonObject}, string?, string?, WriteOptions, CancellationToken)"/>, with a change that may wait (a conversion webhook's call).</summary>
    public async Task<JsonObject> MutateAsync(
        ResourceType type,
        string? ns,
        string name,
        Func<JsonObject, CancellationToken, ValueTask<JsonObject>> mutate,
        string? resourceVersionPrecondition,
        string? subresource,
        WriteOptions options,
        CancellationToken cancellationToken)
    {
        var key = type.Key(ns, name);
        while (true)
        {
            options.Warnings.Clear();
            var current = cache.Get(key) ?? throw ApiException.NotFound(type, name);
            var currentObj = JsonNode.Parse(current.Json)!.AsObject();
            var currentJson = current.Json;
            // A custom resource stored in an earlier storage version is changed, compared and written in this one, as
            // kube decodes it through its definition's conversion; and written even when nothing else changes, as a
            // storage version migration needs.
            var migrating = type is { Custom: not null, Conversion: not null } && currentObj["apiVersion"]?.GetValue<string>() != type.ApiVersion;
            if (migrating)
            {
                currentObj = (await type.Conversion!.FromStorageAsync([currentObj], cancellationToken).ConfigureAwait(false))[0];
                currentJson = JsonScratch.ToArray(currentObj);
            }

            var changed = await mutate(currentObj.DeepClone().AsObject(), cancellationToken).ConfigureAwait(false);

            var currentVersion = ObjectMetadata.ResourceVersion(currentObj);
            var pinned = resourceVersionPrecondition;
            if (!string.IsNullOrEmpty(pinned) && pinned != currentVersion)
            {
                throw ApiException.Conflict(type, name);
            }

            // A patch that sets metadata.resourceVersion (label --resource-version) pins it too.
            var givenVersion = ObjectMetadata.ResourceVersion(changed);
            if (givenVersion is { Length: > 0 } patched && patched != currentVersion)
            {
                throw ApiException.Conflict(type, name);
            }

            // A uid in the body is a precondition: it must be this object, not one deleted and recreated.
            if (ObjectMetadata.Uid(changed) is { Length: > 0 } uid && uid != ObjectMetadata.Uid(currentObj))
            {
                throw ApiException.Conflict(type, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMetadata.Uid(currentObj)}");
            }

            if (!options.WebhooksAdmitted && webhooks?.MutatesAny(type, AdmissionOperations.Update, subresource) == true)
            {
                changed = await MutateByWebhooksAsync(webhooks, type, ns, name, subresource, changed, currentObj, options, cancellationToken).ConfigureAwait(false);
            }

            // The update below may make the stored object's parse its own (a status write): the webhooks see a copy.
            var oldForWebhooks = !options.WebhooksAdmitted && webhooks?.ValidatesAny(type, AdmissionOperations.Update, subresource) == true
                ? currentObj.DeepClone().AsObject()
                : null;
            var (next, allocation) = PrepareUpdate(type, ns, name, changed, currentObj, currentJson, migrating, subresource, options);
            if (oldForWebhooks is not null)
            {
                try
                {
                    await webhooks!.ValidateAsync(
                            AdmissionAttributes.ForUpdate(type, ns, name, subresource, next ?? oldForWebhooks, oldForWebhooks, options), options.Warnings, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch
                {
                    allocation?.Revert();
                    throw;
                }
            }

            if (next is null)
            {
                return currentObj;
            }

            if (subresource is null && type == ServiceType && quotaAdmission is { Count: > 0 })
            {
                await ChargeUpdateAsync(type, ns, next, current.Json, allocation, options, cancellationToken).ConfigureAwait(false);
            }

            if (options.DryRun)
            {
                // As kube's dry-run storage answers: the object as updated, with the resourceVersion it came with (the
                // stored one, for a patch), so that `kubectl diff` shows no resourceVersion gone.
                if (givenVersion is { Length: > 0 })
                {
                    ObjectMetadata.Of(next)["resourceVersion"] = givenVersion;
                }

                return next;
            }

            var finishesDeletion = ShouldFinishDeletion(next);
            var mutation = finishesDeletion
                ? new Mutation(key, null, current.ModRevision)
                : new Mutation(key, JsonScratch.ToArray(next), current.ModRevision);
            CommitResult result;
            try
            {
                result = await store.CommitAsync(mutation, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                allocation?.Revert();
                throw;
            }

            if (result.Succeeded)
            {
                allocation?.Commit();
                if (finishesDeletion)
                {
                    HookFor(type)?.Release(next);
                }

                return await CommittedAsync(next, result.Revision, cancellationToken).ConfigureAwait(false);
            }

            allocation?.Revert();

            // Reads come from the cache, so the conflict is answered once the cache holds what won it: a writer that
            // reads again, as a 409 asks, then sees the newer state rather than the one it lost against.
            await cache.WaitForRevisionAsync(result.Revision, cancellationToken).ConfigureAwait(false);

            // Like the apiserver's GuaranteedUpdate: an unpinned write retries against the newer state until it lands.
            if (!string.IsNullOrEmpty(pinned))
            {
                throw ApiException.Conflict(type, name);
            }
        }
    }

    /// <summary>
    /// An update as the mutating webhooks patched it. The client's own fields are checked as it sent them (unknown ones
    /// refused or warned of, as its field validation asks); the webhooks' are decoded as kube decodes them, unknown ones
    /// dropped.
    /// </summary>
    private static async Task<JsonObject> MutateByWebhooksAsync(
        WebhookAdmission webhooks, ResourceType type, string? ns, string name, string? subresource, JsonObject changed, JsonObject currentObj,
        WriteOptions options, CancellationToken cancellationToken)
    {
        var written = FillIdentity(type, ns, changed.DeepClone().AsObject());
        var attributes = AdmissionAttributes.ForUpdate(type, ns, name, subresource, written, currentObj.DeepClone().AsObject(), options);
        if (await webhooks.MutateAsync(attributes, options.Warnings, cancellationToken).ConfigureAwait(false) is not { } patched)
        {
            return changed;
        }

        ObjectDecoder.Decode(type, written, options.FieldValidation, options.Warnings);
        return ObjectDecoder.ToNode(ObjectDecoder.Decode(type, FillIdentity(type, ns, patched), FieldValidation.Ignore, []));
    }

    /// <summary>
    /// Changes the stored object as the apiserver's storage-level <c>GuaranteedUpdate</c> does, for the writes that
    /// bypass the resource's update strategy there (a pod's binding): <paramref name="mutate"/> alone decides the
    /// new object, with no defaulting, validation, generation or managed fields. Retries against a concurrent change.
    /// </summary>
    public async Task<JsonObject> GuaranteedUpdateAsync(
        ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> mutate, bool dryRun, CancellationToken cancellationToken)
    {
        var key = type.Key(ns, name);
        while (true)
        {
            var current = cache.Get(key) ?? throw ApiException.NotFound(type, name);
            var next = mutate(JsonNode.Parse(current.Json)!.AsObject());
            if (dryRun)
            {
                return next;
            }

            // The store keeps no resource version; the cache sets it from the revision.
            ObjectMetadata.Of(next).Remove("resourceVersion");
            var result = await store.CommitAsync(new Mutation(key, JsonScratch.ToArray(next), current.ModRevision), cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return await CommittedAsync(next, result.Revision, cancellationToken).ConfigureAwait(false);
            }

            await cache.WaitForRevisionAsync(result.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns the object to store, or null when the update changes nothing, with what it reserved
    /// (to commit or revert with the write).
    /// </summary>
    private (JsonObject? Next, IAllocationTransaction? Allocation) PrepareUpdate(
        ResourceType type, string? ns, string name, JsonObject changed, JsonObject currentObj, byte[] currentJson, bool migrating, string? subresource,
        WriteOptions options)
    {
        // A custom resource's status write changes its status alone, whatever else the body holds (kube's statusStrategy).
        if (subresource == "status" && HookFor(type) is null && !SigningRequestWrites.Applies(type)
            && (type.Custom is not null || !StatusWrites.ChangesMetadata(type, changed, currentObj)))
        {
            return (PrepareStatusUpdate(type, name, changed, currentObj, currentJson, migrating, options), null);
        }

        // The mutated object is this write's own copy: its identity is filled in place.
        var obj = FillIdentity(type, ns, changed);
        var next = subresource switch
        {
            "status" when SigningRequestWrites.Applies(type) =>
                SigningRequestWrites.KeepForStatus(currentObj, StatusWrites.Keep(type, currentObj, obj), time.GetUtcNow()),
            "status" => StatusWrites.Keep(type, currentObj, obj),
            EphemeralContainerWrites.Subresource => EphemeralContainerWrites.Keep(currentObj, obj),
            SigningRequestWrites.Approval => SigningRequestWrites.KeepForApproval(currentObj, obj, time.GetUtcNow()),
            _ => obj,
        };
        // An apply brings the managed fields it recorded: ownership alone changing is still a write.
        var ownershipApplied = AppliedManagedFields(obj, currentObj, options) is not null;
        if (subresource is null && type.HasSubresource("status"))
        {
            if (currentObj["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }

        var metadata = ObjectMetadata.Of(next);
        var currentMeta = ObjectMetadata.Of(currentObj);
        foreach (var systemField in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (currentMeta[systemField] is { } value)
            {
                metadata[systemField] = value.DeepClone();
            }
            else
            {
                metadata.Remove(systemField);
            }
        }

        metadata.Remove("resourceVersion");
        if (metadata["managedFields"] is null && currentMeta["managedFields"] is { } managed)
        {
            metadata["managedFields"] = managed.DeepClone();
        }

        NodeRestriction.Admit(type, next, currentObj, options, StoredNode);
        var rules = rulesFor(type);
        var typed = ObjectDecoder.Decode(type, next, options.FieldValidation, options.Warnings);
        // The stored object is this write's own parse, read but never changed; its resource version is ignored by
        // every comparison below (and is no field anyone owns), so only the typed old object drops it.
        var old = currentObj;
        var oldTyped = ObjectDecoder.DecodeStored(type, currentJson);
        oldTyped.Metadata.ResourceVersion = null;
        rules.PrepareForUpdate(typed, oldTyped);
        rules.Default(typed);
        var errors = new List<FieldError>(ObjectMetaValidation.Validate(type, typed.Metadata));
        errors.AddRange(ObjectMetaValidation.ValidateUpdate(typed.Metadata, oldTyped.Metadata));
        errors.AddRange(subresource switch
        {
            "status" or SigningRequestWrites.Approval => rules.ValidateStatusUpdate(typed, oldTyped),
            EphemeralContainerWrites.Subresource => rules.ValidateEphemeralContainersUpdate(typed, oldTyped),
            _ => rules.ValidateUpdate(typed, oldTyped),
        });

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        Admit(type, ns, typed, oldTyped, subresource is null ? options : options with { Subresource = subresource });
        var allocation = HookFor(type)?.Allocate(typed, oldTyped, options.DryRun);
        var stored = ObjectDecoder.ToNode(typed);
        if (!ownershipApplied && !migrating && SameButForBookkeeping(stored, old))
        {
            allocation?.Revert();
            return (null, null);
        }

        // A status write keeps the stored spec (StatusWrites.Keep): only a write to the resource changes the generation.
        if (subresource != "status" && old["metadata"]?["generation"] is JsonValue generation && SpecChanged(type, stored, old))
        {
            ObjectMetadata.Of(stored)["generation"] = generation.GetValue<long>() + 1;
        }

        if (options.FieldManager is { } manager)
        {
            ManagedFields.RecordUpdate(
                old, stored, manager, type.ApiVersion, time.GetUtcNow(), subresource is "status" or EphemeralContainerWrites.Subresource or SigningRequestWrites.Approval ? subresource : null,
                ResetFields(type, subresource));
        }
        return (stored, allocation);
    }

    /// <summary>
    /// A write to the status subresource that changes no metadata (<see cref="StatusWrites"/>), such as a status patch:
    /// all but the status is kept as stored. So only the new status is decoded, checked for unknown fields, written out
    /// and compared for managed fields (or, for a server-side apply, given the managed fields the apply recorded), and
    /// the rest of the object is the stored one, as the write parsed it. Returns null when neither the status nor the
    /// managed fields change. Kinds whose writes reserve something (services), and status writes that change metadata,
    /// take <see cref="PrepareUpdate"/>'s general path.
    /// </summary>
    private JsonObject? PrepareStatusUpdate(
        ResourceType type, string name, JsonObject changed, JsonObject currentObj, byte[] currentJson, bool migrating, WriteOptions options)
    {
        NodeRestriction.Admit(type, currentObj, currentObj, options, StoredNode);
        var rules = rulesFor(type);
        var old = ObjectDecoder.DecodeStored(type, currentJson);
        old.Metadata.ResourceVersion = null;
        var typed = ObjectDecoder.WithStatus(type, old, changed["status"], options.FieldValidation, options.Warnings);
        rules.PrepareForUpdate(typed, old);
        rules.Default(typed);
        // The metadata is the stored one, checked when it was written.
        var errors = rules.ValidateStatusUpdate(typed, old);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        var status = ObjectDecoder.StatusToNode(typed);
        var appliedFields = AppliedManagedFields(changed, currentObj, options);
        if (appliedFields is null && !migrating && Same(status, currentObj["status"]))
        {
            return null;
        }

        // The write becomes the stored object itself, its status replaced: this write's own parse, which the caller
        // reads no more once there is a change. Managed fields compare the old status alone (the one member that
        // changes), and the entries they start from are the stored ones either way.
        var stored = currentObj;
        var before = new JsonObject();
        if (stored["status"] is { } oldStatus)
        {
            stored.Remove("status");
            before["status"] = oldStatus;
        }

        ObjectMetadata.Of(stored).Remove("resourceVersion");
        if (appliedFields is not null)
        {
            ObjectMetadata.Of(stored)["managedFields"] = appliedFields.DeepClone();
        }

        if (status is not null)
        {
            stored["status"] = status;
        }

        if (options.FieldManager is { } manager)
        {
            ManagedFields.RecordUpdate(before, stored, manager, type.ApiVersion, time.GetUtcNow(), "status", onlyChangedMember: "status");
        }

        return stored;
    }

    /// <summary>
    /// The managed fields a write without a field manager brings in place of the stored ones: server-side apply records
    /// its entry in the object it hands over. Null when the write brings none or the stored ones.
    /// </summary>
    private static JsonNode? AppliedManagedFields(JsonObject changed, JsonObject current, WriteOptions options) =>
        options.FieldManager is null
        && changed["metadata"]?["managedFields"] is { } applied
        && !JsonNode.DeepEquals(applied, current["metadata"]?["managedFields"])
            ? applied
            : null;

    /// <summary>
    /// What the write's strategy resets, so that no manager owns it: a write to the main resource of a kind with a
    /// status subresource resets the status (kube's <c>GetResetFields</c>), which is why the creator of a pod does not
    /// own the <c>status.phase</c> the server gives it.
    /// </summary>
    private static string[]? ResetFields(ResourceType type, string? subresource) =>
        subresource is null && type.HasSubresource("status") ? StatusOnly : null;

    private static readonly string[] StatusOnly = ["status"];

    public async Task<JsonObject> DeleteAsync(ResourceType type, string? ns, string name, DeleteRequest request, CancellationToken cancellationToken)
    {
        if (type.Kind == "Namespace" && type.Group.Length == 0 && name is "default" or "kube-system" or "kube-public")
        {
            // The NamespaceLifecycle admission plugin's immortal namespaces.
            throw ApiException.Forbidden(type, name, "this namespace may not be deleted");
        }

        var key = type.Key(ns, name);
        while (true)
        {
            var current = cache.Get(key) ?? throw ApiException.NotFound(type, name);
            var obj = JsonNode.Parse(current.Json)!.AsObject();
            if (request.PreconditionUid is { } uid && uid != ObjectMetadata.Uid(obj))
            {
                throw ApiException.Conflict(type, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMetadata.Uid(obj)}");
            }

            if (request.PreconditionResourceVersion is { } rv && rv != ObjectMetadata.ResourceVersion(obj))
            {
                throw ApiException.Conflict(type, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {ObjectMetadata.ResourceVersion(obj)}");
            }

            // As kube's store admits a deletion: after its preconditions, on each try against the object it would delete.
            if (webhooks is not null && !request.WebhooksAdmitted)
            {
                await AdmitDeletionAsync(webhooks, type, ns, name, obj, request, cancellationToken).ConfigureAwait(false);
            }

            var graceful = BeginGracefulDeletion(type, obj.DeepClone().AsObject(), request);
            if (request.DryRun || (graceful is not null && JsonNode.DeepEquals(graceful, obj)))
            {
                return graceful ?? obj;
            }

            var mutation = graceful is null
                ? new Mutation(key, null, current.ModRevision)
                : new Mutation(key, JsonScratch.ToArray(WithoutResourceVersion(graceful)), current.ModRevision);
            var result = await store.CommitAsync(mutation, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                if (graceful is null)
                {
                    HookFor(type)?.Release(obj);
                }

                await cache.WaitForRevisionAsync(result.Revision, cancellationToken).ConfigureAwait(false);
                return WithResourceVersion(graceful ?? obj, result.Revision);
            }

            if (result.Current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            await cache.WaitForRevisionAsync(result.Revision, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether a webhook's rules name the operation on the type's subresource: a request no webhook can see builds
    /// nothing for them.
    /// </summary>
    public bool WebhooksSee(ResourceType type, string operation, string? subresource) =>
        webhooks is not null && (webhooks.MutatesAny(type, operation, subresource) || webhooks.ValidatesAny(type, operation, subresource));

    /// <summary>
    /// Shows a request the registry does not write itself to the webhooks (see <see cref="AdmissionAttributes.ForSubresource"/>):
    /// the mutating ones, then the validating ones. Returns its object as the mutating webhooks patched it, or null when
    /// none changed it.
    /// </summary>
    /// <exception cref="ApiException">A webhook refused it, or failed with <c>failurePolicy: Fail</c>.</exception>
    public async Task<JsonObject?> AdmitSubresourceAsync(AdmissionAttributes attributes, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (webhooks is null)
        {
            return null;
        }

        JsonObject? patched = null;
        if (webhooks.MutatesAny(attributes.Type, attributes.Operation, attributes.Subresource))
        {
            patched = await webhooks.MutateAsync(attributes, warnings, cancellationToken).ConfigureAwait(false);
        }

        if (webhooks.ValidatesAny(attributes.Type, attributes.Operation, attributes.Subresource))
        {
            await webhooks.ValidateAsync(attributes with { Object = patched ?? attributes.Object }, warnings, cancellationToken).ConfigureAwait(false);
        }

        return patched;
    }

    /// <summary>
    /// Shows a deletion to the webhooks that match it: mutating ones first (a deletion has no object to patch), then
    /// validating ones. Their warnings are not returned: a deletion's answer carries none here.
    /// </summary>
    private static async Task AdmitDeletionAsync(
        WebhookAdmission webhooks, ResourceType type, string? ns, string name, JsonObject obj, DeleteRequest request, CancellationToken cancellationToken)
    {
        var mutating = webhooks.MutatesAny(type, AdmissionOperations.Delete, null);
        var validating = webhooks.ValidatesAny(type, AdmissionOperations.Delete, null);
        if (!mutating && !validating)
        {
            return;
        }

        var attributes = AdmissionAttributes.ForDelete(type, ns, name, obj, request);
        if (mutating)
        {
            await webhooks.MutateAsync(attributes, [], cancellationToken).ConfigureAwait(false);
        }

        if (validating)
        {
            await webhooks.ValidateAsync(attributes, [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decides whether deletion must wait: for finalizers (including those the propagation policy adds),
    /// for a namespace's content, or for a scheduled pod's grace period. Returns the object marked for
    /// deletion, or null to delete it now.
    /// </summary>
    private JsonObject? BeginGracefulDeletion(ResourceType type, JsonObject obj, DeleteRequest request)
    {
        var metadata = ObjectMetadata.Of(obj);
        var finalizers = ObjectMetadata.Finalizers(obj);
        var policyFinalizer = request.PropagationPolicy switch
        {
            "Foreground" => "foregroundDeletion",
            "Orphan" => "orphan",
            _ => null,
        };
        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer) && !ObjectMetadata.IsDeleting(obj))
        {
            finalizers.Add(policyFinalizer);
            metadata["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        }

        var now = time.GetUtcNow();
        var isNamespace = type.Kind == "Namespace" && type.Group.Length == 0;
        var waitsForGrace = type.Kind == "Pod" && type.Group.Length == 0 && obj["spec"]?["nodeName"] is JsonValue node && node.GetValue<string>().Length > 0
            && obj["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed");
        var blocked = finalizers.Count > 0 || (isNamespace && HasSpecFinalizers(obj));
        if (!blocked && !(waitsForGrace && request.GracePeriodSeconds != 0))
        {
            return null;
        }

        // A pod already being deleted may still have its grace period shortened, to nothing once it has stopped (its
        // node's last delete), so that the update removing its last finalizer completes the deletion.
        if (ObjectMetadata.IsDeleting(obj) && !(type.Kind == "Pod" && type.Group.Length == 0))
        {
            return obj;
        }

        var grace = waitsForGrace
            ? request.GracePeriodSeconds ?? obj["spec"]?["terminationGracePeriodSeconds"]?.GetValue<long>() ?? 30
            : 0;
        if (!ObjectMetadata.IsDeleting(obj))
        {
            metadata["deletionTimestamp"] = ObjectMetadata.Timestamp(now.AddSeconds(grace));
            metadata["deletionGracePeriodSeconds"] = grace;
            if (metadata["generation"] is JsonValue generation && generation.GetValue<long>() > 0)
            {
                metadata["generation"] = generation.GetValue<long>() + 1;
            }
        }
        else if (metadata["deletionGracePeriodSeconds"]?.GetValue<long>() is { } previousGrace && grace < previousGrace)
        {
            // A shorter grace period counts from the first deletion request, as in Kubernetes.
            var requested = DateTimeOffset.Parse(metadata["deletionTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture)
                .AddSeconds(grace - previousGrace);
            metadata["deletionTimestamp"] = ObjectMetadata.Timestamp(requested);
            metadata["deletionGracePeriodSeconds"] = grace;
        }

        if (isNamespace)
        {
            var status = obj["status"] as JsonObject ?? [];
            status["phase"] = "Terminating";
            obj["status"] = status;
        }

        return obj;
    }

    /// <summary>
    /// An update that removes the last finalizer of an object being deleted completes the deletion,
    /// except for a pod still in its grace period (its node deletes it) and a namespace not yet emptied.
    /// </summary>
    private static bool ShouldFinishDeletion(JsonObject obj) =>
        ObjectMetadata.IsDeleting(obj) && ObjectMetadata.Finalizers(obj).Count == 0 &&
        !(obj["kind"]?.GetValue<string>() == "Pod" && obj["metadata"]?["deletionGracePeriodSeconds"]?.GetValue<long>() is > 0) &&
        !(obj["kind"]?.GetValue<string>() == "Namespace" && HasSpecFinalizers(obj));

    private void Admit(ResourceType type, string? ns, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, WriteOptions options)
    {
        foreach (var plugin in writeAdmission ?? [])
        {
            plugin.Admit(type, ns, obj, old, options);
        }
    }

    /// <summary>
    /// Charges an update to the quotas, as kube's admission charges what it grows (a Service's node ports and load
    /// balancers); a refusal frees what the update reserved.
    /// </summary>
    private async Task ChargeUpdateAsync(
        ResourceType type, string? ns, JsonObject next, byte[] currentJson, IAllocationTransaction? allocation, WriteOptions options, CancellationToken cancellationToken)
    {
        var typed = ObjectDecoder.DecodeStored(type, JsonScratch.ToArray(next));
        var old = ObjectDecoder.DecodeStored(type, currentJson);
        try
        {
            foreach (var plugin in quotaAdmission ?? [])
            {
                await plugin.ChargeAsync(this, type, ns, typed, old, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            allocation?.Revert();
            throw;
        }
    }

    private IAllocationHook? HookFor(ResourceType type) =>
        allocationHooks?.FirstOrDefault(h => h.Type.Group == type.Group && h.Type.Plural == type.Plural);

    private static bool HasSpecFinalizers(JsonObject obj) => obj["spec"]?["finalizers"] is JsonArray { Count: > 0 };

    private void EnsureNamespaceAcceptsContent(ResourceType type, string ns, string name)
    {
        var namespaces = ResourceCatalog.Get("", "namespaces");
        var found = cache.Get(namespaces.Key(null, ns)) ?? throw ApiException.NotFound(namespaces, ns);
        using var document = JsonDocument.Parse(found.Json);
        if (document.RootElement.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("deletionTimestamp", out var deletion) && deletion.ValueKind != JsonValueKind.Null)
        {
            throw ApiException.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>Checks and fills kind, apiVersion and namespace against the URL the request came to, in a copy of <paramref name="input"/>.</summary>
    private static JsonObject PrepareIdentity(ResourceType type, string? ns, JsonObject input) => FillIdentity(type, ns, input.DeepClone().AsObject());

    private static JsonObject FillIdentity(ResourceType type, string? ns, JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        var kind = obj["kind"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        var metadata = ObjectMetadata.Of(obj);
        if (type.Namespaced)
        {
            var bodyNs = ObjectMetadata.Namespace(obj);
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        return obj;
    }

    /// <summary>
    /// Whether objects of the type have a generation, as their registry strategies give one: the types with a spec/status
    /// split, every custom resource, the webhook configurations (whose strategies count changes to their webhooks) and
    /// NetworkPolicies (whose strategy counts spec changes, though v1 serves no status). Generation counts changes to
    /// anything but metadata and status.
    /// </summary>
    private static bool TracksGeneration(ResourceType type) =>
        type.HasSubresource("status") || type.Custom is not null || type.Group == WebhookConfigurations.MutatingType.Group
        || type is { Group: "networking.k8s.io", Plural: "networkpolicies" };

    /// <summary>
    /// Whether anything but the metadata (and the status, where a subresource owns it) changed: a custom resource without
    /// a status subresource counts its status too, as kube's custom resource strategy does.
    /// </summary>
    private static bool SpecChanged(ResourceType type, JsonObject a, JsonObject b) =>
        type.Custom is not null && !type.HasSubresource("status")
            ? !SameMembers(a, b, name => name is "metadata")
            : !SameMembers(a, b, name => name is "metadata" or "status");

    /// <summary>Whether the objects differ in nothing but their managed fields and resource version.</summary>
    private static bool SameButForBookkeeping(JsonObject a, JsonObject b) =>
        SameMembers(a, b, name => name == "metadata") &&
        (a["metadata"], b["metadata"]) switch
        {
            (JsonObject left, JsonObject right) => SameMembers(left, right, name => name is "managedFields" or "resourceVersion"),
            var (left, right) => JsonNode.DeepEquals(left, right),
        };

    /// <summary>
    /// <see cref="JsonNode.DeepEquals"/> of the two objects without the members <paramref name="skip"/> names, and without copying them;
    /// a member that writes the same text on both sides is equal without being walked.
    /// </summary>
    private static bool SameMembers(JsonObject a, JsonObject b, Func<string, bool> skip)
    {
        var compared = 0;
        foreach (var (name, value) in a)
        {
            if (skip(name))
            {
                continue;
            }

            if (!b.TryGetPropertyValue(name, out var other) || !Same(value, other))
            {
                return false;
            }

            compared++;
        }

        return compared == b.Count(member => !skip(member.Key));
    }

    /// <summary><see cref="JsonNode.DeepEquals"/>, answered by the written text first when that is the same.</summary>
    private static bool Same(JsonNode? a, JsonNode? b) => (a is JsonObject or JsonArray && JsonText.Same(a, b)) || JsonNode.DeepEquals(a, b);

    private static JsonObject WithoutResourceVersion(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        (copy["metadata"] as JsonObject)?.Remove("resourceVersion");
        return copy;
    }

    private static JsonObject WithResourceVersion(JsonObject obj, long revision)
    {
        ObjectMetadata.Of(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    private async Task<JsonObject> CommittedAsync(JsonObject stored, long revision, CancellationToken cancellationToken)
    {
        await cache.WaitForRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
        return WithResourceVersion(stored, revision);
    }
}

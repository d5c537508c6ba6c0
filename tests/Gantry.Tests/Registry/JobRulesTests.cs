using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

public sealed class JobRulesTests
{
    private const string Uid = "0f0e8c4c-6c3f-4d34-8a43-2a9c8e1f5d21";

    private readonly IResourceRules _rules = new JobRules();

    private static V1Job Job(string restartPolicy = "Never", Dictionary<string, string>? templateLabels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pi", NamespaceProperty = "default", Uid = Uid },
        Spec = new V1JobSpec
        {
            Template = new V1PodTemplateSpec
            {
                Metadata = templateLabels is null ? null : new V1ObjectMeta { Labels = templateLabels },
                Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "pi", Image = "perl:5.34" }] },
            },
        },
    };

    private V1Job Defaulted(V1Job job)
    {
        _rules.Default(job);
        return job;
    }

    [Fact]
    public void Defaults_match_batch_v1()
    {
        var spec = Defaulted(Job()).Spec;

        Assert.Equal((1, 1, 6), (spec.Parallelism, spec.Completions, spec.BackoffLimit));
        Assert.Equal("NonIndexed", spec.CompletionMode);
        Assert.False(spec.Suspend);
        Assert.Equal("TerminatingOrFailed", spec.PodReplacementPolicy);
    }

    [Fact]
    public void Parallelism_alone_leaves_completions_unset()
    {
        var job = Job();
        job.Spec.Parallelism = 3;

        Assert.Null(Defaulted(job).Spec.Completions);
    }

    [Fact]
    public void Selector_and_template_labels_are_generated_from_the_uid()
    {
        var job = Defaulted(Job());

        Assert.Equal(new Dictionary<string, string> { [JobRules.ControllerUidLabel] = Uid }, job.Spec.Selector.MatchLabels);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [JobRules.ControllerUidLabel] = Uid,
                [JobRules.JobNameLabel] = "pi",
                [JobRules.LegacyControllerUidLabel] = Uid,
                [JobRules.LegacyJobNameLabel] = "pi",
            },
            job.Spec.Template.Metadata.Labels);
        Assert.Equal(job.Spec.Template.Metadata.Labels, job.Metadata.Labels);
        Assert.Empty(_rules.ValidateCreate(job));
    }

    [Fact]
    public void Job_labels_copy_the_users_template_labels_when_given()
    {
        var job = Defaulted(Job(templateLabels: new Dictionary<string, string> { ["app"] = "pi" }));

        Assert.Equal(new Dictionary<string, string> { ["app"] = "pi" }, job.Metadata.Labels);
        Assert.Equal("pi", job.Spec.Template.Metadata.Labels[JobRules.JobNameLabel]);
    }

    [Fact]
    public void Manual_selector_is_left_alone()
    {
        var job = Job(templateLabels: new Dictionary<string, string> { ["app"] = "pi" });
        job.Spec.ManualSelector = true;
        job.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "pi" } };

        Defaulted(job);

        Assert.Equal(new Dictionary<string, string> { ["app"] = "pi" }, job.Spec.Template.Metadata.Labels);
        Assert.Empty(_rules.ValidateCreate(job));
    }

    [Fact]
    public void Template_must_not_restart_always()
    {
        var job = Defaulted(Job(restartPolicy: "Always"));

        var error = Assert.Single(_rules.ValidateCreate(job));

        Assert.Equal("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"", error.ToString());
    }

    [Fact]
    public void Conflicting_generated_label_is_rejected()
    {
        var job = Defaulted(Job(templateLabels: new Dictionary<string, string> { [JobRules.LegacyJobNameLabel] = "other" }));

        var errors = _rules.ValidateCreate(job).Select(e => e.ToString());

        Assert.Contains(errors, e => e.StartsWith("spec.template.metadata.labels[job-name]: Invalid value: map[string]string{", StringComparison.Ordinal) &&
            e.EndsWith(": must be 'pi'", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_may_not_change_on_update()
    {
        var old = Defaulted(Job());
        var updated = Defaulted(Job());
        updated.Spec.Template.Spec.Containers[0].Image = "perl:5.36";

        var error = Assert.Single(_rules.ValidateUpdate(updated, old));

        Assert.Equal("spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable", error.ToString());
    }

    [Fact]
    public void Suspended_job_may_change_its_node_selector()
    {
        var old = Job();
        old.Spec.Suspend = true;
        var updated = Job();
        updated.Spec.Suspend = true;
        updated.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };

        Assert.Empty(_rules.ValidateUpdate(Defaulted(updated), Defaulted(old)));
    }

    [Fact]
    public void Completions_may_not_change_for_non_indexed_jobs()
    {
        var old = Defaulted(Job());
        var updated = Defaulted(Job());
        updated.Spec.Completions = 3;

        var error = Assert.Single(_rules.ValidateUpdate(updated, old));

        Assert.Equal("spec.completions: Invalid value: 3: field is immutable", error.ToString());
    }

    private static V1Job Indexed(int completions, int? backoffLimitPerIndex = 1, int? maxFailedIndexes = null)
    {
        var job = Job();
        job.Spec.CompletionMode = "Indexed";
        job.Spec.Completions = completions;
        job.Spec.BackoffLimitPerIndex = backoffLimitPerIndex;
        job.Spec.MaxFailedIndexes = maxFailedIndexes;
        return job;
    }

    private List<string> Errors(V1Job job) => [.. _rules.ValidateCreate(Defaulted(job)).Select(e => e.ToString())];

    [Fact]
    public void A_job_with_a_backoff_limit_per_index_defaults_its_global_one_to_the_largest_int()
    {
        Assert.Equal(int.MaxValue, Defaulted(Indexed(3)).Spec.BackoffLimit);
    }

    [Fact]
    public void Backoff_limit_per_index_requires_indexed_completion_mode()
    {
        var job = Job();
        job.Spec.BackoffLimitPerIndex = 1;

        Assert.Equal(["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"], Errors(job));
    }

    [Fact]
    public void Max_failed_indexes_requires_a_backoff_limit_per_index()
    {
        Assert.Equal(["spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"], Errors(Indexed(3, backoffLimitPerIndex: null, maxFailedIndexes: 1)));
    }

    [Fact]
    public void Max_failed_indexes_may_not_exceed_completions()
    {
        Assert.Equal(["spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions"], Errors(Indexed(10, maxFailedIndexes: 11)));
    }

    [Fact]
    public void Many_completions_with_a_backoff_limit_per_index_need_bounded_failed_indexes_and_parallelism()
    {
        var job = Indexed(100_001);
        job.Spec.Parallelism = 10_001;

        Assert.Equal(
            ["spec.maxFailedIndexes: Required value: must be specified when completions is above 100000",
             "spec.parallelism: Invalid value: 10001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index"],
            Errors(job));
    }

    [Fact]
    public void A_FailIndex_rule_requires_a_backoff_limit_per_index()
    {
        var job = Indexed(3, backoffLimitPerIndex: null);
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "FailIndex", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [1] } }],
        };

        Assert.Equal(["spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"], Errors(job));
    }

    [Fact]
    public void Pod_failure_policy_rules_are_validated_as_kube_does()
    {
        var job = Job();
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule { OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [2, 0, 2], ContainerName = "other" } },
                new V1PodFailurePolicyRule { Action = "Restart" },
            ],
        };

        Assert.Equal(
            ["spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
             "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"other\": must be one of the container or initContainer names in the pod template",
             "spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
             "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2",
             "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 0, 2}: must be ordered",
             "spec.podFailurePolicy.rules[1].action: Unsupported value: \"Restart\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
             "spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
            Errors(job));
    }
}

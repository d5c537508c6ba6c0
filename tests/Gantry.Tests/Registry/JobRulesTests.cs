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
}

using Gantry.Server.Registry;
using Gantry.Server.Registry.Rules;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Registry;

/// <summary>CronJob defaults and kube's ValidateCronJobCreate/Update messages.</summary>
public sealed class CronJobRulesTests
{
    private readonly IResourceRules _rules = new CronJobRules();

    private static V1CronJob CronJob(string schedule = "*/1 * * * *", string name = "hello") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1CronJobSpec
        {
            Schedule = schedule,
            JobTemplate = new V1JobTemplateSpec
            {
                Spec = new V1JobSpec
                {
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec { RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "hello", Image = "busybox" }] },
                    },
                },
            },
        },
    };

    private V1CronJob Defaulted(V1CronJob cronJob)
    {
        _rules.Default(cronJob);
        return cronJob;
    }

    private List<string> Errors(V1CronJob cronJob) => [.. _rules.ValidateCreate(Defaulted(cronJob)).Select(e => e.ToString())];

    [Fact]
    public void Defaults_match_batch_v1()
    {
        var spec = Defaulted(CronJob()).Spec;

        Assert.Equal(("Allow", false, 3, 1), (spec.ConcurrencyPolicy, spec.Suspend, spec.SuccessfulJobsHistoryLimit, spec.FailedJobsHistoryLimit));
        // The template is not a Job: Job defaults such as backoffLimit wait for the Job made from it.
        Assert.Null(spec.JobTemplate.Spec.BackoffLimit);
    }

    [Fact]
    public void A_valid_cronjob_passes() => Assert.Empty(Errors(CronJob()));

    [Fact]
    public void A_schedule_that_does_not_parse_is_refused_with_the_parsers_message() =>
        Assert.Equal(["spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]"], Errors(CronJob("* * *")));

    [Fact]
    public void A_time_zone_in_the_schedule_is_refused_for_spec_time_zone() =>
        Assert.Equal(
            ["spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
            Errors(CronJob("TZ=UTC 0 * * * *")));

    [Fact]
    public void An_empty_schedule_is_required() => Assert.Equal(["spec.schedule: Required value"], Errors(CronJob("")));

    [Theory]
    [InlineData("Mars/Olympus", "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus")]
    [InlineData("America/New York", "spec.timeZone: Invalid value: \"America/New York\": unknown time zone America/New York")]
    [InlineData("Local", "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")]
    [InlineData("", "spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string")]
    public void A_time_zone_must_be_in_the_iana_database(string timeZone, string expected)
    {
        var cronJob = CronJob();
        cronJob.Spec.TimeZone = timeZone;

        Assert.Equal([expected], Errors(cronJob));
    }

    [Fact]
    public void An_iana_time_zone_passes()
    {
        var cronJob = CronJob();
        cronJob.Spec.TimeZone = "Europe/Paris";

        Assert.Empty(Errors(cronJob));
    }

    [Fact]
    public void An_unknown_concurrency_policy_is_not_supported()
    {
        var cronJob = CronJob();
        cronJob.Spec.ConcurrencyPolicy = "Sometimes";

        Assert.Equal(["spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""], Errors(cronJob));
    }

    [Fact]
    public void Negative_deadlines_and_history_limits_are_refused()
    {
        var cronJob = CronJob();
        cronJob.Spec.StartingDeadlineSeconds = -1;
        cronJob.Spec.SuccessfulJobsHistoryLimit = -1;
        cronJob.Spec.FailedJobsHistoryLimit = -2;

        Assert.Equal(
            [
                "spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
                "spec.failedJobsHistoryLimit: Invalid value: -2: must be greater than or equal to 0",
            ],
            Errors(cronJob));
    }

    [Fact]
    public void The_job_template_is_validated_as_a_jobs_spec()
    {
        var cronJob = CronJob();
        cronJob.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = "Always";

        Assert.Equal(["spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""], Errors(cronJob));
    }

    [Fact]
    public void The_job_template_may_not_bring_its_own_selector()
    {
        var cronJob = CronJob();
        cronJob.Spec.JobTemplate.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "b" } };

        Assert.Contains(Errors(cronJob), e => e.StartsWith("spec.jobTemplate.spec.selector: Invalid value: ", StringComparison.Ordinal)
            && e.EndsWith(": `selector` will be auto-generated", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_over_52_characters_is_refused_on_create() =>
        Assert.Equal([$"metadata.name: Invalid value: \"{new string('a', 53)}\": must be no more than 52 characters"], Errors(CronJob(name: new string('a', 53))));

    [Fact]
    public void A_name_over_52_characters_may_still_be_updated()
    {
        var old = Defaulted(CronJob(name: new string('a', 53)));
        var updated = Defaulted(CronJob("0 * * * *", new string('a', 53)));

        Assert.Empty(_rules.ValidateUpdate(updated, old));
    }

    [Fact]
    public void A_time_zone_already_in_the_stored_schedule_may_stay() =>
        Assert.Empty(_rules.ValidateUpdate(Defaulted(CronJob("TZ=UTC 5 * * * *")), Defaulted(CronJob("TZ=UTC 0 * * * *"))));
}

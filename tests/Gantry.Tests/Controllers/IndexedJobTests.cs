using Gantry.Server.Controllers;
using k8s.Models;
using Xunit;

namespace Gantry.Tests.Controllers;

/// <summary>Jobs with <c>completionMode: Indexed</c>, synced by hand on <see cref="JobHarness"/>.</summary>
public sealed class IndexedJobTests
{
    private static V1Job Indexed(string name, int completions, int parallelism)
    {
        var job = JobHarness.Job(name, parallelism: parallelism, completions: completions);
        job.Spec.CompletionMode = "Indexed";
        return job;
    }

    private static int IndexOf(V1Pod pod) => int.Parse(pod.Metadata.Annotations[JobCompletionIndex.Key], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Each_index_gets_a_pod_that_knows_its_index()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(Indexed("idx", completions: 3, parallelism: 3));

        await h.SyncAsync("idx");

        var pods = h.PodsOf().OrderBy(IndexOf).ToList();
        Assert.Equal([0, 1, 2], pods.Select(IndexOf));
        Assert.All(pods, p =>
        {
            var index = IndexOf(p).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"idx-{index}-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal(index, p.Metadata.Labels[JobCompletionIndex.Key]);
            Assert.Equal($"idx-{index}", p.Spec.Hostname);
            var env = Assert.Single(p.Spec.Containers[0].Env, e => e.Name == "JOB_COMPLETION_INDEX");
            Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env.ValueFrom.FieldRef.FieldPath);
        });
    }

    [Fact]
    public async Task Parallelism_runs_the_lowest_indexes_first()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(Indexed("low", completions: 5, parallelism: 2));

        await h.SyncAsync("low");

        Assert.Equal([0, 1], h.PodsOf().Select(IndexOf).Order());
    }

    [Fact]
    public async Task A_failed_index_runs_again_and_the_job_completes_once_every_index_succeeded()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(Indexed("retry", completions: 2, parallelism: 2));
        await h.SyncAsync("retry");
        var first = h.PodsOf();
        await SetPhaseAsync(h, first.Single(p => IndexOf(p) == 0), "Succeeded");
        await SetPhaseAsync(h, first.Single(p => IndexOf(p) == 1), "Failed");

        await h.SyncAsync("retry");

        var again = h.PodsOf().Where(p => p.Status?.Phase is null or "Pending").ToList();
        Assert.Equal([1], again.Select(IndexOf));
        Assert.Equal("0", h.StoredJob("retry").Status.CompletedIndexes);

        await SetPhaseAsync(h, again.Single(), "Succeeded");
        await h.SyncAsync("retry");

        var job = h.StoredJob("retry");
        Assert.Equal("0,1", job.Status.CompletedIndexes);
        Assert.Equal(2, job.Status.Succeeded);
        Assert.Contains(job.Status.Conditions, c => c.Type == "Complete" && c.Status == "True");
    }

    [Fact]
    public async Task A_sync_on_a_job_older_than_the_status_it_wrote_runs_no_counted_index_again()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(Indexed("race", completions: 3, parallelism: 3));
        await h.SyncAsync("race");
        await SetPhaseAsync(h, h.PodsOf().Single(p => IndexOf(p) == 0), "Succeeded");
        await h.FreezeJobsAsync();
        await h.SyncOnHeldJobAsync("race");

        await h.SyncOnHeldJobAsync("race");

        Assert.Single(h.PodsOf(), p => IndexOf(p) == 0);
        Assert.Equal("0", h.StoredJob("race").Status.CompletedIndexes);
    }

    [Fact]
    public async Task A_succeeded_pod_that_lost_its_finalizer_uncounted_keeps_its_index_from_running_again()
    {
        await using var h = await JobHarness.StartAsync();
        await h.CreateAsync(Indexed("lost", completions: 3, parallelism: 3));
        await h.SyncAsync("lost");
        var first = await SetPhaseAsync(h, h.PodsOf().Single(p => IndexOf(p) == 0), "Succeeded");
        await JobTrackingFinalizer.RemoveAsync(h.Client, first, h.Context.Ct);

        await h.SyncAsync("lost");

        Assert.Single(h.PodsOf(), p => IndexOf(p) == 0);
        Assert.Equal("0", h.StoredJob("lost").Status.CompletedIndexes);
    }

    [Theory]
    [InlineData(new int[0], null)]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 8, 0, 1, 2, 5, 7, 10 }, "0-2,5,7,8,10")]
    public void Completed_indexes_read_as_kube_writes_them(int[] indexes, string? text) => Assert.Equal(text, JobCompletionIndex.Format(indexes));

    private static Task<V1Pod> SetPhaseAsync(JobHarness h, V1Pod pod, string phase) =>
        h.Client.MutateAsync<V1Pod>("default", pod.Metadata.Name, p => p.Status = new V1PodStatus { Phase = phase }, h.Context.Ct, "status");
}

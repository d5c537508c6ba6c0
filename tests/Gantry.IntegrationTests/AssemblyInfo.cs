using Xunit;

// The tests start real workloads with real limits on a shared machine: one at a time keeps the
// timings honest and the fork bomb from competing with everything else.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

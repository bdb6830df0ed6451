using Xunit;

// Each test starts its own broker processes on loopback; one at a time keeps the suite light on
// a shared machine and port choice free of races.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

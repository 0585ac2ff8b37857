// Pulumi.Testing runs one deployment per process at a time, and the program reads its config from the
// PULUMI_CONFIG environment variable: the tests of this assembly run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

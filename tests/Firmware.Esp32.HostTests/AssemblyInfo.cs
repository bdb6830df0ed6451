using Xunit;

// The stand-ins record into one static simulated chip (DeviceApi/FakeChip), as the device has one:
// these tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

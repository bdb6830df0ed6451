using IndraSmartPro.Simulator.Fuzz;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Randomised safety testing (invariant R1, docs/invariants.md): random scenarios built from every
/// step kind (vehicle behaviour and faults, supply events and quality, contactor weld, RDC-DD
/// fault and dead module, proximity changes, PEST toggle, pilot noise, overdraw, pauses, lock
/// jams, button presses), with the safety invariants checked after every 5 ms and at every
/// contactor and reset event (<see cref="SafetyFuzzer"/>). 2 000 sequences here; the bench mode
/// (<c>Firmware.Simulator fuzz</c>, docs/testing.md) runs 100 000 and more. A counterexample
/// names its seed and scenario; it becomes a named regression test below.
/// </summary>
public class SafetyPropertyTests
{
    private const int Sequences = 2000;

    [Fact]
    public void Safety_RandomSequencesOfEveryStep_InvariantsHoldAfterEveryStep()
    {
        int units = Sequences / SafetyFuzzer.SequencesPerUnit;
        var result = FuzzCommand.Fuzz(1, units, System.Environment.ProcessorCount);
        Assert.True(result.Counterexample == null, result.Counterexample);
        Assert.Equal(Sequences, result.Sequences);

        // The properties are only meaningful if the units charge, trip and reset.
        Assert.True(result.Closes > units, "contactor closed " + result.Closes + " times in " + units + " units");
        Assert.True(result.Trips > 0 && result.Resets > 0, "trips " + result.Trips + ", resets " + result.Resets);
    }
}

using System.Text;
using IndraSmartPro.Persistence;
using IndraSmartPro.Simulator.Commissioning;
using Xunit;

namespace IndraSmartPro.HostTests;

public class CommissioningConsoleTests
{
    [Fact]
    public void Identity_answers_on_a_fresh_unit()
    {
        var output = new StringBuilder();
        var unit = new ConsoleUnit(new MemoryStore(), (b, o, n) => output.Append(Encoding.UTF8.GetString(b, o, n)));
        var line = Encoding.UTF8.GetBytes("{\"v\":1,\"id\":1,\"op\":\"identity\"}\n");
        unit.Receive(line, line.Length);
        unit.RunFor(100_000);
        Assert.Contains("\"state\":\"not-commissioned\"", output.ToString());
    }
}

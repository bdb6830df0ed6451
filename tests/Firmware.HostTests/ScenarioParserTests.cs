using System.IO;
using IndraSmartPro.Firmware;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Scenarios;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>The scenario file format (docs/simulator.md): strict parsing, exit 2 with a message naming the problem.</summary>
public class ScenarioParserTests
{
    private static string RunFile(string json, out int code, out string stderr)
    {
        string path = Path.Combine(Path.GetTempPath(), "scenario-" + System.Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        try
        {
            var stdout = new StringWriter();
            var err = new StringWriter();
            try
            {
                code = Program.Run(new[] { "run", path }, stdout, err);
                stderr = err.ToString();
            }
            catch (UsageException e)
            {
                // Program.Main turns this into exit code 2 and "error: <message>" on stderr.
                code = 2;
                stderr = e.Message;
            }

            return stdout.ToString();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_IssueSchemaExample_ReadsEveryField()
    {
        var scenario = ScenarioParser.Parse("""
            { "variant": "type2-socket", "pestMode": "B", "supplyLimitAmps": 60, "cableAmps": 32, "ppOhms": 220, "durationSeconds": 30,
              "steps": [ {"at": 1.0, "ev": "connect"}, {"at": 3.0, "ev": "requestCharge"},
                         {"at": 9.0, "ev": "requestVentilation"},
                         {"at": 12.0, "evFault": "diodeShort"},
                         {"at": 14.0, "supply": {"vLn": 230.0, "vLtt": 230.0, "vCpcTt": 2.0}},
                         {"at": 16.0, "houseLoadAmps": 40.0}, {"at": 18.0, "button": "longPress"},
                         {"at": 20.0, "ev": "stopCharge"}, {"at": 25.0, "ev": "disconnect"} ] }
            """);
        Assert.Equal(Variant.Type2Socket, scenario.Variant);
        Assert.Equal(PestSetting.ModeB, scenario.Pest);
        Assert.Equal(220, scenario.PpOhms);
        Assert.Equal(9, scenario.Steps.Count);
        Assert.Equal(StepKind.Supply, scenario.Steps[4].Kind);
        Assert.Equal(2.0, scenario.Steps[4].CpcTtRefVolts);
        Assert.Equal(60000, scenario.ToConfig().SupplyLimitMilliamps);
    }

    [Theory]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [], "colour": "red" }""", "unknown field 'colour'")]
    [InlineData("""{ "variant": "type3", "durationSeconds": 10, "steps": [] }""", "unknown variant value 'type3'")]
    [InlineData("""{ "variant": "type2-tethered", "pestMode": "C", "durationSeconds": 10, "steps": [] }""", "unknown pestMode value 'C'")]
    [InlineData("""{ "durationSeconds": 10, "steps": [] }""", "missing required field 'variant'")]
    [InlineData("""{ "variant": "type2-tethered", "steps": [] }""", "missing required field 'durationSeconds'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10 }""", "missing required field 'steps'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": "10", "steps": [] }""", "'durationSeconds' must be a number")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 11, "ev": "connect"} ] }""", "steps[0]: 'at' 11 is after durationSeconds 10")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 5, "ev": "connect"}, {"at": 4, "ev": "disconnect"} ] }""", "steps[1]: steps out of order")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "ev": "jump"} ] }""", "unknown ev value 'jump'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "ev": 3} ] }""", "'ev' must be a string")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"ev": "connect"} ] }""", "steps[0]: missing required field 'at'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1} ] }""", "steps[0]: missing an action")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "ev": "connect", "button": "press"} ] }""", "one action per step")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "supply": {"vLn": 230, "vLtt": 230}} ] }""", "missing required field 'vCpcTt'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "supply": {"vLn": 100, "vLtt": 230, "vCpcTt": 10}} ] }""", "cannot all hold")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "evFault": "fire"} ] }""", "unknown evFault value 'fire'")]
    [InlineData("""{ "variant": "type2-socket", "ppOhms": 22.5, "durationSeconds": 10, "steps": [] }""", "'ppOhms' must be a non-negative whole number")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ } """, "not valid JSON")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    public void Run_MalformedScenario_ExitsTwoNamingTheProblem(string json, string expected)
    {
        RunFile(json, out int code, out string stderr);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Run_MissingFile_ExitsTwo()
    {
        var ex = Assert.Throws<UsageException>(() => Program.Run(new[] { "run", "/nonexistent/scenario.json" }, new StringWriter(), new StringWriter()));
        Assert.Contains("cannot read scenario", ex.Message);
    }

    [Theory]
    [InlineData(230.0, 230.0, 0.0)]
    [InlineData(180.0, 230.0, 50.0)]
    [InlineData(230.0, 230.0, 100.0)]
    [InlineData(280.0, 230.0, 50.0)]
    public void SupplyMapping_ThreeRmsValues_MeteredBack(double vLn, double vLtt, double vCpcTt)
    {
        var host = new SimulatorHost();
        SupplyMapping.Apply(host.Board.Mains, vLn, vLtt, vCpcTt);
        host.Boot();
        host.RunFor(2_000_000);
        var cycle = host.Firmware.Meter.LastCycle;
        Assert.InRange(cycle.LineNeutralMillivolts / 1000.0, vLn - 2.5, vLn + 2.5);
        Assert.InRange(cycle.LineTtRefMillivolts / 1000.0, vLtt - 2.5, vLtt + 2.5);
        Assert.InRange(cycle.CpcTtRefMillivolts / 1000.0, vCpcTt - 2.5, vCpcTt + 2.5);
    }
}

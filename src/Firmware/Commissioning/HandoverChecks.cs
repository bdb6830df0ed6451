using IndraSmartPro.Board;
using IndraSmartPro.Firmware;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// The checks an installer runs before handing the unit over (docs/commissioning.md, "Checks"),
    /// from what the firmware measures now: supply, electrode, PEST toggle, RDC-DD self-test,
    /// contactor weld check, CT clamp. Each failed check names the fix. The report of the last run
    /// is stored (key <see cref="ReportKey"/>) so it can be read back at hand-over and later.
    /// </summary>
    public sealed class HandoverChecks
    {
        /// <summary>Store key of the last report.</summary>
        public const string ReportKey = "check-report";

        /// <summary>Result: passed.</summary>
        public const string Pass = "pass";
        /// <summary>Result: failed; the entry's "fix" says what to do.</summary>
        public const string Fail = "fail";
        /// <summary>Result: does not apply to this configuration.</summary>
        public const string Skipped = "skipped";

        /// <summary>L-N must be within 207..253 V rms to close or reset (BS 7671 722.411.4.1 (iv); docs/domain.md, "BS 7671 722.411.4.1").</summary>
        public const int SupplyMinMillivolts = 207000;
        /// <summary>See <see cref="SupplyMinMillivolts"/>.</summary>
        public const int SupplyMaxMillivolts = 253000;
        /// <summary>Frequency window 49.5..50.5 Hz (EN 50160 normal operation; docs/domain.md, "Supply reality").</summary>
        public const int FrequencyMinMillihertz = 49500;
        /// <summary>See <see cref="FrequencyMinMillihertz"/>.</summary>
        public const int FrequencyMaxMillihertz = 50500;
        /// <summary>With an electrode fitted, L-TTref within 10 % of L-N: the rod is near true earth (a mode A trip is at ±12 % of 230 V; docs/domain.md, "Modes A and B").</summary>
        public const int ElectrodeAgreementPercent = 10;
        /// <summary>With an electrode fitted, CPC-TTref at most 10 V: a third of the 30 V mode A trip, so a healthy site has margin (docs/domain.md, "Modes A and B").</summary>
        public const int CpcTtRefLowMillivolts = 10000;
        /// <summary>Without an electrode the L-TTref input floats low; above half of L-N something is connected there.</summary>
        public const int FloatingPercent = 50;
        /// <summary>A fitted CT on a lived-in house reads some standby load: at least 50 mA (below, the clamp is likely unplugged).</summary>
        public const int CtMinimumMilliamps = 50;

        private readonly ChargerFirmware _firmware;
        private readonly IOperatorInputs _inputs;

        /// <summary>Checks the given firmware; reads the PEST toggle from <paramref name="inputs"/>.</summary>
        public HandoverChecks(ChargerFirmware firmware, IOperatorInputs inputs)
        {
            _firmware = firmware;
            _inputs = inputs;
        }

        /// <summary>
        /// Runs every check and writes the report as a JSON object into <paramref name="w"/>
        /// ({"passed":bool,"checks":[{"name","result","measured","fix"}...]}), then stores it.
        /// </summary>
        /// <returns>True when every check passed or was skipped.</returns>
        public bool Run(JsonWriter w)
        {
            ChargerConfig config = _firmware.Config;
            MainsCycle cycle = _firmware.Meter.LastCycle;
            int failures = 0;
            w.Name("checks");
            w.BeginArray();

            bool supplyOk = cycle.LineLocked
                && cycle.LineNeutralMillivolts >= SupplyMinMillivolts && cycle.LineNeutralMillivolts <= SupplyMaxMillivolts
                && cycle.FrequencyMillihertz >= FrequencyMinMillihertz && cycle.FrequencyMillihertz <= FrequencyMaxMillihertz;
            failures += Entry(w, "supply", supplyOk ? Pass : Fail,
                "L-N " + Volts(cycle.LineNeutralMillivolts) + ", " + Hertz(cycle.FrequencyMillihertz) + (cycle.LineLocked ? ", locked" : ", not locked"),
                "Check L and N at the push-down terminals (far left live, second from left neutral) and the supply: L-N must be 207-253 V at 49.5-50.5 Hz.");

            bool modeA = !config.PestModeB;
            if (modeA && config.ReferenceElectrodeFitted)
            {
                bool agree = Within(cycle.LineTtRefMillivolts, cycle.LineNeutralMillivolts, ElectrodeAgreementPercent);
                bool cpcLow = cycle.CpcTtRefMillivolts <= CpcTtRefLowMillivolts;
                failures += Entry(w, "electrode", agree && cpcLow ? Pass : Fail,
                    "L-TTref " + Volts(cycle.LineTtRefMillivolts) + ", CPC-TTref " + Volts(cycle.CpcTtRefMillivolts),
                    !agree
                        ? "The reference electrode reads far from L-N: check the rod's cable at the second-from-right terminal and the rod itself (about 600 ohm to earth), or set electrodeFitted false if none is fitted."
                        : "CPC-TTref is high: check the CPC connection (far right terminal) and the earth resistance (below 100 ohm); do not hand over until it is low.");
            }
            else
            {
                bool floating = cycle.LineTtRefMillivolts * 100L < (long)cycle.LineNeutralMillivolts * FloatingPercent;
                failures += Entry(w, "electrode", floating ? Pass : Fail,
                    "L-TTref " + Volts(cycle.LineTtRefMillivolts) + " (no electrode configured)",
                    modeA
                        ? "Something is connected to the electrode terminal: if an electrode is fitted set electrodeFitted true (mode A with electrode, the safest), otherwise disconnect it."
                        : "Mode B does not use the electrode: disconnect the electrode terminal, or choose mode A with electrode.");
            }

            bool toggleB = _inputs.ReadPestToggleModeB();
            failures += Entry(w, "pest-toggle", toggleB == config.PestModeB ? Pass : Fail,
                "toggle " + (toggleB ? "B" : "A") + ", configured " + (config.PestModeB ? "B" : "A"),
                "Flick the PEST toggle to the configured mode (" + (config.PestModeB ? "B" : "A") + "), or change pestMode, then reboot.");

            PestProtection pests = _firmware.Pests;
            failures += Entry(w, "rdc-dd", pests.RdcDd.Passed ? Pass : Fail,
                pests.RdcDd.Passed ? "self-test passed" : "self-test not passed",
                "The 6 mA DC module did not answer its self-test: check its ribbon connection, reboot; replace the module if it still fails (IEC 62955).");

            failures += Entry(w, "contactor-weld", pests.Weld.LoadSideVerifiedDead ? Pass : Fail,
                pests.Weld.LoadSideVerifiedDead ? "load side dead with the contactor open" : "load side not verified dead",
                "The load side is live with the contactor open: isolate the unit and replace the contactor (welded contacts); do not hand over.");

            if (config.CtFitted)
            {
                int house = cycle.HouseMilliamps;
                bool plausible = house >= CtMinimumMilliamps && house <= config.SupplyLimitMilliamps + config.SupplyLimitMilliamps / 4;
                failures += Entry(w, "ct-clamp", plausible ? Pass : Fail,
                    "house " + Amps(house),
                    "The CT clamp reads no plausible house current: clip it around the incoming live only, yellow label towards the supply, and check the CAT5e blue and blue/white cores at the IDC terminal; its polarity is confirmed at the first charge.");
            }
            else
            {
                Entry(w, "ct-clamp", Skipped, "ctFitted false: curtailment off", "");
            }

            w.EndArray();
            w.PropertyBool("passed", failures == 0);
            return failures == 0;
        }

        /// <summary>Stores the report bytes (a JSON object) as the last report.</summary>
        public static void StoreReport(IStore store, byte[] json, int offset, int length)
        {
            byte[] buffer = new byte[length + RecordCodec.OverheadBytes];
            var writer = new RecordWriter();
            writer.Begin(buffer, 0, RecordKinds.CheckReport, 1);
            writer.WriteBytes(json, offset, length);
            store.Write(ReportKey, buffer, writer.Finish());
        }

        /// <summary>The last stored report (a JSON object, UTF-8), or null when none is stored.</summary>
        public static byte[] LoadReport(IStore store, int maxBytes)
        {
            byte[] buffer = new byte[maxBytes + RecordCodec.OverheadBytes];
            int length;
            var reader = new RecordReader();
            if (!store.TryRead(ReportKey, buffer, out length) || !reader.TryOpen(buffer, 0, length) || reader.Kind != RecordKinds.CheckReport)
            {
                return null;
            }

            byte[] json = new byte[reader.PayloadLength];
            reader.ReadRest(json, 0);
            return json;
        }

        private static int Entry(JsonWriter w, string name, string result, string measured, string fix)
        {
            w.BeginObject();
            w.Property("name", name);
            w.Property("result", result);
            w.Property("measured", measured);
            if (result == Fail)
            {
                w.Property("fix", fix);
            }

            w.EndObject();
            return result == Fail ? 1 : 0;
        }

        private static bool Within(int value, int reference, int percent)
        {
            long difference = value - reference;
            if (difference < 0)
            {
                difference = -difference;
            }

            return reference > 0 && difference * 100 <= (long)reference * percent;
        }

        private static string Volts(int millivolts) => Decimal(millivolts) + " V";

        private static string Amps(int milliamps) => Decimal(milliamps) + " A";

        private static string Hertz(int millihertz) => Decimal(millihertz) + " Hz";

        // One decimal place without custom format strings (not on nanoFramework).
        private static string Decimal(int milli)
        {
            int tenths = (milli + (milli >= 0 ? 50 : -50)) / 100;
            int whole = tenths / 10;
            int fraction = tenths % 10;
            if (fraction < 0)
            {
                fraction = -fraction;
            }

            return (tenths < 0 && whole == 0 ? "-" : "") + whole.ToString() + "." + fraction.ToString();
        }
    }
}

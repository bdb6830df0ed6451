using System;
using System.Globalization;
using System.IO;
using System.Text;
using IndraSmartPro.Events;

namespace IndraSmartPro.Simulator.Output;

/// <summary>
/// Writes each firmware event as one JSON object per line: always "t" (simulated seconds since
/// boot, or file time in replay) and "type", then the kind's own fields. The format is a
/// public contract, documented in docs/simulator.md: add fields and types, never rename.
/// </summary>
public sealed class JsonLinesWriter : IChargerEventListener
{
    private readonly TextWriter _out;
    private readonly StringBuilder _line = new StringBuilder(256);

    public JsonLinesWriter(TextWriter output, long timeOffsetMicroseconds = 0)
    {
        _out = output;
        TimeOffsetMicroseconds = timeOffsetMicroseconds;
    }

    /// <summary>Added to event times before printing (replay prints file time).</summary>
    public long TimeOffsetMicroseconds { get; set; }

    public void OnEvent(ChargerEvent e)
    {
        string type = TypeName(e.Kind);
        Begin(e.TimeMicroseconds, type);
        switch (e.Kind)
        {
            case ChargerEventKind.Boot:
                String("version", e.Code);
                break;
            case ChargerEventKind.PilotState:
                String("state", e.Code);
                break;
            case ChargerEventKind.Pwm:
                Number("dutyPercent", e.Value / 10.0);
                break;
            case ChargerEventKind.Contactor:
            case ChargerEventKind.EarthRelay:
                Bool("closed", e.Flag);
                if (e.Code != null)
                {
                    String("reason", e.Code);
                }

                break;
            case ChargerEventKind.Limit:
                Number("amps", e.Value / 1000.0);
                String("reason", e.Code);
                break;
            case ChargerEventKind.Trip:
            case ChargerEventKind.TripReset:
                String("cause", e.Code);
                if (e.Text != null)
                {
                    String("detail", e.Text);
                }

                break;
            case ChargerEventKind.Fault:
                String("code", e.Code);
                Bool("latched", e.Flag);
                if (e.Text != null)
                {
                    String("detail", e.Text);
                }

                break;
            case ChargerEventKind.FaultCleared:
                String("code", e.Code);
                break;
            case ChargerEventKind.SessionStarted:
                Number("session", e.Value);
                break;
            case ChargerEventKind.SessionStopped:
                Number("session", e.Value2);
                Number("energyWh", e.Value);
                if (e.Code != null)
                {
                    String("reason", e.Code);
                }

                break;
            case ChargerEventKind.Curtailment:
                Curtailment(e);
                break;
            default:
                if (e.Code != null)
                {
                    String("code", e.Code);
                }

                if (e.Text != null)
                {
                    String("detail", e.Text);
                }

                if (e.Kind == ChargerEventKind.Notice && e.Value != 0)
                {
                    // e.g. the seconds drawn for a randomised delay.
                    Number("value", e.Value);
                }

                if (e.Detail is IndraSmartPro.Pests.DisturbanceRecord record)
                {
                    Disturbance(record);
                }

                break;
        }

        End();
    }

    /// <summary>
    /// A curtailment action with the values that caused it: "action", "allowanceAmps" (the new
    /// claim; 0 = paused), "importAmps" (signed: + import, − export), "reason", and from the
    /// evidence "evAmps", "houseAmps", "headroomAmps" (rating − margin − house),
    /// "previousAmps", "supplyAmps", "marginAmps", "mode", "ct".
    /// </summary>
    private void Curtailment(ChargerEvent e)
    {
        String("action", e.Code);
        Number("allowanceAmps", e.Value / 1000.0);
        Number("importAmps", e.Value2 / 1000.0);
        String("reason", e.Text);
        if (e.Detail is IndraSmartPro.Features.Curtailment.CurtailmentEvidence evidence)
        {
            Number("evAmps", evidence.EvMilliamps / 1000.0);
            Number("houseAmps", evidence.HouseMilliamps / 1000.0);
            Number("headroomAmps", evidence.AllowanceMilliamps / 1000.0);
            if (evidence.PreviousClaimMilliamps >= 0)
            {
                Number("previousAmps", evidence.PreviousClaimMilliamps / 1000.0);
            }

            Number("supplyAmps", evidence.SupplyRatingMilliamps / 1000.0);
            Number("marginAmps", evidence.MarginMilliamps / 1000.0);
            String("mode", IndraSmartPro.Features.Curtailment.SolarModes.Name(evidence.Mode));
            String("ct", IndraSmartPro.Features.Curtailment.CtHealths.Name(evidence.Health));
        }
    }

    /// <summary>
    /// The PEST disturbance record (notice "disturbance-record"): "record" with the trip's cause and
    /// time and, per mains cycle, its end time and the true RMS of the three voltage channels.
    /// </summary>
    private void Disturbance(IndraSmartPro.Pests.DisturbanceRecord record)
    {
        _line.Append(",\"record\":{\"cause\":\"").Append(record.CauseCode).Append("\",\"tripT\":");
        AppendSeconds(record.TripMicroseconds);
        _line.Append(",\"preTripCycles\":").Append(record.PreTripCount.ToString(CultureInfo.InvariantCulture));
        _line.Append(",\"t\":[");
        for (int i = 0; i < record.Count; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            AppendSeconds(record.GetEndMicroseconds(i));
        }

        AppendVolts("vLn", record, 0);
        AppendVolts("vLtt", record, 1);
        AppendVolts("vCpcTt", record, 2);
        _line.Append('}');
    }

    private void AppendSeconds(long microseconds) =>
        _line.Append(((microseconds + TimeOffsetMicroseconds) / 1e6).ToString("0.######", CultureInfo.InvariantCulture));

    private void AppendVolts(string name, IndraSmartPro.Pests.DisturbanceRecord record, int channel)
    {
        _line.Append("],\"").Append(name).Append("\":[");
        for (int i = 0; i < record.Count; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            int millivolts = channel == 0 ? record.GetLineNeutralMillivolts(i) : channel == 1 ? record.GetLineTtRefMillivolts(i) : record.GetCpcTtRefMillivolts(i);
            _line.Append((millivolts / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (name == "vCpcTt")
        {
            _line.Append(']');
        }
    }

    /// <summary>The JSON "type" of an event kind.</summary>
    public static string TypeName(ChargerEventKind kind) => kind switch
    {
        ChargerEventKind.Boot => "boot",
        ChargerEventKind.PilotState => "pilot",
        ChargerEventKind.Pwm => "pwm",
        ChargerEventKind.Contactor => "contactor",
        ChargerEventKind.EarthRelay => "earthRelay",
        ChargerEventKind.Limit => "limit",
        ChargerEventKind.Trip => "trip",
        ChargerEventKind.TripReset => "tripReset",
        ChargerEventKind.Fault => "fault",
        ChargerEventKind.FaultCleared => "faultCleared",
        ChargerEventKind.SessionStarted => "sessionStarted",
        ChargerEventKind.SessionStopped => "sessionStopped",
        ChargerEventKind.Notice => "notice",
        ChargerEventKind.Curtailment => "curtailment",
        _ => "unknown",
    };

    /// <summary>Starts a line with "t" and "type"; finish it with the field helpers and <see cref="End"/>.</summary>
    public void Begin(long timeMicroseconds, string type)
    {
        _line.Clear();
        _line.Append("{\"t\":");
        _line.Append(((timeMicroseconds + TimeOffsetMicroseconds) / 1e6).ToString("0.######", CultureInfo.InvariantCulture));
        String("type", type);
    }

    public void String(string name, string value)
    {
        _line.Append(",\"").Append(name).Append("\":");
        if (value == null)
        {
            _line.Append("null");
            return;
        }

        _line.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _line.Append("\\\""); break;
                case '\\': _line.Append("\\\\"); break;
                case '\n': _line.Append("\\n"); break;
                case '\r': _line.Append("\\r"); break;
                case '\t': _line.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        _line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _line.Append(c);
                    }

                    break;
            }
        }

        _line.Append('"');
    }

    public void Number(string name, double value)
    {
        _line.Append(",\"").Append(name).Append("\":").Append(value.ToString("0.###", CultureInfo.InvariantCulture));
    }

    /// <summary>A member whose value is already JSON text (a command's result document).</summary>
    public void Raw(string name, string json)
    {
        _line.Append(",\"").Append(name).Append("\":").Append(json);
    }

    public void Bool(string name, bool value)
    {
        _line.Append(",\"").Append(name).Append("\":").Append(value ? "true" : "false");
    }

    public void End()
    {
        _line.Append('}');
        _out.WriteLine(_line.ToString());
    }
}

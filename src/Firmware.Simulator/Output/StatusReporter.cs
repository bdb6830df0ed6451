using IndraSmartPro.Firmware;

namespace IndraSmartPro.Simulator.Output;

/// <summary>Writes a "status" JSON line: the live state a person watches in the demo.</summary>
public static class StatusReporter
{
    /// <summary>Writes one status line; with <paramref name="link"/> (live MQTT) also the link's state and last failure.</summary>
    public static void Write(JsonLinesWriter writer, SimulatorHost host, Telemetry.MqttLink link = null)
    {
        var cycle = host.Firmware.Meter.LastCycle;
        writer.Begin(host.NowMicroseconds, "status");
        writer.Number("vLn", cycle.LineNeutralMillivolts / 1000.0);
        writer.Number("vLtt", cycle.LineTtRefMillivolts / 1000.0);
        writer.Number("vCpcTt", cycle.CpcTtRefMillivolts / 1000.0);
        writer.Number("hz", cycle.FrequencyMillihertz / 1000.0);
        writer.Number("dutyPercent", host.Board.PilotDutyPermille / 10.0);
        writer.Bool("contactor", host.Firmware.Relays.ContactorClosed);
        writer.Number("evAmps", cycle.EvMilliamps / 1000.0);
        writer.Number("houseAmps", cycle.HouseMilliamps / 1000.0);
        var session = host.Firmware.Session;
        writer.String("pilot", ControlPilot.PilotStates.Code(session.PilotState));
        writer.String("session", ControlPilot.SessionStates.Row(session.State).Name);
        writer.Number("offeredAmps", session.OfferedMilliamps / 1000.0);
        writer.Number("limitAmps", host.Firmware.Arbiter.LimitMilliamps / 1000.0);
        writer.String("limitReason", host.Firmware.Arbiter.LimitReason);
        writer.Number("powerW", host.Firmware.Energy.PowerMilliwatts / 1000.0);
        writer.Number("sessionWh", host.Firmware.Energy.SessionWattHours);
        writer.Number("lifetimeWh", host.Firmware.Energy.LifetimeWattHours);
        var curtailment = host.Firmware.Curtailment;
        writer.Number("importAmps", curtailment.ImportMilliamps / 1000.0);
        writer.Number("evAllowanceAmps", curtailment.ClaimMilliamps < 0 ? -1 : curtailment.ClaimMilliamps / 1000.0);
        writer.String("curtailment", Features.Curtailment.CurtailmentStates.Name(curtailment.State));
        writer.String("ct", Features.Curtailment.CtHealths.Name(curtailment.Health));
        writer.String("solarMode", Features.Curtailment.SolarModes.Name(curtailment.Settings.Mode));
        writer.Number("contactorCycles", host.Firmware.ContactorCycles.Cycles);
        if (link != null)
        {
            writer.String("link", link.State);
            writer.String("linkFailure", link.LastFailure);
        }

        // Smart charging: the time of day, Boost and the randomised delay (countdowns only while they run).
        var now = host.NowMicroseconds;
        if (host.Firmware.WallClock.TryGetUtcSeconds(now, out long utc))
        {
            writer.String("utc", System.DateTimeOffset.FromUnixTimeSeconds(utc).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.String("utc", null);
        }

        var smart = host.Firmware.SmartCharging;
        writer.Bool("boost", smart.Boost.Active);
        if (smart.Boost.RemainingSeconds(now) > 0)
        {
            writer.Number("boostRemainingS", smart.Boost.RemainingSeconds(now));
        }

        if (smart.RandomDelayRemainingSeconds(now) > 0)
        {
            writer.Number("randomDelayS", smart.RandomDelayRemainingSeconds(now));
        }

        writer.End();
    }
}

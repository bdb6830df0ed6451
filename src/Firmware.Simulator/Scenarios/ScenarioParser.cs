using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using IndraSmartPro.Firmware;

namespace IndraSmartPro.Simulator.Scenarios;

/// <summary>A scenario that cannot be run; the message names the problem (exit code 2).</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Reads a scenario (docs/simulator.md, "Scenarios") strictly: unknown fields and values, wrong
/// types, missing required fields, steps out of order or after the end are errors that name the
/// field and the step.
/// </summary>
public static class ScenarioParser
{
    /// <summary>Longest scenario accepted, seconds (one simulated day).</summary>
    public const double MaxDurationSeconds = 86400;

    private static readonly string[] TopFields =
    {
        "variant", "pestMode", "supplyLimitAmps", "cableAmps", "ppOhms", "durationSeconds", "steps",
        "evMaxAmps", "evResponseSeconds", "evSimplified", "evIgnoresPwmWithdrawal", "description", "startUtc",
        "ctFitted", "generationFitted", "curtailmentMarginAmps", "ctFallbackAmps", "solarMode", "minimumPauseSeconds", "resumeHoldSeconds",
    };

    private static readonly string[] StepActions =
    {
        "ev", "evFault", "supply", "houseLoadAmps", "button", "charger", "socketLock",
        "houseLoadRamp", "houseLoadNoise", "houseLoadProfile", "houseLoadReplay", "solarAmps", "solarRamp", "ct", "solarMode",
        "clock", "command", "powerCut",
        "contactor", "rdcDd", "ppOhms", "pestToggle", "evOverdrawAmps", "pilot", "supplyQuality",
    };

    /// <summary>Parses a scenario; files it names (houseLoadReplay) are read relative to the working directory.</summary>
    public static Scenario Parse(string json) => Parse(json, null);

    /// <summary>Parses a scenario; files it names (houseLoadReplay) are read relative to <paramref name="baseDirectory"/>.</summary>
    public static Scenario Parse(string json, string baseDirectory)
    {
        _baseDirectory = baseDirectory;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new ScenarioException("not valid JSON: " + e.Message);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException("the scenario must be a JSON object");
            }

            RejectDuplicateKeys(root, "scenario");
            CheckFields(root, TopFields, "scenario");
            double duration = RequiredNumber(root, "durationSeconds", "scenario");
            if (duration <= 0 || duration > MaxDurationSeconds)
            {
                throw new ScenarioException("durationSeconds must be > 0 and <= " + MaxDurationSeconds.ToString(CultureInfo.InvariantCulture));
            }

            var scenario = new Scenario
            {
                Variant = ParseVariant(RequiredString(root, "variant", "scenario")),
                Pest = ParsePest(OptionalString(root, "pestMode") ?? "A-electrode"),
                SupplyLimitAmps = OptionalNumber(root, "supplyLimitAmps", 60.0, 1, 1000),
                CableAmps = OptionalNumber(root, "cableAmps", 32.0, 0, 1000),
                PpOhms = OptionalOhms(root),
                DurationSeconds = duration,
                EvMaxAmps = OptionalNumber(root, "evMaxAmps", 32.0, 0, 80),
                EvResponseSeconds = OptionalNumber(root, "evResponseSeconds", 1.0, 0, 60),
                EvSimplified = OptionalBool(root, "evSimplified"),
                EvIgnoresPwmWithdrawal = OptionalBool(root, "evIgnoresPwmWithdrawal"),
                CtFitted = OptionalBool(root, "ctFitted", true),
                GenerationFitted = OptionalBool(root, "generationFitted"),
                CurtailmentMarginAmps = OptionalNumber(root, "curtailmentMarginAmps", 1.0, 0, 100),
                CtFallbackAmps = ParseFallback(OptionalNumber(root, "ctFallbackAmps", 6.0, 0, 80)),
                SolarMode = ParseSolarMode(OptionalString(root, "solarMode") ?? "fast", "scenario"),
                MinimumPauseSeconds = OptionalNumber(root, "minimumPauseSeconds", 300.0, 0, 3600),
                ResumeHoldSeconds = OptionalNumber(root, "resumeHoldSeconds", 60.0, 0, 3600),
                Steps = ParseSteps(root, duration),
                StartUtcMilliseconds = root.TryGetProperty("startUtc", out JsonElement start) ? ParseUtc(start, "scenario: 'startUtc'") : null,
            };
            if (scenario.CurtailmentMarginAmps >= scenario.SupplyLimitAmps)
            {
                throw new ScenarioException("scenario: 'curtailmentMarginAmps' must be less than supplyLimitAmps");
            }

            return scenario;
        }
    }

    private static List<ScenarioStep> ParseSteps(JsonElement root, double duration)
    {
        if (!root.TryGetProperty("steps", out JsonElement steps))
        {
            throw new ScenarioException("scenario: missing required field 'steps'");
        }

        if (steps.ValueKind != JsonValueKind.Array)
        {
            throw new ScenarioException("scenario: 'steps' must be an array");
        }

        var list = new List<ScenarioStep>();
        double previous = 0;
        int index = 0;
        foreach (JsonElement step in steps.EnumerateArray())
        {
            string where = "steps[" + index + "]";
            if (step.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException(where + ": a step must be an object");
            }

            var allowed = new string[StepActions.Length + 1];
            allowed[0] = "at";
            Array.Copy(StepActions, 0, allowed, 1, StepActions.Length);
            CheckFields(step, allowed, where);
            double at = RequiredNumber(step, "at", where);
            if (at < 0)
            {
                throw new ScenarioException(where + ": 'at' must not be negative");
            }

            if (at > duration)
            {
                throw new ScenarioException(where + ": 'at' " + at.ToString(CultureInfo.InvariantCulture) + " is after durationSeconds " + duration.ToString(CultureInfo.InvariantCulture));
            }

            if (at < previous)
            {
                throw new ScenarioException(where + ": steps out of order ('at' " + at.ToString(CultureInfo.InvariantCulture) + " is before the previous step's " + previous.ToString(CultureInfo.InvariantCulture) + ")");
            }

            previous = at;
            string action = null;
            foreach (JsonProperty property in step.EnumerateObject())
            {
                if (property.Name == "at")
                {
                    continue;
                }

                if (action != null)
                {
                    throw new ScenarioException(where + ": one action per step ('" + action + "' and '" + property.Name + "')");
                }

                action = property.Name;
            }

            if (action == null)
            {
                throw new ScenarioException(where + ": missing an action (one of " + string.Join(", ", StepActions) + ")");
            }

            list.Add(ParseAction(step, action, at, where));
            index++;
        }

        return list;
    }

    private static ScenarioStep ParseAction(JsonElement step, string action, double at, string where)
    {
        switch (action)
        {
            case "ev":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Ev, Action = OneOf(step, action, where, "connect", "requestCharge", "requestVentilation", "stopCharge", "disconnect") };
            case "evFault":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.EvFault, Action = OneOf(step, action, where, "diodeShort", "pilotShortToPe", "none") };
            case "button":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Button, Action = OneOf(step, action, where, "press", "release", "longPress", "shortPress") };
            case "charger":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Charger, Action = OneOf(step, action, where, "pause", "resume") };
            case "socketLock":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.SocketLock, Action = OneOf(step, action, where, "jammed", "ok") };
            case "clock":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Clock, UtcMilliseconds = ParseUtc(step.GetProperty(action), where + ": 'clock'") };
            case "powerCut":
            {
                double off = RequiredNumber(step, action, where);
                if (off <= 0 || off > MaxDurationSeconds)
                {
                    throw new ScenarioException(where + ": powerCut must be > 0 and <= " + MaxDurationSeconds.ToString(CultureInfo.InvariantCulture) + " seconds");
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.PowerCut, OffSeconds = off };
            }

            case "command":
            {
                JsonElement command = step.GetProperty(action);
                string inner = where + ".command";
                if (command.ValueKind != JsonValueKind.Object)
                {
                    throw new ScenarioException(inner + ": must be an object {name, payload}");
                }

                CheckFields(command, new[] { "name", "payload" }, inner);
                string name = RequiredString(command, "name", inner);
                if (name.Length == 0 || name.IndexOf('/') >= 0 || name.IndexOf('#') >= 0 || name.IndexOf('+') >= 0)
                {
                    throw new ScenarioException(inner + ": 'name' must be a command name such as \"boost\"");
                }

                string payload = "{}";
                if (command.TryGetProperty("payload", out JsonElement body))
                {
                    if (body.ValueKind != JsonValueKind.Object)
                    {
                        throw new ScenarioException(inner + ": 'payload' must be an object (the command's JSON, docs/mqtt.md)");
                    }

                    payload = body.GetRawText();
                    if (!body.TryGetProperty("id", out _))
                    {
                        // Every command carries an id; the scenario's step index is a good one.
                        payload = "{\"id\":\"" + where + "\"" + (body.EnumerateObject().Any() ? "," + payload.Substring(payload.IndexOf('{') + 1) : "}");
                    }
                }
                else
                {
                    payload = "{\"id\":\"" + where + "\"}";
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Command, Action = name, Payload = payload };
            }

            case "houseLoadAmps":
            {
                double amps = RequiredNumber(step, action, where);
                if (amps < 0 || amps > 1000)
                {
                    throw new ScenarioException(where + ": houseLoadAmps must be 0..1000");
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoad, Amps = amps };
            }

            case "supply":
            {
                JsonElement supply = step.GetProperty(action);
                string inner = where + ".supply";
                if (supply.ValueKind != JsonValueKind.Object)
                {
                    throw new ScenarioException(inner + ": must be an object {vLn, vLtt, vCpcTt}");
                }

                CheckFields(supply, new[] { "vLn", "vLtt", "vCpcTt" }, inner);
                double vLn = RequiredNumber(supply, "vLn", inner);
                double vLtt = RequiredNumber(supply, "vLtt", inner);
                double vCpcTt = RequiredNumber(supply, "vCpcTt", inner);
                if (vLn < 0 || vLtt < 0 || vCpcTt < 0 || vLn > 400 || vLtt > 400 || vCpcTt > 400)
                {
                    throw new ScenarioException(inner + ": voltages must be 0..400 V rms");
                }

                if (!SupplyMapping.IsConsistent(vLn, vLtt, vCpcTt))
                {
                    throw new ScenarioException(inner + ": vLn " + vLn.ToString(CultureInfo.InvariantCulture) + ", vLtt " + vLtt.ToString(CultureInfo.InvariantCulture) +
                        ", vCpcTt " + vCpcTt.ToString(CultureInfo.InvariantCulture) + " cannot all hold: L-N = L - D needs |vLtt - vCpcTt| <= vLn <= vLtt + vCpcTt");
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Supply, LineNeutralVolts = vLn, LineTtRefVolts = vLtt, CpcTtRefVolts = vCpcTt };
            }

            case "houseLoadRamp":
            case "solarRamp":
            {
                JsonElement ramp = Object(step, action, where, "amps", "seconds");
                double amps = Range(RequiredNumber(ramp, "amps", where + "." + action), 0, 1000, where + "." + action + ".amps");
                double seconds = Range(RequiredNumber(ramp, "seconds", where + "." + action), 0, 86400, where + "." + action + ".seconds");
                return new ScenarioStep { AtSeconds = at, Kind = action == "solarRamp" ? StepKind.SolarRamp : StepKind.HouseLoadRamp, Amps = amps, Seconds = seconds };
            }

            case "houseLoadNoise":
            {
                JsonElement noise = Object(step, action, where, "amps", "periodSeconds");
                double amps = Range(RequiredNumber(noise, "amps", where + ".houseLoadNoise"), 0, 100, where + ".houseLoadNoise.amps");
                double period = noise.TryGetProperty("periodSeconds", out _) ? Range(RequiredNumber(noise, "periodSeconds", where + ".houseLoadNoise"), 0.02, 3600, where + ".houseLoadNoise.periodSeconds") : 0.5;
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoadNoise, Amps = amps, Seconds = period };
            }

            case "houseLoadProfile":
                return ParseProfile(step, at, where);

            case "houseLoadReplay":
                return ParseReplay(step, at, where);

            case "solarAmps":
            {
                double amps = Range(RequiredNumber(step, action, where), 0, 1000, where + ".solarAmps");
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Solar, Amps = amps };
            }

            case "ct":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Ct, Action = OneOf(step, action, where, "ok", "disconnected", "reversed", "stuck") };

            case "solarMode":
            {
                string mode = OneOf(step, action, where, "fast", "eco", "eco-plus");
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.SolarMode, Action = mode };
            }

            case "contactor":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Contactor, Action = OneOf(step, action, where, "welded", "weldAtNextOpening", "ok") };
            case "rdcDd":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.RdcDd, Action = OneOf(step, action, where, "fault", "selfTestFails", "ok") };
            case "pestToggle":
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.PestToggle, Action = OneOf(step, action, where, "A", "B") };
            case "ppOhms":
            {
                JsonElement value = step.GetProperty(action);
                if (value.ValueKind == JsonValueKind.Null)
                {
                    return new ScenarioStep { AtSeconds = at, Kind = StepKind.PpOhms, Ohms = null };
                }

                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int ohms) || ohms < 0)
                {
                    throw new ScenarioException(where + ": 'ppOhms' must be a non-negative whole number of ohms (or null for open)");
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.PpOhms, Ohms = ohms };
            }

            case "evOverdrawAmps":
            {
                double amps = RequiredNumber(step, action, where);
                if (amps < 0 || amps > 80)
                {
                    throw new ScenarioException(where + ": evOverdrawAmps must be 0..80");
                }

                return new ScenarioStep { AtSeconds = at, Kind = StepKind.EvOverdraw, Amps = amps };
            }

            case "pilot":
            {
                JsonElement pilot = step.GetProperty(action);
                string inner = where + ".pilot";
                if (pilot.ValueKind != JsonValueKind.Object)
                {
                    throw new ScenarioException(inner + ": must be an object {offsetVolts, noiseVolts}");
                }

                CheckFields(pilot, new[] { "offsetVolts", "noiseVolts" }, inner);
                double offset = OptionalStepNumber(pilot, "offsetVolts", inner, 0, -12, 12);
                double noise = OptionalStepNumber(pilot, "noiseVolts", inner, 0, 0, 6);
                return new ScenarioStep { AtSeconds = at, Kind = StepKind.Pilot, OffsetVolts = offset, NoiseVolts = noise };
            }

            case "supplyQuality":
            {
                JsonElement quality = step.GetProperty(action);
                string inner = where + ".supplyQuality";
                if (quality.ValueKind != JsonValueKind.Object)
                {
                    throw new ScenarioException(inner + ": must be an object {hz, h3Percent, h5Percent, h7Percent, dcVolts}");
                }

                CheckFields(quality, new[] { "hz", "h3Percent", "h5Percent", "h7Percent", "dcVolts" }, inner);
                return new ScenarioStep
                {
                    AtSeconds = at,
                    Kind = StepKind.SupplyQuality,
                    Hertz = OptionalStepNumber(quality, "hz", inner, 50, 40, 70),
                    Harmonic3 = OptionalStepNumber(quality, "h3Percent", inner, 0, 0, 30) / 100.0,
                    Harmonic5 = OptionalStepNumber(quality, "h5Percent", inner, 0, 0, 30) / 100.0,
                    Harmonic7 = OptionalStepNumber(quality, "h7Percent", inner, 0, 0, 30) / 100.0,
                    DcVolts = OptionalStepNumber(quality, "dcVolts", inner, 0, -50, 50),
                };
            }

            default:
                throw new ScenarioException(where + ": unknown action '" + action + "'");
        }
    }

    [System.ThreadStatic]
    private static string _baseDirectory;

    private static JsonElement Object(JsonElement step, string action, string where, params string[] fields)
    {
        JsonElement value = step.GetProperty(action);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException(where + "." + action + ": must be an object {" + string.Join(", ", fields) + "}");
        }

        CheckFields(value, fields, where + "." + action);
        return value;
    }

    private static double Range(double value, double min, double max, string where)
    {
        if (value < min || value > max)
        {
            throw new ScenarioException(where + " must be " + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture));
        }

        return value;
    }

    private static ScenarioStep ParseProfile(JsonElement step, double at, string where)
    {
        string inner = where + ".houseLoadProfile";
        JsonElement profile = Object(step, "houseLoadProfile", where, "startHour", "points");
        double startHour = profile.TryGetProperty("startHour", out _) ? Range(RequiredNumber(profile, "startHour", inner), 0, 24, inner + ".startHour") : 0;
        if (!profile.TryGetProperty("points", out JsonElement points) || points.ValueKind != JsonValueKind.Array || points.GetArrayLength() == 0)
        {
            throw new ScenarioException(inner + ": 'points' must be a non-empty array of [hour, amps]");
        }

        var hours = new List<double>();
        var amps = new List<double>();
        foreach (JsonElement point in points.EnumerateArray())
        {
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != 2 || point[0].ValueKind != JsonValueKind.Number || point[1].ValueKind != JsonValueKind.Number)
            {
                throw new ScenarioException(inner + ": each point must be [hour, amps]");
            }

            double hour = point[0].GetDouble();
            double a = point[1].GetDouble();
            if (hour < 0 || hour >= 24 || (hours.Count > 0 && hour <= hours[^1]))
            {
                throw new ScenarioException(inner + ": hours must be 0..24 (exclusive) and increasing");
            }

            Range(a, 0, 1000, inner + ": amps");
            hours.Add(hour);
            amps.Add(a);
        }

        return new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoadProfile, StartHour = startHour, Times = hours.ToArray(), Values = amps.ToArray() };
    }

    private static ScenarioStep ParseReplay(JsonElement step, double at, string where)
    {
        string inner = where + ".houseLoadReplay";
        JsonElement replay = Object(step, "houseLoadReplay", where, "file", "startSeconds");
        string file = RequiredString(replay, "file", inner);
        double start = replay.TryGetProperty("startSeconds", out _) ? Range(RequiredNumber(replay, "startSeconds", inner), 0, 1e7, inner + ".startSeconds") : 0;
        string path = _baseDirectory != null && !System.IO.Path.IsPathRooted(file) ? System.IO.Path.Combine(_baseDirectory, file) : file;
        (double[] Seconds, double[] Amps) trace;
        try
        {
            trace = Simulator.VirtualBoard.HouseModel.ReadTrace(path);
        }
        catch (System.Exception e) when (e is System.IO.IOException || e is FormatException || e is System.UnauthorizedAccessException)
        {
            throw new ScenarioException(inner + ": cannot read '" + file + "': " + e.Message);
        }

        return new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoadReplay, Seconds = start, Times = trace.Seconds, Values = trace.Amps, Action = file };
    }

    private static double ParseFallback(double amps)
    {
        if (amps != 0 && amps < 6)
        {
            throw new ScenarioException("scenario: 'ctFallbackAmps' must be 0 (pause) or 6..80 (IEC 61851-1: nothing below 6 A can be offered)");
        }

        return amps;
    }

    private static Features.Curtailment.SolarMode ParseSolarMode(string text, string where)
    {
        if (!Features.Curtailment.SolarModes.TryParse(text, out Features.Curtailment.SolarMode mode))
        {
            throw new ScenarioException(where + ": unknown solarMode value '" + text + "' (one of fast, eco, eco-plus)");
        }

        return mode;
    }

    // "2026-06-01T21:50:00Z": ISO 8601 in UTC (the trailing Z is required), whole seconds or with a fraction.
    private static long ParseUtc(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ScenarioException(where + " must be a UTC time string such as \"2026-06-01T21:50:00Z\"");
        }

        string text = value.GetString();
        if (!text.EndsWith('Z') || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
        {
            throw new ScenarioException(where + " '" + text + "' is not a UTC time such as \"2026-06-01T21:50:00Z\"");
        }

        if (time.Year < 2025 || time.Year > 2099)
        {
            throw new ScenarioException(where + " must be in 2025..2099");
        }

        return time.ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// JSON allows a key twice and System.Text.Json keeps the last; a scenario where a value is
    /// silently overridden is almost always a mistake, so it is an error naming the key and where.
    /// </summary>
    private static void RejectDuplicateKeys(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                RejectDuplicateKeys(item, where == "scenario" ? "steps[" + index + "]" : where + "[" + index + "]");
                index++;
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new ScenarioException(where + ": duplicate key '" + property.Name + "' (each key may appear once)");
            }

            string inner = where == "scenario" ? (property.Name == "steps" ? "scenario" : "scenario." + property.Name) : where + "." + property.Name;
            RejectDuplicateKeys(property.Value, inner);
        }
    }

    private static void CheckFields(JsonElement element, string[] allowed, string where)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new ScenarioException(where + ": unknown field '" + property.Name + "' (allowed: " + string.Join(", ", allowed) + ")");
            }
        }
    }

    private static string OneOf(JsonElement step, string field, string where, params string[] values)
    {
        JsonElement value = step.GetProperty(field);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ScenarioException(where + ": '" + field + "' must be a string, one of " + string.Join(", ", values));
        }

        string text = value.GetString();
        if (Array.IndexOf(values, text) < 0)
        {
            throw new ScenarioException(where + ": unknown " + field + " value '" + text + "' (one of " + string.Join(", ", values) + ")");
        }

        return text;
    }

    private static double RequiredNumber(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            throw new ScenarioException(where + ": missing required field '" + field + "'");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ScenarioException(where + ": '" + field + "' must be a number");
        }

        return value.GetDouble();
    }

    private static string RequiredString(JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            throw new ScenarioException(where + ": missing required field '" + field + "'");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ScenarioException(where + ": '" + field + "' must be a string");
        }

        return value.GetString();
    }

    private static string OptionalString(JsonElement element, string field)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ScenarioException("scenario: '" + field + "' must be a string");
        }

        return value.GetString();
    }

    private static double OptionalNumber(JsonElement element, string field, double fallback, double min, double max)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ScenarioException("scenario: '" + field + "' must be a number");
        }

        double number = value.GetDouble();
        if (number < min || number > max)
        {
            throw new ScenarioException("scenario: '" + field + "' must be " + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture));
        }

        return number;
    }

    private static double OptionalStepNumber(JsonElement element, string field, string where, double fallback, double min, double max)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new ScenarioException(where + ": '" + field + "' must be a number");
        }

        double number = value.GetDouble();
        if (number < min || number > max)
        {
            throw new ScenarioException(where + ": '" + field + "' must be " + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture));
        }

        return number;
    }

        private static bool OptionalBool(JsonElement element, string field, bool fallback = false)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False)
        {
            throw new ScenarioException("scenario: '" + field + "' must be true or false");
        }

        return value.GetBoolean();
    }

    private static int? OptionalOhms(JsonElement root)
    {
        if (!root.TryGetProperty("ppOhms", out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int ohms) || ohms < 0)
        {
            throw new ScenarioException("scenario: 'ppOhms' must be a non-negative whole number of ohms (or null for no resistor)");
        }

        return ohms;
    }

    private static Variant ParseVariant(string text) => text switch
    {
        "type1-tethered" => Variant.Type1Tethered,
        "type2-tethered" => Variant.Type2Tethered,
        "type2-socket" => Variant.Type2Socket,
        _ => throw new ScenarioException("scenario: unknown variant value '" + text + "' (one of type1-tethered, type2-tethered, type2-socket)"),
    };

    private static PestSetting ParsePest(string text) => text switch
    {
        "A-electrode" => PestSetting.ModeAWithElectrode,
        "A-no-electrode" => PestSetting.ModeANoElectrode,
        "B" => PestSetting.ModeB,
        _ => throw new ScenarioException("scenario: unknown pestMode value '" + text + "' (one of A-electrode, A-no-electrode, B)"),
    };
}

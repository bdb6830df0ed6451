using System.Text;
using IndraSmartPro.Board;
using IndraSmartPro.Firmware;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Commissioning
{
    /// <summary>The transports a commissioning request arrives on; factory requests only over the USB console.</summary>
    public static class CommissioningTransports
    {
        /// <summary>The USB serial console (a person with the unit in hand: factory bench or installer's laptop).</summary>
        public const int Console = 0;

        /// <summary>MQTT, the installer role's topic (remote: never factory settings).</summary>
        public const int Mqtt = 1;
    }

    /// <summary>
    /// The commissioning protocol, version 1 (docs/commissioning-protocol.md, a public contract):
    /// one JSON request in, one JSON response out, the same over every transport. Runs on the
    /// scheduler thread (from <see cref="CommissioningConsoleTask"/> or the telemetry task), so it
    /// reads the firmware's modules without locks. It edits the <b>stored</b> configuration; the
    /// configuration in force changes only at the next boot, so nothing changes under a session.
    /// Allocates per request (not a hot path).
    /// </summary>
    public sealed class CommissioningService
    {
        /// <summary>The protocol version this firmware speaks.</summary>
        public const int ProtocolVersion = 1;

        /// <summary>Longest request, bytes (a CA bundle fits).</summary>
        public const int MaxRequestBytes = 6144;

        /// <summary>Longest response, bytes.</summary>
        public const int MaxResponseBytes = 4096;

        /// <summary>Wrong secrets in a row before requests are refused for <see cref="LockoutMicroseconds"/>.</summary>
        public const int MaxSecretFailures = 5;

        /// <summary>How long requests are refused after <see cref="MaxSecretFailures"/> wrong secrets, microseconds (60 s: guessing a 12-character secret becomes hopeless).</summary>
        public const long LockoutMicroseconds = 60000000;

        private readonly ChargerFirmware _firmware;
        private readonly IMicrosecondClock _clock;
        private readonly HandoverChecks _checks;
        private readonly JsonDocument _doc = new JsonDocument(96, 3, MaxRequestBytes);
        private readonly JsonWriter _report = new JsonWriter(MaxResponseBytes);
        private int _secretFailures;
        private long _lockedUntil;

        /// <summary>Serves requests about <paramref name="firmware"/>; reads the PEST toggle from <paramref name="inputs"/>.</summary>
        public CommissioningService(ChargerFirmware firmware, IOperatorInputs inputs, IMicrosecondClock clock)
        {
            _firmware = firmware;
            _clock = clock;
            _checks = new HandoverChecks(firmware, inputs);
        }

        /// <summary>How long after answering "reboot" the unit restarts, microseconds (1 s: the response leaves first, over MQTT too).</summary>
        public const long RebootDelayMicroseconds = 1000000;

        /// <summary>Set by an answered "reboot" request; <see cref="RebootTask"/> restarts the unit at <see cref="RebootAtMicroseconds"/>.</summary>
        public bool RebootRequested { get; set; }

        /// <summary>When the requested reboot is due, microseconds.</summary>
        public long RebootAtMicroseconds { get; private set; }

        /// <summary>Handles one request (UTF-8 JSON) from <paramref name="transport"/>; the response is written into <paramref name="w"/> (reset first).</summary>
        public void Handle(byte[] request, int length, int transport, JsonWriter w)
        {
            w.Reset();
            w.BeginObject();
            w.Property("v", ProtocolVersion);
            if (!_doc.Parse(request, length) || _doc.GetKind(0) != JsonKind.Object)
            {
                Error(w, "bad-request", "not a JSON object: " + (_doc.Error != null ? _doc.Error : "wrong kind"));
                return;
            }

            int id = _doc.Find(0, "id");
            int idValue;
            if (id >= 0 && _doc.TryGetInt32(id, out idValue))
            {
                w.Property("id", idValue);
            }

            int version = _doc.Find(0, "v");
            int versionValue;
            if (version < 0 || !_doc.TryGetInt32(version, out versionValue) || versionValue != ProtocolVersion)
            {
                Error(w, "unsupported-version", "v: allowed 1");
                return;
            }

            int op = _doc.Find(0, "op");
            if (op < 0 || _doc.GetKind(op) != JsonKind.String)
            {
                Error(w, "bad-request", "op: missing; allowed identity, read-config, set-config, set-ca, check, read-report, calibrate, reboot");
                return;
            }

            string name = _doc.GetString(op);
            w.Property("op", name);
            if (name == "identity")
            {
                Identity(w);
                return;
            }

            ChargerConfig stored = ConfigStore.Load(_firmware.Store);
            if (!Authorised(stored, transport, w))
            {
                return;
            }

            switch (name)
            {
                case "read-config":
                    ReadConfig(stored, w);
                    break;
                case "set-config":
                    SetConfig(stored, transport, w);
                    break;
                case "set-ca":
                    SetCa(transport, w);
                    break;
                case "check":
                    Check(w);
                    break;
                case "read-report":
                    ReadReport(w);
                    break;
                case "calibrate":
                    Calibrate(transport, w);
                    break;
                case "reboot":
                    RebootRequested = true;
                    RebootAtMicroseconds = _clock.NowMicroseconds + RebootDelayMicroseconds;
                    w.PropertyBool("ok", true);
                    w.EndObject();
                    break;
                default:
                    Error(w, "unknown-op", "op: \"" + name + "\" is not allowed; allowed identity, read-config, set-config, set-ca, check, read-report, calibrate, reboot");
                    break;
            }
        }

        private void Identity(JsonWriter w)
        {
            ChargerConfig inForce = _firmware.Config;
            ChargerConfig stored = ConfigStore.Load(_firmware.Store);
            w.PropertyBool("ok", true);
            w.Property("serial", inForce.Serial);
            w.Property("variant", ConfigSettings.VariantNames[(int)inForce.Variant]);
            w.Property("partNumber", PartNumber(inForce.Variant));
            w.Property("firmware", FirmwareInfo.Version);
            w.Property("protocol", ProtocolVersion);
            w.Property("state", inForce.Commissioned ? "commissioned" : ChargerStatus.StateNotCommissioned);
            w.PropertyBool("storedCommissioned", stored.Commissioned);
            w.PropertyBool("installerSecretSet", stored.InstallerSecret.Length > 0);
            w.Name("network");
            w.BeginObject();
            w.Property("interface", NetworkKinds.Names[inForce.Network]);
            NetworkSupervisor network = _firmware.Network;
            w.Property("state", network != null ? network.State : NetworkSupervisor.StateOff);
            w.Property("address", network != null ? network.Address : "");
            w.Property("lastFailure", network != null ? network.LastFailure : null);
            w.Property("failures", network != null ? network.Failures : 0);
            w.EndObject();
            w.EndObject();
        }

        // Every request but identity needs this unit's installer secret. The one exception is a unit
        // fresh from flashing, which has none yet: then the USB console (a person holding the board)
        // may set it; MQTT never works without one. No secret is shared between units.
        private bool Authorised(ChargerConfig stored, int transport, JsonWriter w)
        {
            long now = _clock.NowMicroseconds;
            if (_secretFailures >= MaxSecretFailures && now < _lockedUntil)
            {
                Error(w, "locked-out", "secret: too many wrong secrets; try again in 60 s");
                return false;
            }

            if (stored.InstallerSecret.Length == 0)
            {
                if (transport == CommissioningTransports.Console)
                {
                    return true;
                }

                Error(w, "secret-required", "secret: this unit has no installer secret yet; set one over the USB console");
                return false;
            }

            int secret = _doc.Find(0, "secret");
            if (secret < 0 || _doc.GetKind(secret) != JsonKind.String)
            {
                Error(w, "secret-required", "secret: this request needs the installer secret on the unit's label");
                return false;
            }

            if (!SameText(_doc.GetString(secret), stored.InstallerSecret))
            {
                _secretFailures++;
                if (_secretFailures >= MaxSecretFailures)
                {
                    _lockedUntil = now + LockoutMicroseconds;
                }

                Error(w, "wrong-secret", "secret: does not match this unit's installer secret");
                return false;
            }

            _secretFailures = 0;
            return true;
        }

        private void ReadConfig(ChargerConfig stored, JsonWriter w)
        {
            w.PropertyBool("ok", true);
            w.Name("config");
            w.BeginObject();
            for (int row = 0; row < ConfigSettings.All.Length; row++)
            {
                ConfigSetting s = ConfigSettings.All[row];
                if (s.Type == SettingTypes.Secret)
                {
                    continue;
                }

                WriteValue(w, stored, row);
            }

            w.EndObject();
            w.Name("secretsSet");
            w.BeginArray();
            for (int row = 0; row < ConfigSettings.All.Length; row++)
            {
                if (ConfigSettings.All[row].Type == SettingTypes.Secret && ConfigSettings.GetText(stored, row).Length > 0)
                {
                    w.String(ConfigSettings.All[row].Name);
                }
            }

            w.EndArray();
            w.Name("owners");
            w.BeginObject();
            for (int row = 0; row < ConfigSettings.All.Length; row++)
            {
                w.Property(ConfigSettings.All[row].Name, SettingOwners.Name(ConfigSettings.All[row].Owner));
            }

            w.EndObject();
            w.PropertyBool("caSet", ConfigStore.HasCa(_firmware.Store));
            w.EndObject();
        }

        private static void WriteValue(JsonWriter w, ChargerConfig c, int row)
        {
            ConfigSetting s = ConfigSettings.All[row];
            switch (s.Type)
            {
                case SettingTypes.Integer:
                    w.Property(s.Name, ConfigSettings.GetNumber(c, row));
                    break;
                case SettingTypes.Boolean:
                    w.PropertyBool(s.Name, ConfigSettings.GetNumber(c, row) != 0);
                    break;
                case SettingTypes.Choice:
                    w.Property(s.Name, s.Choices[(int)ConfigSettings.GetNumber(c, row)]);
                    break;
                default:
                    w.Property(s.Name, ConfigSettings.GetText(c, row));
                    break;
            }
        }

        private void SetConfig(ChargerConfig stored, int transport, JsonWriter w)
        {
            int settings = _doc.Find(0, "settings");
            if (settings < 0 || _doc.GetKind(settings) != JsonKind.Object)
            {
                Error(w, "bad-request", "settings: missing; allowed an object of setting names and values");
                return;
            }

            ChargerConfig edited = stored.Clone();
            for (int v = settings + 1; v < _doc.ValueCount; v++)
            {
                if (_doc.GetParent(v) != settings)
                {
                    continue;
                }

                string name = new string(_doc.Chars, _doc.GetNameStart(v), _doc.GetNameLength(v));
                int row = ConfigSettings.IndexOf(name);
                if (row < 0)
                {
                    Error(w, "unknown-setting", name + ": no such setting (docs/commissioning-protocol.md, \"Settings\")");
                    return;
                }

                ConfigSetting s = ConfigSettings.All[row];
                if (s.Owner == SettingOwners.Platform || (s.Owner == SettingOwners.Factory && transport != CommissioningTransports.Console))
                {
                    Error(w, "not-allowed", name + ": a " + SettingOwners.Name(s.Owner) + " setting; " + (s.Owner == SettingOwners.Factory ? "set only over the USB console" : "set by the owner through the platform"));
                    return;
                }

                string problem = Apply(edited, row, v);
                if (problem != null)
                {
                    Error(w, "invalid-setting", problem);
                    return;
                }
            }

            string refusal = ConfigStore.Save(_firmware.Store, edited);
            if (refusal != null)
            {
                Error(w, "invalid-setting", refusal);
                return;
            }

            w.PropertyBool("ok", true);
            w.PropertyBool("rebootNeeded", true);
            w.EndObject();
        }

        private string Apply(ChargerConfig c, int row, int v)
        {
            ConfigSetting s = ConfigSettings.All[row];
            JsonKind kind = _doc.GetKind(v);
            switch (s.Type)
            {
                case SettingTypes.Integer:
                    int number;
                    if (kind != JsonKind.Number || !_doc.TryGetInt32(v, out number))
                    {
                        return s.Name + ": not an integer; allowed " + s.Allowed();
                    }

                    string numberProblem = ConfigSettings.CheckNumber(row, number);
                    if (numberProblem == null)
                    {
                        ConfigSettings.SetNumber(c, row, number);
                    }

                    return numberProblem;
                case SettingTypes.Boolean:
                    if (kind != JsonKind.Bool)
                    {
                        return s.Name + ": not a boolean; allowed " + s.Allowed();
                    }

                    ConfigSettings.SetNumber(c, row, _doc.GetBool(v) ? 1 : 0);
                    return null;
                case SettingTypes.Choice:
                    int index = kind == JsonKind.String ? ConfigSettings.ChoiceIndex(row, _doc.GetString(v)) : -1;
                    if (index < 0)
                    {
                        return s.Name + ": " + (kind == JsonKind.String ? "\"" + _doc.GetString(v) + "\"" : "that value") + " is not allowed; allowed " + s.Allowed();
                    }

                    ConfigSettings.SetNumber(c, row, index);
                    return null;
                default:
                    if (kind != JsonKind.String)
                    {
                        return s.Name + ": not a string; allowed " + s.Allowed();
                    }

                    string text = _doc.GetString(v);
                    string textProblem = ConfigSettings.CheckText(row, text);
                    if (textProblem == null)
                    {
                        ConfigSettings.SetText(c, row, text);
                    }

                    return textProblem;
            }
        }

        private void SetCa(int transport, JsonWriter w)
        {
            if (transport != CommissioningTransports.Console)
            {
                Error(w, "not-allowed", "caBundle: a factory setting; set only over the USB console");
                return;
            }

            int pem = _doc.Find(0, "pem");
            if (pem < 0 || _doc.GetKind(pem) != JsonKind.String)
            {
                Error(w, "bad-request", "pem: missing; allowed the CA bundle as one PEM string");
                return;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(_doc.GetString(pem));
            string problem = ConfigStore.SaveCa(_firmware.Store, bytes, bytes.Length);
            if (problem != null)
            {
                Error(w, "invalid-setting", problem);
                return;
            }

            w.PropertyBool("ok", true);
            w.PropertyBool("rebootNeeded", true);
            w.EndObject();
        }

        private void Check(JsonWriter w)
        {
            _report.Reset();
            _report.BeginObject();
            _report.Property("serial", _firmware.Config.Serial);
            _report.Property("uptimeMicroseconds", _clock.NowMicroseconds);
            _checks.Run(_report);
            _report.EndObject();
            HandoverChecks.StoreReport(_firmware.Store, _report.Buffer, 0, _report.Length);
            w.PropertyBool("ok", true);
            w.Name("report");
            WriteRaw(w, _report.Buffer, _report.Length);
            w.EndObject();
        }

        private void ReadReport(JsonWriter w)
        {
            byte[] report = HandoverChecks.LoadReport(_firmware.Store, MaxResponseBytes);
            if (report == null)
            {
                Error(w, "no-report", "report: none stored yet; run check first");
                return;
            }

            w.PropertyBool("ok", true);
            w.Name("report");
            WriteRaw(w, report, report.Length);
            w.EndObject();
        }

        private void Calibrate(int transport, JsonWriter w)
        {
            if (transport != CommissioningTransports.Console)
            {
                Error(w, "not-allowed", "calibration: a factory setting; set only over the USB console");
                return;
            }

            int channelValue = _doc.Find(0, "channel");
            int referenceValue = _doc.Find(0, "reference");
            AnalogChannel channel;
            if (channelValue < 0 || _doc.GetKind(channelValue) != JsonKind.String || !TryChannel(_doc.GetString(channelValue), out channel))
            {
                Error(w, "invalid-setting", "channel: allowed one of line-neutral, line-ttref, cpc-ttref, ct-clamp, ev-current");
                return;
            }

            int reference;
            if (referenceValue < 0 || !_doc.TryGetInt32(referenceValue, out reference) || reference <= 0)
            {
                Error(w, "invalid-setting", "reference: the reference meter's reading in millivolts (voltages) or milliamps (currents); allowed 1..2147483647");
                return;
            }

            MainsMeter meter = _firmware.Meter;
            int measured = Measured(meter.LastCycle, channel);
            ChannelCalibration calibration = meter.GetCalibration(channel);
            int gain = ChannelCalibration.GainForReference(calibration.GainPartsPerMillion, measured, reference);
            if (!meter.TrySetCalibration(channel, gain, calibration.OffsetMilliUnits))
            {
                Error(w, "invalid-setting", "reference: needs a gain of " + gain.ToString() + " ppm from the measured " + measured.ToString() + "; allowed 900000..1100000 ppm (check the reference and the wiring)");
                return;
            }

            meter.SaveCalibration(_firmware.Store);
            w.PropertyBool("ok", true);
            w.Property("measured", measured);
            w.Property("reference", reference);
            w.Property("gainPartsPerMillion", gain);
            w.EndObject();
        }

        private static bool TryChannel(string name, out AnalogChannel channel)
        {
            switch (name)
            {
                case "line-neutral": channel = AnalogChannel.LineNeutral; return true;
                case "line-ttref": channel = AnalogChannel.LineTtRef; return true;
                case "cpc-ttref": channel = AnalogChannel.CpcTtRef; return true;
                case "ct-clamp": channel = AnalogChannel.CtClamp; return true;
                case "ev-current": channel = AnalogChannel.EvCurrent; return true;
                default: channel = AnalogChannel.LineNeutral; return false;
            }
        }

        private static int Measured(MainsCycle cycle, AnalogChannel channel)
        {
            switch (channel)
            {
                case AnalogChannel.LineNeutral: return cycle.LineNeutralMillivolts;
                case AnalogChannel.LineTtRef: return cycle.LineTtRefMillivolts;
                case AnalogChannel.CpcTtRef: return cycle.CpcTtRefMillivolts;
                case AnalogChannel.CtClamp: return cycle.HouseMilliamps;
                default: return cycle.EvMilliamps;
            }
        }

        /// <summary>The part number of a variant (installation guide, "Models").</summary>
        public static string PartNumber(Variant variant)
        {
            switch (variant)
            {
                case Variant.Type1Tethered: return "190105A101";
                case Variant.Type2Tethered: return "190105A102";
                default: return "190105A103";
            }
        }

        // Compares without stopping at the first difference, so the time taken does not tell how
        // many leading characters of a guess were right.
        private static bool SameText(string a, string b)
        {
            int difference = a.Length ^ b.Length;
            for (int i = 0; i < b.Length; i++)
            {
                char ca = i < a.Length ? a[i] : '\0';
                difference |= ca ^ b[i];
            }

            return difference == 0;
        }

        private static void WriteRaw(JsonWriter w, byte[] json, int length)
        {
            w.RawValue(json, 0, length);
        }

        private static void Error(JsonWriter w, string code, string message)
        {
            w.PropertyBool("ok", false);
            w.Property("error", code);
            w.Property("message", message);
            w.EndObject();
        }
    }
}
